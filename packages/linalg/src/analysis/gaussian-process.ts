import { ShapeError, SingularMatrixError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { choSolve, cholesky } from '../decomp/cholesky.js';
import { solveTriangular } from '../decomp/triangular.js';
import { readFloat64 } from '../decomp/util.js';
import { eye } from '../ops/creation.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { rbfKernel, squaredDistances } from './kernels.js';

/** Hyperparameters of a GP with an RBF kernel and Gaussian observation noise. */
export interface GPHyperparameters {
  /** RBF length scale ℓ. */
  lengthScale: number;
  /** Signal variance σ_f². */
  signalVariance: number;
  /** Noise variance σ_n². */
  noiseVariance: number;
}

/** Posterior predictive mean and variance at test inputs. */
export interface GPPrediction {
  mean: NDArray;
  /** Predictive variance of f(x*) (add `noiseVariance` for a new noisy observation). */
  variance: NDArray;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Gaussian-process regression with a squared-exponential kernel (Rasmussen & Williams, Gaussian Processes for
 * Machine Learning, Algorithm 2.1): Cholesky of K + σ_n²I, posterior mean K*ᵀα, variance k** − ‖L⁻¹K*‖²,
 * log marginal likelihood −½yᵀα − Σ log Lᵢᵢ − (n/2) log 2π and its gradient (eq. 5.9), maximised over log
 * hyperparameters by gradient ascent with backtracking.
 */
export class GaussianProcess {
  hyperparameters: GPHyperparameters;
  #X: NDArray | undefined;
  #L: NDArray | undefined;
  #alpha: NDArray | undefined;

  constructor(hyperparameters: Partial<GPHyperparameters> = {}) {
    this.hyperparameters = {
      lengthScale: 1,
      signalVariance: 1,
      noiseVariance: 1e-2,
      ...hyperparameters,
    };
  }

  #checkData(X: NDArray, y: NDArray): void {
    if (X.ndim !== 2 || y.ndim !== 1 || y.shape[0] !== X.shape[0]) {
      throw new ShapeError(
        'GaussianProcess',
        `needs X (N, d) and y (N,), got ${formatShape(X.shape)} and ${formatShape(y.shape)}`,
      );
    }
  }

  #factor(X: NDArray, h: GPHyperparameters): { K: NDArray; L: NDArray } {
    const K = rbfKernel({ lengthScale: h.lengthScale, variance: h.signalVariance })(X, X);
    try {
      return { K, L: cholesky(add(K, mul(eye(X.shape[0]!), h.noiseVariance))) };
    } catch (e) {
      if (e instanceof SingularMatrixError) {
        throw new SingularMatrixError(
          'GaussianProcess',
          `K + σ_n²I is not positive definite (σ_n² = ${h.noiseVariance}); increase the noise variance`,
        );
      }
      throw e;
    }
  }

  /** Conditions the GP on data (X, y) with the current hyperparameters. */
  fit(X: NDArray, y: NDArray): this {
    this.#checkData(X, y);
    const { L } = this.#factor(X, this.hyperparameters);
    this.#X = X;
    this.#L = L;
    this.#alpha = choSolve(L, y);
    return this;
  }

  /** Posterior predictive mean and variance at X* (M×d). */
  predict(Xstar: NDArray): GPPrediction {
    if (!this.#X || !this.#L || !this.#alpha)
      throw new ValueError('GaussianProcess', 'call fit(X, y) first');
    const h = this.hyperparameters;
    const Ks = rbfKernel({ lengthScale: h.lengthScale, variance: h.signalVariance })(
      this.#X,
      Xstar,
    );
    const mean = matmul(Ks, this.#alpha, { transA: true });
    const v = solveTriangular(this.#L, Ks, { lower: true });
    const variance = sub(h.signalVariance, sum(mul(v, v), { axis: 0 }));
    return { mean, variance };
  }

  /** log p(y | X, θ) and its gradient with respect to (log ℓ, log σ_f², log σ_n²). */
  logMarginalLikelihood(
    X: NDArray,
    y: NDArray,
    h: GPHyperparameters = this.hyperparameters,
  ): { value: number; gradient: [number, number, number] } {
    this.#checkData(X, y);
    const n = X.shape[0]!;
    const { K, L } = this.#factor(X, h);
    const alpha = choSolve(L, y);
    const l = readFloat64(L);
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i]!);
    const value = -0.5 * sum(mul(y, alpha)).item() - logDet - 0.5 * n * LOG_2PI;
    // ∂/∂θ = ½ tr((ααᵀ − K_y⁻¹) ∂K_y/∂θ)
    const Kinv = readFloat64(choSolve(L, eye(n)));
    const a = readFloat64(alpha);
    const Kf = readFloat64(K);
    const D = readFloat64(squaredDistances(X, X));
    let gEll = 0;
    let gSig = 0;
    let gNoise = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const w = a[i]! * a[j]! - Kinv[i * n + j]!;
        const kij = Kf[i * n + j]!;
        gEll += w * kij * (D[i * n + j]! / h.lengthScale ** 2);
        gSig += w * kij;
      }
      gNoise += (a[i]! * a[i]! - Kinv[i * n + i]!) * h.noiseVariance;
    }
    return { value, gradient: [0.5 * gEll, 0.5 * gSig, 0.5 * gNoise] };
  }

  /**
   * Sets the hyperparameters to a (local) maximiser of the log marginal likelihood, by gradient ascent in
   * log-space with Armijo backtracking, then conditions on the data. Returns the final log likelihood.
   */
  optimize(X: NDArray, y: NDArray, options: { maxIter?: number; gtol?: number } = {}): number {
    const toH = (t: number[]): GPHyperparameters => ({
      lengthScale: Math.exp(t[0]!),
      signalVariance: Math.exp(t[1]!),
      noiseVariance: Math.exp(t[2]!),
    });
    const h0 = this.hyperparameters;
    let t = [Math.log(h0.lengthScale), Math.log(h0.signalVariance), Math.log(h0.noiseVariance)];
    let cur = this.logMarginalLikelihood(X, y, toH(t));
    let step = 1;
    const gtol = options.gtol ?? 1e-6;
    for (let it = 0; it < (options.maxIter ?? 500); it++) {
      const g = cur.gradient;
      const gnorm = Math.hypot(...g);
      if (gnorm <= gtol) break;
      let accepted = false;
      for (let k = 0; k < 40; k++) {
        const trial = t.map((v, i) => v + step * g[i]!);
        let next: ReturnType<GaussianProcess['logMarginalLikelihood']> | undefined;
        try {
          next = this.logMarginalLikelihood(X, y, toH(trial));
        } catch (e) {
          if (!(e instanceof SingularMatrixError)) throw e;
        }
        if (next && next.value >= cur.value + 1e-4 * step * gnorm * gnorm) {
          t = trial;
          cur = next;
          step *= 2;
          accepted = true;
          break;
        }
        step /= 2;
      }
      if (!accepted) break;
    }
    this.hyperparameters = toH(t);
    this.fit(X, y);
    return cur.value;
  }
}

/** Convenience: the GP log marginal likelihood of data under given hyperparameters. */
export function gpLogMarginalLikelihood(X: NDArray, y: NDArray, h: GPHyperparameters): number {
  return new GaussianProcess(h).logMarginalLikelihood(X, y, h).value;
}
