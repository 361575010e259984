/**
 * Triangular solves op(T) X = B by forward/back substitution on rows of B (each step is a contiguous
 * row update, so multiple right-hand sides stream through the cache). Reference: Golub & Van Loan,
 * Matrix Computations (4th ed.), §3.1.
 */
import { SingularMatrixError } from '../../core/errors.js';

/**
 * Solves op(T) X = B in place for n×n triangular `t` (row-major) and n×k `b`, where op(T) is T or Tᵀ. Only
 * the triangle named by `lower` is read; `unitDiagonal` assumes ones on the diagonal. A zero diagonal entry is
 * a `SingularMatrixError`.
 */
export function triangularSolveInPlace(
  t: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
  lower: boolean,
  transT: boolean,
  unitDiagonal: boolean,
  op = 'triangularSolve',
): void {
  // op(T) is lower triangular when exactly one of (lower, transposed) holds
  const forward = lower !== transT;
  // element (i, j) of op(T)
  const rowStride = transT ? 1 : n;
  const colStride = transT ? n : 1;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const bi = i * k;
    const jStart = forward ? 0 : i + 1;
    const jEnd = forward ? i : n;
    for (let j = jStart; j < jEnd; j++) {
      const tij = t[i * rowStride + j * colStride]!;
      if (tij === 0) continue;
      const bj = j * k;
      for (let c = 0; c < k; c++) b[bi + c]! -= tij * b[bj + c]!;
    }
    if (!unitDiagonal) {
      const d = t[i * n + i]!;
      if (d === 0) {
        throw new SingularMatrixError(
          op,
          `the ${n}×${n} triangular matrix has a zero on its diagonal (entry ${i}), so it is singular; use lstsq or pinv for singular systems`,
        );
      }
      // divide (one rounding, and no overflow of 1/d for tiny diagonals)
      for (let c = 0; c < k; c++) b[bi + c]! /= d;
    }
  }
}
