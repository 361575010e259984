/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive definite matrix (row-oriented
 * Cholesky–Banachiewicz: each entry is one contiguous dot product of two rows of L).
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), Algorithm 4.2.1.
 */
import { SingularMatrixError } from '../../core/errors.js';

/**
 * Overwrites the lower triangle of the n×n row-major `a` with L and zeroes the strict upper triangle. Reads
 * only the lower triangle of `a` (as LAPACK's dpotrf with uplo='L'). Throws `SingularMatrixError` naming the
 * leading minor that is not positive.
 */
export function choleskyInPlace(a: Float64Array, n: number, op = 'cholesky'): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      if (j < i) {
        a[ri + j] = s / a[rj + j]!;
      } else {
        // `!(s > 0)` also catches NaN from an indefinite matrix
        if (!(s > 0)) {
          throw new SingularMatrixError(
            op,
            `the ${n}×${n} matrix is not positive definite: the leading minor of order ${i + 1} is not positive (pivot ${s}); ` +
              'check that it is symmetric positive definite, or add a small multiple of the identity (jitter)',
          );
        }
        a[ri + i] = Math.sqrt(s);
      }
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
}
