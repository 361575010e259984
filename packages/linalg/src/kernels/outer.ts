/**
 * Batched outer products out[e, i, j] = a[e, i] · b[e, j]: the per-example weight gradient xₑᵀδₑ of a dense
 * layer, which `vmap(grad)` computes for every example at once (a product with inner dimension 1). Products
 * of 2 048 elements or more run the wasm SIMD kernel a chunk of rows at a time; smaller ones a monomorphic
 * TypeScript loop per float type with the left factor held in a register (the generic broadcasting loop walks
 * strides per element and, shared by every op and array type, is not specialised by V8). Each product is the
 * same IEEE multiplication (rounded to float32 on store) as the elementwise `mul` of a column and a row, so
 * results are identical bit for bit.
 */
import { ShapeError } from '../core/errors.js';
import type { FloatArray } from '../core/dtype.js';
import { CHUNK, chunkSlots, copyIn, copyOut } from './chunked.js';
import { getRuntime } from './wasm-module.js';

/**
 * Shape of a batched outer product: `batch` examples, `m` × `n` each. `strideA`/`strideB` are the distance
 * between examples in `a` (m or 0) and `b` (n or 0): 0 repeats one factor for every example (broadcasting).
 */
export interface OuterShape {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly strideA: number;
  readonly strideB: number;
}

function check(a: FloatArray, b: FloatArray, out: FloatArray, s: OuterShape): void {
  const { batch, m, n, strideA, strideB } = s;
  const lastA = (batch - 1) * strideA + m;
  const lastB = (batch - 1) * strideB + n;
  if (
    (strideA !== m && strideA !== 0) ||
    (strideB !== n && strideB !== 0) ||
    (batch > 0 && (a.length < lastA || b.length < lastB)) ||
    out.length !== batch * m * n
  ) {
    throw new ShapeError(
      'batchedOuter',
      `factors of length ${a.length} and ${b.length} and out of length ${out.length} do not hold ${batch} ` +
        `products of ${m} × ${n} with example strides ${strideA} and ${strideB}; pass out of length batch·m·n ` +
        'and strides m (or 0) and n (or 0)',
    );
  }
}

/** Below this many elements per product the TypeScript loop is as fast as the wasm call with its copies. */
const OUTER_WASM_MIN_PRODUCT = 2048;

/**
 * Whether products of this shape go to the wasm kernel: at least 2 048 elements each, and each factor fits
 * one chunk of the arena (where the kernels are available at all).
 */
export function outerFitsWasm(s: OuterShape): boolean {
  return s.m * s.n >= OUTER_WASM_MIN_PRODUCT && s.m <= CHUNK && s.n <= CHUNK;
}

/**
 * The products through the wasm SIMD kernel (assembly/outer.ts), a chunk of rows at a time: each chunk is
 * computed in the arena while it sits in cache and copied out with one native copy, so the output is written
 * at memory-copy speed (the TypeScript loop writes ~2 ns per element; the copy ~0.2). False where the
 * kernels are unavailable or a factor does not fit a chunk (the caller runs the loop).
 */
function batchedOuterWasm(a: FloatArray, b: FloatArray, out: FloatArray, s: OuterShape): boolean {
  const { batch, m, n, strideA, strideB } = s;
  if (!outerFitsWasm(s)) return false;
  // the shared memory, not the plain one of other single-threaded kernels: this kernel's output chunks start
  // on page boundaries of the arena and land on page-aligned offsets of large outputs, and V8's native copy
  // out of a plain memory (memmove) is ~5× slower when source and destination share their offset within a
  // 4 KiB page (100 MB in 64 KiB chunks: 66 ms against 13 ms at another offset; measured 2026-12-07, AMD
  // EPYC); the shared memory's element-wise copy does not care (16 ms). Per-example gradients of the
  // 3×256 MLP: 47 ms per step from the plain memory, 19 ms from the shared one.
  const rt = getRuntime();
  const f64 = out instanceof Float64Array;
  const slots = rt ? chunkSlots(rt, 3, f64 ? 8 : 4) : null;
  if (!rt || !slots) return false;
  const [pa, pb, po] = slots as [number, number, number];
  const kernel = f64 ? rt.exports.outer_rows_f64 : rt.exports.outer_rows_f32;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK / n));
  const bytes = f64 ? 8 : 4;
  let o = 0;
  for (let e = 0; e < batch; e++) {
    // a broadcast factor (stride 0) is copied once
    if (e === 0 || strideA !== 0) copyIn(rt, a, e * strideA, m, pa);
    if (e === 0 || strideB !== 0) copyIn(rt, b, e * strideB, n, pb);
    for (let r = 0; r < m; r += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, m - r);
      kernel(pa + r * bytes, pb, po, rows, n);
      copyOut(rt, out, o, rows * n, po);
      o += rows * n;
    }
  }
  return true;
}

/** out[e, i, j] = a[e·strideA + i] · b[e·strideB + j] in float32 (one rounding per product, as `mul`). */
export function batchedOuterF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  s: OuterShape,
): void {
  check(a, b, out, s);
  if (batchedOuterWasm(a, b, out, s)) return;
  const { batch, m, n, strideA, strideB } = s;
  let o = 0;
  for (let e = 0; e < batch; e++) {
    const pa = e * strideA;
    const pb = e * strideB;
    for (let i = 0; i < m; i++) {
      const x = a[pa + i]!;
      for (let j = 0; j < n; j++) out[o + j] = x * b[pb + j]!;
      o += n;
    }
  }
}

/** out[e, i, j] = a[e·strideA + i] · b[e·strideB + j] in float64. */
export function batchedOuterF64(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  s: OuterShape,
): void {
  check(a, b, out, s);
  if (batchedOuterWasm(a, b, out, s)) return;
  const { batch, m, n, strideA, strideB } = s;
  let o = 0;
  for (let e = 0; e < batch; e++) {
    const pa = e * strideA;
    const pb = e * strideB;
    for (let i = 0; i < m; i++) {
      const x = a[pa + i]!;
      for (let j = 0; j < n; j++) out[o + j] = x * b[pb + j]!;
      o += n;
    }
  }
}

/** The batched outer product element by element from its definition (the reference of the two kernels). */
export function batchedOuterReference(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  s: OuterShape,
): void {
  check(a, b, out, s);
  for (let e = 0; e < s.batch; e++)
    for (let i = 0; i < s.m; i++)
      for (let j = 0; j < s.n; j++)
        out[(e * s.m + i) * s.n + j] = a[e * s.strideA + i]! * b[e * s.strideB + j]!;
}
