import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { svd } from '../decomp/svd.js';
import { matrixShape, readFloat64 } from '../decomp/util.js';
import { fromTypedArray } from '../ops/creation.js';
import { add, sub } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { mean } from '../ops/reduce.js';
import { reshape, slice } from '../ops/shape.js';

/** Options of {@link PCA}. */
export interface PCAOptions {
  /** Number of components kept (default: all, min(samples, features)). */
  nComponents?: number;
  /** Subtract the column means before the SVD (default true). */
  center?: boolean;
}

/**
 * Principal component analysis by the SVD of the centred data matrix X − μ = U S Vᵀ (samples in rows): the
 * principal axes are the rows of Vᵀ, the explained variances σᵢ²/(N − 1) (Jolliffe, Principal Component
 * Analysis, 2nd ed.; scikit-learn's conventions).
 *
 * @example
 * ```ts
 * const pca = new PCA({ nComponents: 2 }).fit(X);
 * const Z = pca.transform(X); // scores, N × 2
 * pca.explainedVarianceRatio; // fraction of variance per component
 * ```
 */
export class PCA {
  readonly #options: PCAOptions;
  #mean: NDArray | undefined;
  #components: NDArray | undefined;
  #singular: Float64Array | undefined;
  #totalSq = 0;
  #samples = 0;

  constructor(options: PCAOptions = {}) {
    this.#options = options;
  }

  /** Fits the principal axes of X (N samples × d features). */
  fit(X: NDArray): this {
    const [N, d] = matrixShape('PCA.fit', X);
    if (X.ndim !== 2)
      throw new ShapeError('PCA.fit', `needs a 2-D data matrix, got ${formatShape(X.shape)}`);
    const k = this.#options.nComponents ?? Math.min(N, d);
    if (!Number.isInteger(k) || k < 1 || k > Math.min(N, d)) {
      throw new ValueError(
        'PCA.fit',
        `nComponents must be an integer in [1, ${Math.min(N, d)}], got ${k}`,
      );
    }
    const mu =
      this.#options.center === false ? fromTypedArray(new Float64Array(d)) : mean(X, { axis: 0 });
    const Xc = sub(X, mu);
    const { S, Vt } = svd(Xc, { fullMatrices: false });
    const s = readFloat64(S);
    this.#totalSq = s.reduce((acc, v) => acc + v * v, 0);
    this.#singular = s.slice(0, k);
    this.#components = slice(Vt, { stop: k });
    this.#mean = mu;
    this.#samples = N;
    return this;
  }

  #fitted(): { mean: NDArray; components: NDArray; s: Float64Array } {
    if (!this.#components || !this.#mean || !this.#singular)
      throw new ValueError('PCA', 'call fit(X) first');
    return { mean: this.#mean, components: this.#components, s: this.#singular };
  }

  /** Principal axes as rows (k × d), ordered by explained variance. */
  get components(): NDArray {
    return this.#fitted().components;
  }

  /** Column means subtracted before projecting. */
  get mean(): NDArray {
    return this.#fitted().mean;
  }

  /** Singular values of the centred data for the kept components. */
  get singularValues(): NDArray {
    return fromTypedArray(this.#fitted().s.slice());
  }

  /** Variance along each kept component, σᵢ²/(N − 1). */
  get explainedVariance(): NDArray {
    const denom = Math.max(this.#samples - 1, 1);
    return fromTypedArray(Float64Array.from(this.#fitted().s, (v) => (v * v) / denom));
  }

  /** Fraction of the total variance along each kept component, σᵢ²/Σⱼσⱼ². */
  get explainedVarianceRatio(): NDArray {
    const total = this.#totalSq;
    return fromTypedArray(
      Float64Array.from(this.#fitted().s, (v) => (total > 0 ? (v * v) / total : 0)),
    );
  }

  /** Cumulative energy E_k = Σ_{i≤k} σᵢ² / Σᵢ σᵢ² for k = 1 … kept components. */
  get cumulativeEnergy(): NDArray {
    const r = this.explainedVarianceRatio.dataSync();
    let acc = 0;
    return fromTypedArray(Float64Array.from(r, (v) => (acc += v)));
  }

  /** Scores Z = (X − μ) Vₖ (N × k). */
  transform(X: NDArray): NDArray {
    const { mean: mu, components } = this.#fitted();
    return matmul(sub(X, mu), components, { transB: true });
  }

  /** Reconstruction X̂ = Z Vₖᵀ + μ from scores. */
  inverseTransform(Z: NDArray): NDArray {
    const { mean: mu, components } = this.#fitted();
    return add(matmul(Z, components), reshape(mu, [1, -1]));
  }
}
