import { SingularMatrixError } from '@sciml/linalg';

/**
 * Solves A g = b in place for a symmetric positive definite pentadiagonal A by banded Cholesky (O(n)),
 * A given by its diagonal `d0`, first subdiagonal `d1` (A[i+1][i]) and second subdiagonal `d2` (A[i+2][i]).
 *
 * @remarks Private to the TV differentiator, whose lagged-diffusivity systems are pentadiagonal; a
 * dense Cholesky would cost O(n³) per iteration. Belongs in @sciml/linalg as a banded solver once
 * linalg has one.
 */
export function solvePentadiagonalSpd(
  d0: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
  b: Float64Array,
): void {
  const n = d0.length;
  // L has diagonal l0, first subdiagonal l1 (L[i][i-1]) and second subdiagonal l2 (L[i][i-2]).
  const l0 = new Float64Array(n);
  const l1 = new Float64Array(n);
  const l2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i >= 2) l2[i] = d2[i - 2]! / l0[i - 2]!;
    if (i >= 1) l1[i] = (d1[i - 1]! - (i >= 2 ? l2[i]! * l1[i - 1]! : 0)) / l0[i - 1]!;
    const piv = d0[i]! - l1[i]! * l1[i]! - l2[i]! * l2[i]!;
    if (!(piv > 0)) {
      throw new SingularMatrixError(
        'tvRegularized',
        `the smoothing system is not positive definite at row ${i}`,
      );
    }
    l0[i] = Math.sqrt(piv);
  }
  // L y = b, then Lᵀ g = y.
  for (let i = 0; i < n; i++) {
    let v = b[i]!;
    if (i >= 1) v -= l1[i]! * b[i - 1]!;
    if (i >= 2) v -= l2[i]! * b[i - 2]!;
    b[i] = v / l0[i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = b[i]!;
    if (i + 1 < n) v -= l1[i + 1]! * b[i + 1]!;
    if (i + 2 < n) v -= l2[i + 2]! * b[i + 2]!;
    b[i] = v / l0[i]!;
  }
}
