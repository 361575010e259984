import { bind } from '../core/dispatch.js';
import type { NDArray } from '../core/ndarray.js';
import { mT } from '../ops/index.js';
import { checkSymmetric, squareSize } from './util.js';
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
