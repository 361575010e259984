import { assertFloat } from '../core/dtype.js';
import { ShapeError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { checkFinite } from './kernels/batch.js';
import { eigKernel } from './kernels/eig.js';
import { fromFloat64, readFloat64, squareSize } from './util.js';

/** Eigenvalues and eigenvectors of a general real matrix, as real and imaginary parts. @public */
export interface EigResult {
  /** Real parts of the eigenvalues (n). */
  valuesRe: NDArray;
  /** Imaginary parts (n); conjugate pairs are adjacent, positive imaginary part first. */
  valuesIm: NDArray;
  /** Real parts of the unit eigenvectors, as columns (n×n). */
  vectorsRe: NDArray;
  /** Imaginary parts of the eigenvectors (zero columns for real eigenvalues). */
  vectorsIm: NDArray;
}

/**
 * Eigen-decomposition A v = λ v of a general real square matrix: Householder reduction to Hessenberg form,
 * then the Francis double-shift QR algorithm and back-substitution (Golub & Van Loan 4th ed., Alg. 7.5.2;
 * EISPACK `hqr2`, Martin, Peters & Wilkinson 1970). Complex eigenvalues come in conjugate pairs, returned
 * as real and imaginary parts; eigenvectors have unit 2-norm. Computed on the CPU (not differentiable):
 * for symmetric matrices use `eigh`, which is faster, differentiable and exactly orthogonal. A must be
 * float64 or float32 (`DTypeError` otherwise: convert integer matrices with `astype('float64')`).
 * @example
 * ```ts
 * const { valuesRe, valuesIm } = eig(array([[0, -1], [1, 0]])); // ±i: re [0, 0], im [1, −1]
 * ```
 * @public
 */
export function eig(a: NDArray): EigResult {
  const n = squareSize('eig', a);
  // results take A's dtype: an int32 or bool A would round the eigenvalues and zero the unit eigenvectors
  assertFloat('eig', a.dtype);
  if (a.ndim !== 2)
    throw new ShapeError(
      'eig',
      `needs one matrix (2-D), got ${formatShape(a.shape)}; loop over the batch`,
    );
  const data = readFloat64(a).slice();
  checkFinite('eig', { data, rows: n, cols: n }, a.shape);
  const [re, im, vr, vi] = eigKernel(data, n);
  return {
    valuesRe: fromFloat64(re, [n], a),
    valuesIm: fromFloat64(im, [n], a),
    vectorsRe: fromFloat64(vr, [n, n], a),
    vectorsIm: fromFloat64(vi, [n, n], a),
  };
}

/** Eigenvalues of a general real matrix as real and imaginary parts (NumPy `eigvals`). @public */
export function eigvals(a: NDArray): { re: NDArray; im: NDArray } {
  const { valuesRe, valuesIm } = eig(a);
  return { re: valuesRe, im: valuesIm };
}
