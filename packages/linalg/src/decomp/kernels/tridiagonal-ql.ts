/**
 * The implicit QL algorithm for a symmetric tridiagonal matrix, with Wilkinson-like shifts (EISPACK `tql2`,
 * Bowdler, Martin, Reinsch & Wilkinson 1968; Golub & Van Loan 4th ed., §8.3), accumulating the rotations of
 * each sweep into the eigenvector matrix in one streaming pass. Used by `eighKernel` for small matrices and
 * by divide and conquer for its leaves (its own file, so neither imports the other: no cycle).
 */
import { ConvergenceError } from '../../core/errors.js';
import { applyRotationSequence } from './rotations.js';

/**
 * Diagonalises the symmetric tridiagonal matrix (d, e) by implicit QL, overwriting d with the eigenvalues
 * (unsorted) and applying the rotations to the columns of the row-major n×n `z` (when given).
 */
export function tridiagonalQL(
  d: Float64Array,
  eSub: Float64Array,
  n: number,
  z: Float64Array | null,
  op = 'eigh',
): void {
  if (n <= 1) return;
  // e[i] couples i and i+1; e[n−1] = 0 ends every search for a negligible coupling
  const e = new Float64Array(n);
  e.set(eSub.subarray(0, n - 1));
  const cs = new Float64Array(n);
  const sn = new Float64Array(n);
  const eps = Number.EPSILON;
  let f = 0;
  let tst1 = 0;
  let iterations = 0;
  const maxIterations = 30 * n;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      do {
        if (++iterations > maxIterations) {
          throw new ConvergenceError(
            op,
            `implicit QL did not converge after ${maxIterations} iterations (n = ${n})`,
            iterations,
          );
        }
        // shift from the leading 2×2 block (Wilkinson)
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        // implicit QL sweep from m−1 down to l
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        let count = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          cs[count] = c;
          sn[count] = s;
          count++;
        }
        if (z) applyRotationSequence(z, n, 0, n, m, count, cs, sn, true);
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
