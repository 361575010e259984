import { bind } from '../core/dispatch.js';
import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { mT } from '../ops/index.js';
import { epsOf, readFloat64, squareSize } from './util.js';
import { cholSolveWith } from './triangular.js';

/**
 * Cholesky factor L (lower triangular, positive diagonal) with A = L Lᵀ, for symmetric positive definite A
 * (Golub & Van Loan, Matrix Computations 4th ed., Alg. 4.2.1; batched over leading axes).
 *
 * @remarks Reads the lower triangle of A, as LAPACK's `dpotrf`, after checking that A is symmetric to
 * rounding. A matrix that is not positive definite throws `SingularMatrixError` naming the failing leading
 * minor. Pass `{ upper: true }` for the upper factor R = Lᵀ (A = Rᵀ R).
 * @example
 * ```ts
 * const L = cholesky(array([[4, 2], [2, 3]])); // [[2, 0], [1, √2]]
 * ```
 * @public
 */
export function cholesky(a: NDArray, options: { upper?: boolean } = {}): NDArray {
  squareSize('cholesky', a);
  checkSymmetric('cholesky', a);
  const L = bind('cholesky', [a], {})[0]!;
  return options.upper ? mT(L) : L;
}

/**
 * Solves A X = B given the Cholesky factor L of A (two triangular solves: L Y = B, Lᵀ X = Y), like SciPy's
 * `cho_solve`. `b` may be a vector (n,) or a batch of matrices (…, n, k).
 * @public
 */
export function choSolve(L: NDArray, b: NDArray): NDArray {
  return cholSolveWith('choSolve', L, b);
}

/**
 * Throws `ValueError` when a (CPU) matrix is not symmetric to within a few ulps of its largest entry, so
 * that a Cholesky of a non-symmetric matrix never silently uses one triangle.
 */
function checkSymmetric(op: string, a: NDArray): void {
  if (a.backend.downloadSync === undefined) return;
  const n = a.shape[a.ndim - 1]!;
  const d = readFloat64(a);
  const tol = 64 * n * epsOf(a.dtype);
  for (let off = 0; off < d.length; off += n * n) {
    let scale = 0;
    for (let e = 0; e < n * n; e++) scale = Math.max(scale, Math.abs(d[off + e]!));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const x = d[off + i * n + j]!;
        const y = d[off + j * n + i]!;
        if (Math.abs(x - y) > tol * scale) {
          throw new ValueError(
            op,
            `the matrix is not symmetric: entry (${i}, ${j}) is ${x} but (${j}, ${i}) is ${y}; symmetrise it with (A + Aᵀ)/2 first`,
          );
        }
      }
    }
  }
}
