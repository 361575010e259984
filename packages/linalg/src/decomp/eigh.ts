import { bind } from '../core/dispatch.js';
import type { NDArray } from '../core/ndarray.js';
import { squareSize } from './util.js';

/** Eigenvalues and eigenvectors of a symmetric matrix. @public */
export interface EighResult {
  /** Eigenvalues in ascending order, shape (…, n). */
  values: NDArray;
  /** Orthonormal eigenvectors as columns, shape (…, n, n): A V = V diag(values). */
  vectors: NDArray;
}

/**
 * Eigendecomposition A = V diag(w) Vᵀ of a symmetric matrix by Householder tridiagonalisation and the
 * implicit QL algorithm (Golub & Van Loan 4th ed., §8.3; EISPACK `tql2`), batched. Eigenvalues ascend, as in
 * NumPy's `eigh`; only the lower triangle of A is read. Residual ‖A V − V Λ‖ and ‖VᵀV − I‖ are O(n ε ‖A‖).
 * @example
 * ```ts
 * const { values, vectors } = eigh(array([[2, 1], [1, 2]])); // values [1, 3]
 * ```
 * @public
 */
export function eigh(a: NDArray): EighResult {
  squareSize('eigh', a);
  const [values, vectors] = bind('eigh', [a], {});
  return { values: values!, vectors: vectors! };
}

/** Eigenvalues of a symmetric matrix, ascending (NumPy `eigvalsh`). @public */
export function eigvalsh(a: NDArray): NDArray {
  return eigh(a).values;
}
