import { bind } from '../core/dispatch.js';
import type { NDArray } from '../core/ndarray.js';
import { ValueError } from '../core/errors.js';
import { mT } from '../ops/index.js';
import { checkSymmetric, squareSize } from './util.js';

/** Eigenvalues and eigenvectors of a symmetric matrix. @public */
export interface EighResult {
  /** Eigenvalues in ascending order, shape (…, n). */
  values: NDArray;
  /** Orthonormal eigenvectors as columns, shape (…, n, n): A V = V diag(values). */
  vectors: NDArray;
}

/** Options of {@link eigh} and {@link eigvalsh}. @public */
export interface EighOptions {
  /**
   * Which triangle defines the symmetric matrix. Unset (the default), A must be symmetric to rounding
   * (|aᵢⱼ − aⱼᵢ| ≤ 64 n ε max|a|) and a matrix that is not throws `ValueError` — eigh of a nonsymmetric
   * matrix has no meaning, and `eig` computes its (possibly complex) eigenvalues. `'L'` or `'U'`, as NumPy's
   * `UPLO`: only that triangle is read (the other is ignored, not checked), i.e. eigh computes the
   * eigendecomposition of `tril(A) + tril(A, −1)ᵀ` or `triu(A) + triu(A, 1)ᵀ`.
   */
  uplo?: 'L' | 'U';
}

/**
 * Eigendecomposition A = V diag(w) Vᵀ of a symmetric matrix by Householder tridiagonalisation and the
 * implicit QL algorithm (Golub & Van Loan 4th ed., §8.3; EISPACK `tql2`), batched. Eigenvalues ascend, as in
 * NumPy's `eigh`. A nonsymmetric A is a `ValueError` unless `uplo` names the triangle to use (see
 * {@link EighOptions}). Residual ‖A V − V Λ‖ and ‖VᵀV − I‖ are O(n ε ‖A‖).
 * @example
 * ```ts
 * const { values, vectors } = eigh(array([[2, 1], [1, 2]])); // values [1, 3]
 * ```
 * @public
 */
export function eigh(a: NDArray, options: EighOptions = {}): EighResult {
  squareSize('eigh', a);
  const { uplo } = options;
  if (uplo !== undefined && uplo !== 'L' && uplo !== 'U')
    throw new ValueError('eigh', `uplo must be 'L' or 'U', got ${String(uplo)}`);
  if (uplo === undefined)
    checkSymmetric(
      'eigh',
      a,
      "eigh is for symmetric matrices: use eig for a general matrix's eigenvalues, or pass { uplo: 'L' } (or 'U') to use one triangle as NumPy does",
    );
  // the kernel reads the lower triangle; the upper triangle of A is the lower triangle of Aᵀ
  const [values, vectors] = bind('eigh', [uplo === 'U' ? mT(a) : a], {});
  return { values: values!, vectors: vectors! };
}

/** Eigenvalues of a symmetric matrix, ascending (NumPy `eigvalsh`). @public */
export function eigvalsh(a: NDArray, options: EighOptions = {}): NDArray {
  return eigh(a, options).values;
}
