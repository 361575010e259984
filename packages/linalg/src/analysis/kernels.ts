import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { add, exp, maximum, mul, pow } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';

/** A kernel k(x, y) evaluated between the rows of X (N×d) and Y (M×d), returning the N×M Gram matrix. */
export type Kernel = (X: NDArray, Y: NDArray) => NDArray;

function rows(op: string, X: NDArray, Y: NDArray): void {
  if (X.ndim !== 2 || Y.ndim !== 2 || X.shape[1] !== Y.shape[1]) {
    throw new ShapeError(
      op,
      `needs X (N, d) and Y (M, d) with the same d, got ${formatShape(X.shape)} and ${formatShape(Y.shape)}`,
    );
  }
}

/** Squared Euclidean distances ‖xᵢ − yⱼ‖² = ‖xᵢ‖² + ‖yⱼ‖² − 2xᵢᵀyⱼ, clamped at 0 against rounding. */
export function squaredDistances(X: NDArray, Y: NDArray): NDArray {
  rows('squaredDistances', X, Y);
  const xx = reshape(sum(mul(X, X), { axis: 1 }), [-1, 1]);
  const yy = reshape(sum(mul(Y, Y), { axis: 1 }), [1, -1]);
  const d = add(add(xx, yy), mul(matmul(X, Y, { transB: true }), -2));
  return maximum(d, 0);
}

/** Linear kernel k(x, y) = xᵀy. */
export function linearKernel(): Kernel {
  return (X, Y) => {
    rows('linearKernel', X, Y);
    return matmul(X, Y, { transB: true });
  };
}

/** Polynomial kernel k(x, y) = (γ xᵀy + c)^degree. */
export function polynomialKernel(
  options: { degree?: number; gamma?: number; coef0?: number } = {},
): Kernel {
  const degree = options.degree ?? 3;
  if (!Number.isInteger(degree) || degree < 1)
    throw new ValueError('polynomialKernel', `degree must be a positive integer, got ${degree}`);
  return (X, Y) => {
    rows('polynomialKernel', X, Y);
    const gamma = options.gamma ?? 1 / X.shape[1]!;
    return pow(add(mul(matmul(X, Y, { transB: true }), gamma), options.coef0 ?? 1), degree);
  };
}

/** Gaussian (RBF) kernel k(x, y) = σ_f² exp(−‖x − y‖² / (2ℓ²)). */
export function rbfKernel(options: { lengthScale?: number; variance?: number } = {}): Kernel {
  const ell = options.lengthScale ?? 1;
  const variance = options.variance ?? 1;
  if (!(ell > 0) || !(variance > 0))
    throw new ValueError(
      'rbfKernel',
      `lengthScale and variance must be positive, got ${ell}, ${variance}`,
    );
  return (X, Y) => mul(exp(mul(squaredDistances(X, Y), -1 / (2 * ell * ell))), variance);
}
