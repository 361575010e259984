import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { choSolve, cholesky } from '../decomp/cholesky.js';
import { eye } from '../ops/creation.js';
import { add, mul } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import type { Kernel } from './kernels.js';

/**
 * Kernel ridge regression: by the representer theorem the minimiser of Σ(f(xᵢ) − yᵢ)² + λ‖f‖²_H is
 * f(x) = Σ αᵢ k(x, xᵢ) with (K + λI)α = y (Schölkopf, Herbrich & Smola 2001; solved by Cholesky).
 */
export class KernelRidge {
  readonly kernel: Kernel;
  readonly lambda: number;
  #X: NDArray | undefined;
  #alpha: NDArray | undefined;

  constructor(kernel: Kernel, lambda: number) {
    if (!(lambda > 0))
      throw new ValueError(
        'KernelRidge',
        `lambda must be positive (K + λI must be positive definite), got ${lambda}`,
      );
    this.kernel = kernel;
    this.lambda = lambda;
  }

  /** Fits the dual coefficients α for inputs X (N×d) and targets y (N) or (N×k). */
  fit(X: NDArray, y: NDArray): this {
    if (X.ndim !== 2 || y.shape[0] !== X.shape[0]) {
      throw new ShapeError(
        'KernelRidge.fit',
        `needs X (N, d) and y (N,) or (N, k), got ${formatShape(X.shape)} and ${formatShape(y.shape)}`,
      );
    }
    const K = this.kernel(X, X);
    const L = cholesky(add(K, mul(eye(X.shape[0]!), this.lambda)));
    this.#alpha = choSolve(L, y);
    this.#X = X;
    return this;
  }

  /** The dual coefficients α. */
  get dualCoefficients(): NDArray {
    if (!this.#alpha) throw new ValueError('KernelRidge', 'call fit(X, y) first');
    return this.#alpha;
  }

  /** Predictions f(x) = K(X*, X) α. */
  predict(Xstar: NDArray): NDArray {
    if (!this.#X || !this.#alpha) throw new ValueError('KernelRidge', 'call fit(X, y) first');
    return matmul(this.kernel(Xstar, this.#X), this.#alpha);
  }
}
