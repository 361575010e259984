/**
 * The batched outer product hidden in a broadcasting `mul`: a column [..., m, 1] times a row [..., 1, n] (in
 * either order) is m·n products per example — how `vmap(grad)` forms per-example weight gradients xₑᵀδₑ.
 * Recognised here, it runs the monomorphic `batchedOuter` kernels instead of the generic broadcasting loop.
 */
import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type TypedArray, allocEmpty } from '../core/dtype.js';
import {
  type OuterShape,
  batchedOuterF32,
  batchedOuterF64,
  outerFitsWasm,
} from '../kernels/outer.js';

/** Product of `shape[0..end)`. */
function leading(shape: readonly number[], end: number): number {
  let p = 1;
  for (let k = 0; k < end; k++) p *= shape[k]!;
  return p;
}

/**
 * The outer-product layout of `col · row` into `out`, or undefined: same rank as the result, `col` ends in
 * (m, 1), `row` in (1, n), and each one's leading axes are the result's (stride per example) or all 1
 * (one factor shared by every example).
 */
function outerShape(
  col: readonly number[],
  row: readonly number[],
  out: readonly number[],
): OuterShape | undefined {
  const r = out.length;
  if (r < 2 || col.length !== r || row.length !== r) return undefined;
  const m = out[r - 2]!;
  const n = out[r - 1]!;
  if (col[r - 2] !== m || col[r - 1] !== 1 || row[r - 2] !== 1 || row[r - 1] !== n)
    return undefined;
  const stride = (x: readonly number[], per: number): number | undefined => {
    if (x.every((d, k) => k >= r - 2 || d === out[k])) return per;
    if (x.every((d, k) => k >= r - 2 || d === 1)) return 0;
    return undefined;
  };
  const strideA = stride(col, m);
  const strideB = stride(row, n);
  if (strideA === undefined || strideB === undefined) return undefined;
  return { batch: leading(out, r - 2), m, n, strideA, strideB };
}

/**
 * Whether the CPU backend computes `mul` of operands shaped `a` and `b` into `out` (one float dtype) with the
 * wasm SIMD outer-product kernel: products of at least 2 048 elements and at most one chunk per factor. `jit`
 * leaves such a `mul` to the library instead of its generated loop, which writes ~5× slower.
 * @public
 */
export function mulRunsOuterKernel(
  a: readonly number[],
  b: readonly number[],
  out: readonly number[],
): boolean {
  const s = outerShape(a, b, out) ?? outerShape(b, a, out);
  return s !== undefined && outerFitsWasm(s);
}

/** `a · b` by the batched outer-product kernel when the operands have that layout (float, one dtype), else undefined. */
export function outerProductMul(
  a: BackendInput,
  b: BackendInput,
  out: OutputSpec,
): TypedArray | undefined {
  if (a.dtype !== out.dtype || b.dtype !== out.dtype) return undefined;
  if (out.dtype !== 'float32' && out.dtype !== 'float64') return undefined;
  // a·b = b·a exactly in IEEE arithmetic, so either operand may be the column
  let col = a;
  let row = b;
  let shape = outerShape(a.shape, b.shape, out.shape);
  if (shape === undefined) {
    col = b;
    row = a;
    shape = outerShape(b.shape, a.shape, out.shape);
  }
  if (shape === undefined) return undefined;
  // the kernels write every element: recycled memory needs no zero-fill
  const dst = allocEmpty(out.dtype, shape.batch * shape.m * shape.n);
  if (out.dtype === 'float32')
    batchedOuterF32(
      col.handle as Float32Array,
      row.handle as Float32Array,
      dst as Float32Array,
      shape,
    );
  else
    batchedOuterF64(
      col.handle as Float64Array,
      row.handle as Float64Array,
      dst as Float64Array,
      shape,
    );
  return dst;
}
