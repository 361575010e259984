/**
 * Fused groups as WebAssembly SIMD: a group whose equations all have a SIMD instruction (float arithmetic,
 * sqrt, abs, min/max, floor, comparisons with `where` and casts of their masks, and tanh through the kernels'
 * own function) becomes one generated wasm function
 * over the kernels' linear memory, instead of a scalar JavaScript loop.
 *
 * Per chunk of the group's loop (like the hand-written `fusedMulAddTanhF64`): each full input's chunk is
 * copied into an arena slot, the function runs every segment of the group on the chunk (a SIMD loop per
 * segment, the imported tanh between them, on arena slots) and each output's chunk is copied out. Scalars
 * are splatted; a row broadcast over leading axes (a bias) is tiled once per call so that every chunk reads
 * it contiguously; a column broadcast is expanded per chunk.
 *
 * Exactness: f64x2 lane operations are IEEE-identical to JavaScript's scalar arithmetic, and f32x4 ones
 * (rounded once per operation) equal `Math.fround(a op b)` for + − × ÷ and sqrt, whose double rounding
 * through float64 is innocuous; min/max propagate NaN and order −0 < +0 as `Math.min`/`Math.max` do; tanh is
 * the very kernel eager execution runs. Operations are emitted in the JavaScript generator's order. Chunks are
 * processed padded to a whole number of vectors: the extra lanes are garbage that is never copied out.
 *
 * Sums fused into the loop (bias gradients, see `isFusableReduction`) run here when they are column sums of a
 * row-major matrix whose rows hold a whole number of vectors: each lane adds its element, promoted to float64,
 * to its column's float64 accumulator, rows in order — eager `reduceAxes`'s order for every output element.
 * Such a group's length is a whole number of vectors, so no garbage lane is ever accumulated. Other sums keep
 * the JavaScript loop.
 */
import { type Primitive, type TypedArray, sizeOf } from '@sciml/linalg';
import { type KernelLinkage, TANH_MIN_LENGTH, kernelLinkage } from '@sciml/linalg/kernels';
import type { Eqn, Var } from './jaxpr.js';
import {
  type FusedGroup,
  type FusedKernel,
  accessOf,
  loopGeometry,
  reductionStrides,
  segmentsOf,
} from './fuse.js';
import { Code, type FuncType, Op, Simd, ValType, encodeModule } from './wasm-emit.js';

/** Elements per chunk: a few slots of 4 096 float64 (32 KiB each) stay in L1/L2 between segments. */
export const WASM_CHUNK = 4096;

/**
 * Smallest group (elements) run as wasm: below it the call, the copies and the per-call setup cost more than
 * the scalar loop they replace (measured crossover ~256 elements for a 4-op chain and for tanh(a·b + c),
 * float32 and float64, CPU time, loaded machine). Mutable for tests (which drive tails of 1–5 elements through the wasm path);
 * a group with tanh also needs TANH_MIN_LENGTH elements, below which eager tanh is `Math.tanh`.
 */
export const wasmFusion = { minLength: 256 };

type FloatDType = 'float64' | 'float32';

/** The SIMD opcode of each supported primitive, per dtype (float64 lanes, float32 lanes). */
const SIMD_OPS: Partial<Record<Primitive, readonly [f64: number, f32: number]>> = {
  add: [Simd.f64x2Add, Simd.f32x4Add],
  sub: [Simd.f64x2Sub, Simd.f32x4Sub],
  mul: [Simd.f64x2Mul, Simd.f32x4Mul],
  div: [Simd.f64x2Div, Simd.f32x4Div],
  maximum: [Simd.f64x2Max, Simd.f32x4Max],
  minimum: [Simd.f64x2Min, Simd.f32x4Min],
  neg: [Simd.f64x2Neg, Simd.f32x4Neg],
  abs: [Simd.f64x2Abs, Simd.f32x4Abs],
  sqrt: [Simd.f64x2Sqrt, Simd.f32x4Sqrt],
  floor: [Simd.f64x2Floor, Simd.f32x4Floor],
};

/**
 * Comparisons give lane masks (all bits set where true): JavaScript's `<`, `===`, … on the same values, NaN
 * unordered and −0 equal to +0 in both. A mask stays in a register: `where` selects with it (`bitselect`)
 * and a cast to float keeps 1.0 where it is set — the 0/1 of the JavaScript loop.
 */
const COMPARE: Partial<Record<Primitive, readonly [f64: number, f32: number]>> = {
  less: [Simd.f64x2Lt, Simd.f32x4Lt],
  lessEqual: [Simd.f64x2Le, Simd.f32x4Le],
  greater: [Simd.f64x2Gt, Simd.f32x4Gt],
  greaterEqual: [Simd.f64x2Ge, Simd.f32x4Ge],
  equal: [Simd.f64x2Eq, Simd.f32x4Eq],
  notEqual: [Simd.f64x2Ne, Simd.f32x4Ne],
};

/** The float dtype of a group's lanes: that of its first value that is not bool. */
function laneDtype(g: FusedGroup): string {
  for (const e of g.eqns)
    for (const v of [...e.outputs, ...e.inputs]) if (v.dtype !== 'bool') return v.dtype;
  return 'bool';
}

/** Whether an equation's operands and result have the dtypes its lowering expects (lanes of `dtype`). */
function typesLower(e: Eqn, dtype: string): boolean {
  const all = (vs: readonly Var[], d: string): boolean => vs.every((v) => v.dtype === d);
  const y = e.outputs[0]!;
  if (COMPARE[e.primitive] !== undefined) return all(e.inputs, dtype) && y.dtype === 'bool';
  if (e.primitive === 'where')
    return e.inputs[0]!.dtype === 'bool' && all(e.inputs.slice(1), dtype) && y.dtype === dtype;
  if (e.primitive === 'cast') return e.inputs[0]!.dtype === 'bool' && y.dtype === dtype;
  return all(e.inputs, dtype) && y.dtype === dtype;
}

/** How the generated code reads one input. */
type WasmAccess =
  | { kind: 'full' }
  | { kind: 'scalar' }
  /** the input repeats with period `period` along the loop (a row broadcast over leading axes) */
  | { kind: 'row'; period: number }
  /** each input element covers `run` consecutive loop elements (a column broadcast over trailing axes) */
  | { kind: 'column'; run: number };

function wasmAccess(v: Var, shape: readonly number[]): WasmAccess | null {
  const a = accessOf(v.shape, shape);
  if (a.kind !== 'strided') return a;
  const { dims, access } = loopGeometry(shape, [a]);
  const s = (access[0] as { strides: readonly number[] }).strides;
  if (dims.length !== 2) return null;
  if (s[0] === 0 && s[1] === 1) return { kind: 'row', period: dims[1]! };
  if (s[0] === 1 && s[1] === 0) return { kind: 'column', run: dims[1]! };
  return null;
}

/**
 * The number of columns of a fused sum seen as a column sum of a row-major matrix over the group's loop (the
 * output element of loop element i is i mod period), or null for another pattern.
 */
function sumPeriod(g: FusedGroup, e: Eqn): number | null {
  const strides = reductionStrides(g.shape, (e.params as { axes: readonly number[] }).axes);
  const { dims, access } = loopGeometry(g.shape, [{ kind: 'strided', strides }]);
  const s = (access[0] as { strides: readonly number[] }).strides;
  return dims.length === 2 && s[0] === 0 && s[1] === 1 ? dims[1]! : null;
}

/** Why a group cannot run as wasm, or null when it can (the caller falls back to the JavaScript loop). */
export function wasmUnsupported(g: FusedGroup): string | null {
  const n = sizeOf(g.shape);
  const hasTanh = g.eqns.some((e) => e.primitive === 'tanh');
  const min = Math.max(wasmFusion.minLength, hasTanh ? TANH_MIN_LENGTH : 0);
  if (n < min) return `${n} elements (< ${min})`;
  const dtype = laneDtype(g);
  if (dtype !== 'float64' && dtype !== 'float32') return `dtype ${dtype}`;
  const lanes = dtype === 'float64' ? 2 : 4;
  // masks live in registers only: made in the group, used in their own segment, never read outside
  const { segmentOf } = segmentsOf(g);
  if ([...g.inputs, ...g.outputs].some((v) => v.dtype === 'bool')) return 'a bool input or output';
  for (const e of g.eqns) {
    if (e.primitive === 'sum') {
      const period = sumPeriod(g, e);
      if (period === null || period % lanes !== 0)
        return 'a sum other than whole-vector column sums';
    } else if (
      e.primitive !== 'tanh' &&
      e.primitive !== 'where' &&
      e.primitive !== 'cast' &&
      SIMD_OPS[e.primitive] === undefined &&
      COMPARE[e.primitive] === undefined
    )
      return `no SIMD lowering of ${e.primitive}`;
    if (!typesLower(e, dtype)) return `mixed dtypes in ${e.primitive}`;
    const s = segmentOf.get(e.outputs[0]!);
    if (e.inputs.some((v) => v.dtype === 'bool' && segmentOf.get(v) !== s))
      return 'a mask read across a tanh';
    if (e.primitive === 'tanh' && g.inputs.includes(e.inputs[0]!)) {
      if (accessOf(e.inputs[0]!.shape, g.shape).kind !== 'full') return 'tanh of a broadcast input';
    }
  }
  for (const v of g.inputs) if (wasmAccess(v, g.shape) === null) return 'a broadcast pattern';
  return null;
}

/**
 * The wasm kernel of a group, or null where it cannot run as wasm (see {@link wasmUnsupported}), the kernels
 * are unavailable, or the engine refuses to compile generated code (a Content-Security-Policy).
 */
export function wasmKernel(g: FusedGroup, fallback: FusedKernel): FusedKernel | null {
  if (wasmUnsupported(g) !== null) return null;
  const link = kernelLinkage();
  const api = (globalThis as { WebAssembly?: WasmGlobal }).WebAssembly;
  if (!link || !api) return null;
  const dtype = laneDtype(g) as FloatDType;
  let lowered: Lowered;
  let fn: (...args: number[]) => void;
  try {
    lowered = lower(g, dtype, link);
    const module = new api.Module(lowered.binary);
    const imports = {
      env: { memory: link.memory, tanh: dtype === 'float64' ? link.tanhF64 : link.tanhF32 },
    };
    fn = new api.Instance(module, imports).exports.run as (...args: number[]) => void;
  } catch {
    // generated wasm refused (CSP) or failed to compile: the JavaScript loop computes the same numbers
    return null;
  }
  return driver(g, dtype, link, lowered, fn, fallback);
}

interface WasmGlobal {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** Arena slots of the generated function, and how each input and output maps to them. */
interface Lowered {
  readonly binary: Uint8Array;
  /** Slot sizes in elements (a tiled row needs a chunk plus one period). */
  readonly slotLength: readonly number[];
  /** Per input: its access and its slot (-1 for scalars) or its scalar parameter's index. */
  readonly inputs: readonly { access: WasmAccess; slot: number; scalar: number }[];
  /** Per output: its slot, or -1 for a sum (its accumulator is copied out after the last chunk). */
  readonly outputs: readonly number[];
  readonly scalars: number;
  /** Per fused sum: its columns (float64 accumulators) and the output it fills. */
  readonly sums: readonly { period: number; output: number }[];
}

function lower(g: FusedGroup, dtype: FloatDType, link: KernelLinkage): Lowered {
  const f64 = dtype === 'float64';
  // fuse.ts's segments, without the empty one after a group's closing tanh (only the last can be empty, so
  // the segment indices stay those of segmentOf)
  const cut = segmentsOf(g);
  const segments = cut.segments.filter((seg) => seg.length > 0);
  const { segmentOf } = cut;
  const slotLength: number[] = [];
  const newSlot = (len: number): number => slotLength.push(len) - 1;
  // inputs: a slot each, except scalars (a parameter, splatted)
  let scalars = 0;
  const inputs = g.inputs.map((v) => {
    const access = wasmAccess(v, g.shape)!;
    if (access.kind === 'scalar') return { access, slot: -1, scalar: scalars++ };
    const len = access.kind === 'row' ? WASM_CHUNK + access.period : WASM_CHUNK;
    return { access, slot: newSlot(len), scalar: -1 };
  });
  const inputOf = new Map(g.inputs.map((v, j) => [v, j]));
  // values kept in memory: outputs, values read by a later segment, tanh arguments and results
  const outputSet = new Set(g.outputs);
  const later = new Set<Var>();
  segments.forEach((seg, s) => {
    for (const e of seg)
      for (const v of e.inputs) {
        const d = segmentOf.get(v);
        if (d !== undefined && d < s) later.add(v);
      }
  });
  const slotOf = new Map<Var, number>();
  g.inputs.forEach((v, j) => {
    if (inputs[j]!.slot >= 0) slotOf.set(v, inputs[j]!.slot);
  });
  const sumEqns = g.eqns.filter((e) => e.primitive === 'sum');
  const sums = sumEqns.map((e) => ({
    period: sumPeriod(g, e)!,
    output: g.outputs.indexOf(e.outputs[0]!),
  }));
  for (const e of g.eqns) {
    const y = e.outputs[0]!;
    if (e.primitive === 'sum') continue;
    if (e.primitive === 'tanh') {
      const x = e.inputs[0]!;
      if (!slotOf.has(x)) slotOf.set(x, newSlot(WASM_CHUNK));
      // tanh may write over its argument when nothing else needs the argument afterwards
      const reuse = !inputOf.has(x) && !outputSet.has(x) && !later.has(x);
      slotOf.set(y, reuse ? slotOf.get(x)! : newSlot(WASM_CHUNK));
    } else if (outputSet.has(y) || later.has(y)) {
      slotOf.set(y, newSlot(WASM_CHUNK));
    }
  }

  // parameters: len, endBytes, one pointer per slot, one value per scalar, per sum its accumulators' address
  // and the byte offset of the chunk's first column among them; then locals
  const nSlots = slotLength.length;
  const scalarType = f64 ? ValType.f64 : ValType.f32;
  const params = [
    ValType.i32,
    ValType.i32,
    ...new Array<ValType>(nSlots).fill(ValType.i32),
    ...new Array<ValType>(scalars).fill(scalarType),
    ...new Array<ValType>(2 * sums.length).fill(ValType.i32),
  ];
  const accParam = (r: number): number => 2 + nSlots + scalars + 2 * r;
  const LEN = 0;
  const END = 1;
  const ptr = (slot: number): number => 2 + slot;
  const scalarParam = (k: number): number => 2 + nSlots + k;
  const locals: ValType[] = [ValType.i32];
  const I = params.length;
  const v128Local = (): number => params.length + locals.push(ValType.v128) - 1;

  const code = new Code();
  const splat = f64 ? Simd.f64x2Splat : Simd.f32x4Splat;
  const scalarLocal = new Map<Var, number>();
  g.inputs.forEach((v, j) => {
    if (inputs[j]!.scalar < 0) return;
    const l = v128Local();
    code.localGet(scalarParam(inputs[j]!.scalar)).simd(splat).localSet(l);
    scalarLocal.set(v, l);
  });
  const lane = f64 ? 0 : 1;
  // 1.0 in every lane, for casts of masks
  const one = v128Local();
  code.floatConst(1, !f64).simd(splat).localSet(one);
  for (const seg of segments) {
    const local = new Map<Var, number>(scalarLocal);
    const operand = (v: Var): number => {
      let l = local.get(v);
      if (l === undefined) {
        // an input's chunk or a value of an earlier segment: loaded from its slot
        l = v128Local();
        code
          .localGet(ptr(slotOf.get(v)!))
          .localGet(I)
          .op(Op.i32Add)
          .simdMem(Simd.load)
          .localSet(l);
        local.set(v, l);
      }
      return l;
    };
    // each sum of the segment walks its columns with a byte offset of its own
    const accOff = new Map<Eqn, number>();
    for (const e of seg) {
      if (e.primitive !== 'sum') continue;
      const l = params.length + locals.push(ValType.i32) - 1;
      code.localGet(accParam(sumEqns.indexOf(e)) + 1).localSet(l);
      accOff.set(e, l);
    }
    code.i32Const(0).localSet(I).open(Op.loop);
    for (const e of seg) {
      if (e.primitive === 'sum') {
        const r = sumEqns.indexOf(e);
        const x = operand(e.inputs[0]!);
        const off = accOff.get(e)!;
        const addr = params.length + locals.push(ValType.i32) - 1;
        code.localGet(accParam(r)).localGet(off).op(Op.i32Add).localSet(addr);
        // float64 lanes add to two columns; float32 lanes are promoted in pairs and add to four
        const halves = f64 ? [x] : [x, -1];
        halves.forEach((h, k) => {
          code
            .localGet(addr)
            .localGet(addr)
            .simdMem(Simd.load, 16 * k);
          if (f64) code.localGet(h);
          else if (k === 0) code.localGet(x).simd(Simd.f64x2PromoteLowF32x4);
          else {
            // lanes 2, 3 moved down (i8x16.shuffle), then promoted
            code.localGet(x).localGet(x).simd(Simd.shuffle);
            code.op(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
            code.simd(Simd.f64x2PromoteLowF32x4);
          }
          code.simd(Simd.f64x2Add).simdMem(Simd.store, 16 * k);
        });
        // next columns; back to the first at the end of a row (rows are whole vectors)
        code
          .localGet(off)
          .i32Const(f64 ? 16 : 32)
          .op(Op.i32Add)
          .localSet(off);
        code
          .i32Const(0)
          .localGet(off)
          .localGet(off)
          .i32Const(sums[r]!.period * 8)
          .op(Op.i32Eq);
        code.op(Op.select).localSet(off);
        continue;
      }
      if (e.primitive === 'tanh') {
        const x = e.inputs[0]!;
        // a value made in this segment was stored to its slot where it was made (below)
        if (!slotOf.has(x)) throw new Error('fuse-wasm: tanh argument without a slot');
        continue;
      }
      const ops = e.inputs.map(operand);
      if (e.primitive === 'where') {
        // bitselect(a, b, mask): a's bits where the mask is set
        code.localGet(ops[1]!).localGet(ops[2]!).localGet(ops[0]!).simd(Simd.bitselect);
      } else if (e.primitive === 'cast') {
        code.localGet(ops[0]!).localGet(one).simd(Simd.and);
      } else {
        for (const l of ops) code.localGet(l);
        code.simd((SIMD_OPS[e.primitive] ?? COMPARE[e.primitive])![lane]);
      }
      const y = e.outputs[0]!;
      const l = v128Local();
      code.localSet(l);
      local.set(y, l);
      const slot = slotOf.get(y);
      if (slot !== undefined)
        code.localGet(ptr(slot)).localGet(I).op(Op.i32Add).localGet(l).simdMem(Simd.store);
    }
    code.localGet(I).i32Const(16).op(Op.i32Add).localSet(I);
    code.localGet(I).localGet(END).op(Op.i32LtU).brIf(0).end();
    const last = seg[seg.length - 1]!;
    if (last.primitive === 'tanh') {
      code
        .localGet(ptr(slotOf.get(last.inputs[0]!)!))
        .localGet(ptr(slotOf.get(last.outputs[0]!)!))
        .localGet(LEN)
        .call(0);
    }
  }
  const tanhType: FuncType = { params: [ValType.i32, ValType.i32, ValType.i32], results: [] };
  const binary = encodeModule({
    memory: { minPages: 0, maxPages: link.maxPages, shared: link.shared },
    importFuncs: [{ name: 'tanh', type: tanhType }],
    funcs: [{ type: { params, results: [] }, locals, body: code, exportAs: 'run' }],
  });
  return {
    binary,
    slotLength,
    inputs,
    outputs: g.outputs.map((v) => slotOf.get(v) ?? -1),
    scalars,
    sums,
  };
}

/** The JavaScript side of a wasm group: lays out the arena, copies chunks in and out, calls the function. */
function driver(
  g: FusedGroup,
  dtype: FloatDType,
  link: KernelLinkage,
  lowered: Lowered,
  fn: (...args: number[]) => void,
  fallback: FusedKernel,
): FusedKernel {
  const n = sizeOf(g.shape);
  const bytes = dtype === 'float64' ? 8 : 4;
  const View = dtype === 'float64' ? Float64Array : Float32Array;
  const slotBytes = lowered.slotLength.map((len) => (len * bytes + 15) & ~15);
  const offsets: number[] = [];
  let total = 0;
  for (const b of slotBytes) {
    offsets.push(total);
    total += b;
  }
  // float64 accumulators of the sums after the slots
  const accAt = lowered.sums.map(({ period }) => {
    const at = total;
    total += (period * 8 + 15) & ~15;
    return at;
  });
  const nSlots = slotBytes.length;
  const sumArg = 2 + nSlots + lowered.scalars;
  const args = new Array<number>(sumArg + 2 * lowered.sums.length).fill(0);
  return (ins: readonly TypedArray[], outs: readonly TypedArray[]): void => {
    const base = link.scratch(total);
    if (base === null) {
      fallback(ins, outs);
      return;
    }
    const buffer = link.buffer();
    const views = offsets.map(
      (o, k) => new View(buffer as ArrayBuffer, base + o, lowered.slotLength[k]!),
    );
    for (let k = 0; k < nSlots; k++) args[2 + k] = base + offsets[k]!;
    const accs = lowered.sums.map(({ period }, r) => {
      args[sumArg + 2 * r] = base + accAt[r]!;
      return new Float64Array(buffer as ArrayBuffer, base + accAt[r]!, period).fill(0);
    });
    lowered.inputs.forEach(({ access, slot, scalar }, j) => {
      const x = ins[j]!;
      if (access.kind === 'scalar') args[2 + nSlots + scalar] = x[0]!;
      else if (access.kind === 'row') {
        // tiled: element t of the slot is x[t mod period], so a chunk starting anywhere reads it contiguously
        const tile = views[slot]!;
        for (let t = 0; t < tile.length; t += access.period)
          tile.set(x.subarray(0, Math.min(access.period, tile.length - t)), t);
      }
    });
    for (let start = 0; start < n; start += WASM_CHUNK) {
      const len = Math.min(WASM_CHUNK, n - start);
      args[0] = len;
      args[1] = (len * bytes + 15) & ~15;
      lowered.inputs.forEach(({ access, slot }, j) => {
        const x = ins[j]!;
        if (access.kind === 'full') views[slot]!.set(x.subarray(start, start + len));
        else if (access.kind === 'row')
          args[2 + slot] = base + offsets[slot]! + (start % access.period) * bytes;
        else if (access.kind === 'column') {
          const view = views[slot]!;
          for (let k = 0; k < len; ) {
            const r = Math.floor((start + k) / access.run);
            const stop = Math.min(len, (r + 1) * access.run - start);
            view.fill(x[r]!, k, stop);
            k = stop;
          }
        }
      });
      lowered.sums.forEach(({ period }, r) => {
        args[sumArg + 2 * r + 1] = (start % period) * 8;
      });
      fn(...args);
      lowered.outputs.forEach((slot, o) => {
        if (slot >= 0) outs[o]!.set(views[slot]!.subarray(0, len), start);
      });
    }
    // float32 sums are rounded once, from their float64 accumulators, as eager's are
    lowered.sums.forEach(({ output }, r) => {
      outs[output]!.set(accs[r]!);
    });
  };
}
