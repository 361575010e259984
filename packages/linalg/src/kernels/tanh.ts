/**
 * tanh and the fused activation tanh(a·b + c) with the wasm SIMD kernels (assembly/tanh.ts). Both
 * pay for their copies many times over: a vectorised tanh costs ~3 ns per float64 element against
 * ~18 ns for `Math.tanh` (numbers in the report / benchmarks/results/elementwise.json).
 */
import { ShapeError } from '../core/errors.js';
import { CHUNK, chunkSlots, copyIn, copyOut } from './chunked.js';
import type { FloatArray } from '../core/dtype.js';
import { getPlainRuntime } from './wasm-module.js';

/** Below this length `Math.tanh` in a loop is as fast as a wasm call with its copies. */
export const TANH_MIN_LENGTH = 16;

function checkLengths(op: string, out: FloatArray, inputs: FloatArray[]): void {
  for (const x of inputs) {
    if (x.length !== out.length) {
      throw new ShapeError(
        op,
        `inputs and out must have the same length, got ${inputs.map((v) => v.length).join(', ')} ` +
          `and out ${out.length}.`,
      );
    }
  }
}

/** out[i] = Math.tanh(x[i]) (the reference; out may be x). */
export function tanhReference(x: FloatArray, out: FloatArray): void {
  checkLengths('tanh', out, [x]);
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
}

/** out[i] = tanh(a[i]·b[i] + c[i]) with `Math.tanh` (the reference; out may be any input). */
export function fusedMulAddTanhReference(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  out: FloatArray,
): void {
  checkLengths('fusedMulAddTanh', out, [a, b, c]);
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(a[i]! * b[i]! + c[i]!);
}

/** One stage per dtype for the eager kernels (made on first use; a stage places its slot at each view). */
const eagerStages: { float64?: TanhStage | null; float32?: TanhStage | null } = {};

function tanhWasm(op: string, x: FloatArray, out: FloatArray): void {
  checkLengths(op, out, [x]);
  const dtype = x instanceof Float64Array ? 'float64' : 'float32';
  if (x.length >= TANH_MIN_LENGTH && eagerStages[dtype] === undefined)
    eagerStages[dtype] = tanhStage(dtype);
  const stage = x.length < TANH_MIN_LENGTH ? null : eagerStages[dtype]!;
  if (!stage) {
    tanhReference(x, out);
    return;
  }
  for (let start = 0; start < x.length; start += CHUNK) {
    const len = Math.min(CHUNK, x.length - start);
    stage.view().set(x.subarray(start, start + len));
    stage.apply(len, out, start);
  }
}

function fusedWasm(op: string, a: FloatArray, b: FloatArray, c: FloatArray, out: FloatArray): void {
  checkLengths(op, out, [a, b, c]);
  const rt = out.length < TANH_MIN_LENGTH ? null : getPlainRuntime();
  const bytes = out instanceof Float64Array ? 8 : 4;
  const slots = rt ? chunkSlots(rt, 3, bytes) : null;
  if (!rt || !slots) {
    fusedMulAddTanhReference(a, b, c, out);
    return;
  }
  const kernel = bytes === 8 ? rt.exports.mul_add_tanh_f64 : rt.exports.mul_add_tanh_f32;
  const [pa, pb, pc] = slots as [number, number, number];
  for (let start = 0; start < out.length; start += CHUNK) {
    const len = Math.min(CHUNK, out.length - start);
    copyIn(rt, a, start, len, pa);
    copyIn(rt, b, start, len, pb);
    copyIn(rt, c, start, len, pc);
    kernel(pa, pb, pc, pa, len);
    copyOut(rt, out, start, len, pa);
  }
}

/**
 * A staging area for tanh inside the wasm arena, for generated loops that compute tanh's argument
 * themselves (`jit`'s fused loops): they write up to 16 384 arguments (one chunk) into `view()` and `apply`
 * takes tanh in place and copies the results out, which saves the copy into the arena that
 * {@link tanhF64} makes. @public
 */
export interface TanhStage {
  /** Arena memory for up to 16 384 arguments; valid until the next call into wasm (write, then `apply`). */
  view(): FloatArray;
  /** tanh of the first `len` staged arguments, written to `out[start, start + len)`. */
  apply(len: number, out: FloatArray, start: number): void;
}

/** A {@link TanhStage} for `dtype`, or null where the wasm kernels are unavailable (use {@link tanhF64}). @public */
export function tanhStage(dtype: 'float64' | 'float32'): TanhStage | null {
  const rt = getPlainRuntime();
  const bytes = dtype === 'float64' ? 8 : 4;
  if (!rt || !chunkSlots(rt, 1, bytes)) return null;
  const kernel = bytes === 8 ? rt.exports.tanh_f64 : rt.exports.tanh_f32;
  // the slot is placed at each view: resident blocks (packed GEMM operands, sparse matrices) move the arena
  let p = -1;
  return {
    view: () => {
      const slots = chunkSlots(rt, 1, bytes);
      if (!slots) throw new RangeError('tanhStage: the wasm arena cannot grow to one chunk');
      p = slots[0]!;
      return bytes === 8 ? rt.f64(p, CHUNK) : rt.f32(p, CHUNK);
    },
    apply: (len, out, start) => {
      kernel(p, p, len);
      copyOut(rt, out, start, len, p);
    },
  };
}

/** out[i] = tanh(x[i]) for Float64Arrays (vectorised expm1 form, ≤ 3 ulp from `Math.tanh`). */
export function tanhF64(x: Float64Array, out: Float64Array): void {
  tanhWasm('tanhF64', x, out);
}

/** out[i] = tanh(x[i]) for Float32Arrays (≤ 2 ulp of float32 from the rounded `Math.tanh`). */
export function tanhF32(x: Float32Array, out: Float32Array): void {
  tanhWasm('tanhF32', x, out);
}

/**
 * out[i] = tanh(a[i]·b[i] + c[i]) for Float64Arrays in one pass (the dense-layer activation
 * tanh(x·W + b) once x·W is formed, or the `tanh(a*b+c)` chain of the elementwise benchmark).
 */
export function fusedMulAddTanhF64(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  out: Float64Array,
): void {
  fusedWasm('fusedMulAddTanhF64', a, b, c, out);
}

/** out[i] = tanh(a[i]·b[i] + c[i]) for Float32Arrays in one pass; see {@link fusedMulAddTanhF64}. */
export function fusedMulAddTanhF32(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  out: Float32Array,
): void {
  fusedWasm('fusedMulAddTanhF32', a, b, c, out);
}
