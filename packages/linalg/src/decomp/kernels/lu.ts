/**
 * LU factorisation with partial (row) pivoting, P A = L U, right-looking: after choosing the pivot of column
 * j, every row below is updated by a contiguous axpy with the pivot row (row-major friendly).
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), Algorithm 3.4.1.
 */

/**
 * Overwrites the m×n row-major `a` with L (strictly below the diagonal, unit diagonal implied) and U (on and
 * above it), and returns `perm` with A[perm[i], :] = (L U)[i, :]. A zero pivot column is skipped (as LAPACK's
 * dgetrf does, which then reports info > 0), so singular matrices factor without error; solvers check U.
 */
export function luInPlace(a: Float64Array, m: number, n: number): Int32Array {
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  const steps = Math.min(m, n);
  for (let j = 0; j < steps; j++) {
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
      for (let c = j + 1; c < n; c++) a[ri + c]! -= l * a[rj + c]!;
    }
  }
  return perm;
}
