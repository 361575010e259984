import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { assertFinite } from '../core/finite.js';
import { choSolve, cholesky } from '../decomp/cholesky.js';
import { eigvalsh } from '../decomp/eigh.js';
import { eye } from '../ops/creation.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { transpose } from '../ops/shape.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Posterior predictive of {@link BayesianLinearRegression} at new feature rows. */
export interface BayesianPrediction {
  /** Predictive mean Φ* m_N. */
  mean: NDArray;
  /** Predictive variance 1/β + φ*ᵀ S_N φ* of a new noisy observation. */
  variance: NDArray;
}

/**
 * Bayesian linear regression t = Φw + ε with prior w ~ N(0, α⁻¹I) and noise ε ~ N(0, β⁻¹I) (Bishop, Pattern
 * Recognition and Machine Learning, 2006, §3.3–3.5): posterior N(m_N, S_N) with S_N⁻¹ = αI + βΦᵀΦ and
 * m_N = βS_NΦᵀt, predictive variance 1/β + φᵀS_Nφ, and the log evidence (eq. 3.86)
 * ln p(t | α, β) = (M/2) ln α + (N/2) ln β − E(m_N) − ½ ln|S_N⁻¹| − (N/2) ln 2π with
 * E(m) = (β/2)‖t − Φm‖² + (α/2)‖m‖². `optimize` maximises the evidence over α, β by MacKay's fixed point
 * (eqs. 3.92 and 3.95: γ = Σ λᵢ/(α + λᵢ), α = γ/‖m_N‖², 1/β = ‖t − Φm_N‖²/(N − γ)).
 * @example
 * ```ts
 * const model = new BayesianLinearRegression({ alpha: 1e-2, beta: 25 }).fit(Phi, t);
 * model.logEvidence; // compare feature sets (polynomial degrees) by it
 * ```
 */
export class BayesianLinearRegression {
  /** Prior precision α of the weights. */
  alpha: number;
  /** Noise precision β. */
  beta: number;
  #fit: { Phi: NDArray; t: NDArray; mean: NDArray; L: NDArray; logEvidence: number } | undefined;

  constructor(options: { alpha?: number; beta?: number } = {}) {
    this.alpha = options.alpha ?? 1;
    this.beta = options.beta ?? 1;
    BayesianLinearRegression.#checkPrecisions(this.alpha, this.beta);
  }

  static #checkPrecisions(alpha: number, beta: number): void {
    if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta)))
      throw new ValueError(
        'BayesianLinearRegression',
        `the precisions α and β must be positive and finite, got α = ${alpha}, β = ${beta}`,
      );
  }

  /** Conditions on the design Φ (N × M) and targets t (N) with the current α, β. */
  fit(Phi: NDArray, t: NDArray): this {
    if (Phi.ndim !== 2 || t.ndim !== 1 || t.shape[0] !== Phi.shape[0]) {
      throw new ShapeError(
        'BayesianLinearRegression.fit',
        `needs Φ (N, M) and t (N,), got ${formatShape(Phi.shape)} and ${formatShape(t.shape)}`,
      );
    }
    assertFinite('BayesianLinearRegression.fit', 'Φ', Phi);
    assertFinite('BayesianLinearRegression.fit', 't', t);
    const [N, M] = Phi.shape as [number, number];
    const { alpha, beta } = this;
    // S_N⁻¹ = αI + βΦᵀΦ = LLᵀ
    const precision = add(mul(eye(M), alpha), mul(matmul(Phi, Phi, { transA: true }), beta));
    const L = cholesky(precision);
    const mean = mul(choSolve(L, matmul(Phi, t, { transA: true })), beta);
    const r = sub(t, matmul(Phi, mean));
    const E = 0.5 * beta * sum(mul(r, r)).item() + 0.5 * alpha * sum(mul(mean, mean)).item();
    const l = L.dataSync();
    let halfLogDet = 0;
    for (let i = 0; i < M; i++) halfLogDet += Math.log(l[i * M + i]!);
    const logEvidence =
      0.5 * M * Math.log(alpha) + 0.5 * N * Math.log(beta) - E - halfLogDet - 0.5 * N * LOG_2PI;
    this.#fit = { Phi, t, mean, L, logEvidence };
    return this;
  }

  #fitted(op: string) {
    if (!this.#fit) throw new ValueError(op, 'call fit(Φ, t) first');
    return this.#fit;
  }

  /** Posterior mean m_N of the weights. */
  get mean(): NDArray {
    return this.#fitted('BayesianLinearRegression.mean').mean;
  }

  /** Posterior covariance S_N = (αI + βΦᵀΦ)⁻¹. */
  get covariance(): NDArray {
    const { L } = this.#fitted('BayesianLinearRegression.covariance');
    return choSolve(L, eye(L.shape[0]!));
  }

  /** ln p(t | α, β), the log evidence (marginal likelihood) of the fitted data. */
  get logEvidence(): number {
    return this.#fitted('BayesianLinearRegression.logEvidence').logEvidence;
  }

  /** Predictive mean and variance at feature rows Φ* (K × M). */
  predict(PhiStar: NDArray): BayesianPrediction {
    const { mean, L } = this.#fitted('BayesianLinearRegression.predict');
    if (PhiStar.ndim !== 2 || PhiStar.shape[1] !== L.shape[0]) {
      throw new ShapeError(
        'BayesianLinearRegression.predict',
        `needs Φ* (K, ${L.shape[0]}), got ${formatShape(PhiStar.shape)}`,
      );
    }
    const V = choSolve(L, transpose(PhiStar)); // S_N Φ*ᵀ, M × K
    const quad = sum(mul(PhiStar, transpose(V)), { axis: 1 }); // φ*ᵀ S_N φ* row by row
    return { mean: matmul(PhiStar, mean), variance: add(quad, 1 / this.beta) };
  }

  /**
   * Sets α and β to a maximiser of the evidence by MacKay's fixed-point iteration, then refits; returns the
   * final log evidence. Stops when both change by less than `rtol` (default 1e-10) relatively.
   */
  optimize(Phi: NDArray, t: NDArray, options: { maxIter?: number; rtol?: number } = {}): number {
    this.fit(Phi, t);
    const N = Phi.shape[0]!;
    // the eigenvalues of βΦᵀΦ are β times those of ΦᵀΦ: one decomposition serves every iteration
    const gram = matmul(Phi, Phi, { transA: true });
    const lambdas = Array.from(eigvalsh(gram).dataSync(), (l) => Math.max(l, 0));
    const rtol = options.rtol ?? 1e-10;
    for (let it = 0; it < (options.maxIter ?? 1000); it++) {
      const { mean, Phi: P, t: tt } = this.#fitted('BayesianLinearRegression.optimize');
      const gamma = lambdas.reduce((s, l) => s + (this.beta * l) / (this.alpha + this.beta * l), 0);
      const mm = sum(mul(mean, mean)).item();
      const r = sub(tt, matmul(P, mean));
      const rr = sum(mul(r, r)).item();
      const alpha = gamma / mm;
      const beta = (N - gamma) / rr;
      BayesianLinearRegression.#checkPrecisions(alpha, beta);
      const done =
        Math.abs(alpha - this.alpha) <= rtol * alpha && Math.abs(beta - this.beta) <= rtol * beta;
      this.alpha = alpha;
      this.beta = beta;
      this.fit(Phi, t);
      if (done) break;
    }
    return this.logEvidence;
  }
}
