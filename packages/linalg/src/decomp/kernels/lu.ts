/**
 * LU factorisation with partial (row) pivoting, P A = L U, right-looking: after choosing the pivot of column
 * j, every row below is updated by a contiguous axpy with the pivot row (row-major friendly).
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), Algorithm 3.4.1.
 */

import { gemmF64 } from '../../kernels/index.js';

/**
 * Overwrites the m×n row-major `a` with L (strictly below the diagonal, unit diagonal implied) and U (on and
 * above it), and returns `perm` with A[perm[i], :] = (L U)[i, :]. A zero pivot column is skipped (as LAPACK's
 * dgetrf does, which then reports info > 0), so singular matrices factor without error; solvers check U.
 */
export function luInPlace(a: Float64Array, m: number, n: number): Int32Array {
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  const steps = Math.min(m, n);
  if (steps < BLOCKED_MIN) {
    luPanel(a, m, n, perm, 0, steps, n);
    return perm;
  }
  // blocked right-looking LU (LAPACK dgetrf): factor a panel, solve for the block row of U, then update the
  // trailing matrix with one matrix product
  for (let j0 = 0; j0 < steps; j0 += PANEL) {
    const end = Math.min(j0 + PANEL, steps);
    const b = end - j0;
    luPanel(a, m, n, perm, j0, end, end);
    if (end >= n) continue;
    const nc = n - end;
    // U12 = L11⁻¹ A12 (unit lower triangular solve on rows j0…end−1)
    for (let i = 1; i < b; i++) {
      const ri = (j0 + i) * n;
      for (let l = 0; l < i; l++) {
        const f = a[ri + j0 + l]!;
        if (f === 0) continue;
        const rl = (j0 + l) * n;
        for (let c = end; c < n; c++) a[ri + c]! -= f * a[rl + c]!;
      }
    }
    const mr = m - end;
    if (mr <= 0) continue;
    // A22 −= L21 U12
    const L21 = new Float64Array(mr * b);
    for (let r = 0; r < mr; r++)
      for (let l = 0; l < b; l++) L21[r * b + l] = a[(end + r) * n + j0 + l]!;
    const U12 = new Float64Array(b * nc);
    for (let l = 0; l < b; l++) U12.set(a.subarray((j0 + l) * n + end, (j0 + l) * n + n), l * nc);
    const P = new Float64Array(mr * nc);
    gemmF64(mr, nc, b, L21, U12, P, false, false);
    for (let r = 0; r < mr; r++) {
      const row = (end + r) * n + end;
      const off = r * nc;
      for (let c = 0; c < nc; c++) a[row + c]! -= P[off + c]!;
    }
  }
  return perm;
}

/** Panel width of the blocked LU, and the size from which blocking pays off. */
const PANEL = 64;
const BLOCKED_MIN = 128;

/**
 * Unblocked partial-pivoting LU of columns j0…j1−1 (rows j0…), updating columns up to `cEnd` (exclusive);
 * row swaps are applied to whole rows, so the blocked caller sees them in every column.
 */
function luPanel(
  a: Float64Array,
  m: number,
  n: number,
  perm: Int32Array,
  j0: number,
  j1: number,
  cEnd: number,
): void {
  for (let j = j0; j < j1; j++) {
    // pivot: largest magnitude in column j at or below the diagonal
    let p = j;
    let best = Math.abs(a[j * n + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[i * n + j]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== j) {
      const rp = p * n;
      const rj = j * n;
      for (let c = 0; c < n; c++) {
        const t = a[rp + c]!;
        a[rp + c] = a[rj + c]!;
        a[rj + c] = t;
      }
      const t = perm[p]!;
      perm[p] = perm[j]!;
      perm[j] = t;
    }
    const rj = j * n;
    const pivot = a[rj + j]!;
    if (pivot === 0) continue;
    for (let i = j + 1; i < m; i++) {
      const ri = i * n;
      const l = a[ri + j]! / pivot;
      a[ri + j] = l;
      if (l === 0) continue;
      for (let c = j + 1; c < cEnd; c++) a[ri + c]! -= l * a[rj + c]!;
    }
  }
}
