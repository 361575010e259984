/**
 * The plain-TypeScript GEMM: the specification the WebAssembly kernel is tested against, and the
 * fallback where WebAssembly is unavailable or the product is too small to pay for the copies.
 */

import type { FloatArray } from '../core/dtype.js';

/**
 * C(m×n) = op(A)·op(B), overwriting C; op(X) = Xᵀ when the flag is set. A is m×k (k×m when
 * transposed), B is k×n (n×k when transposed), all row-major and contiguous.
 *
 * Each row of C is accumulated in float64 (i-p-j order, so B is read along its rows) and rounded
 * once when stored, so for float32 input this is more accurate than the kernel it checks.
 */
export function gemmReference(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  transA = false,
  transB = false,
): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * m + i]! : a[i * k + p]!;
      if (transB) {
        for (let j = 0; j < n; j++) row[j]! += aip * b[j * k + p]!;
      } else {
        const bp = p * n;
        for (let j = 0; j < n; j++) row[j]! += aip * b[bp + j]!;
      }
    }
    c.set(row, i * n);
  }
}

/** {@link gemmReference} for float64 arrays. */
export const gemmReferenceF64: (
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  transA?: boolean,
  transB?: boolean,
) => void = gemmReference;

/** {@link gemmReference} for float32 arrays (accumulates in float64). */
export const gemmReferenceF32: (
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  transA?: boolean,
  transB?: boolean,
) => void = gemmReference;
