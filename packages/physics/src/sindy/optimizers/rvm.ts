import { ConvergenceError, fromTypedArray, inv } from '@sciml/linalg';
import { checkNonNegative, checkPositiveInt } from '../matrix.js';
import { type SparseOptimizer, readProblem } from './optimizer.js';

/** Options of {@link rvm}. @public */
export interface RVMOptions {
  /** Most evidence-maximisation sweeps per target (default 500). */
  maxIter?: number;
  /** Stop when no active log-precision log αⱼ moves by more than this in a sweep (default 1e-6). */
  tol?: number;
  /**
   * Prune feature j when its prior precision αⱼ exceeds this (its prior pins the weight to 0; default 1e9,
   * in the units of unit-norm columns).
   */
  pruneAlpha?: number;
}

/**
 * Sparse Bayesian regression, the relevance vector machine's evidence maximisation (Tipping 2001, "Sparse
 * Bayesian learning and the relevance vector machine", JMLR 1:211; the SINDy use is Zhang & Lin 2018, Proc.
 * R. Soc. A 474:20180305). Each coefficient has a Gaussian prior N(0, 1/αⱼ), the noise is N(0, 1/β); with
 * Σ = (βΘᵀΘ + diag α)⁻¹ and μ = βΣΘᵀy the type-II maximum-likelihood updates are γⱼ = 1 − αⱼΣⱼⱼ,
 * αⱼ ← γⱼ/μⱼ², β ← (N − Σγ)/‖y − Θμ‖² (MacKay 1992). Irrelevant features' αⱼ diverge and are pruned, so the
 * fit is sparse without a threshold, and it returns the posterior standard deviations √Σⱼⱼ as
 * `coefficientStd` and σ² = 1/β as `noiseVariance`. Columns are scaled to unit norm internally.
 * @example
 * ```ts
 * const r = rvm().fit(theta, xDot); // r.coefficients ± 2 * r.coefficientStd: ~95 % credible intervals
 * ```
 * @public
 */
export function rvm(options: RVMOptions = {}): SparseOptimizer {
  const op = 'rvm';
  const maxIter = checkPositiveInt(op, 'maxIter', options.maxIter ?? 500);
  const tol = checkNonNegative(op, 'tol', options.tol ?? 1e-6);
  const pruneAlpha = checkNonNegative(op, 'pruneAlpha', options.pruneAlpha ?? 1e9);
  return {
    description: `rvm(maxIter=${maxIter}, pruneAlpha=${pruneAlpha})`,
    fit(theta, y) {
      const { theta: T, y: Y } = readProblem(op, theta, y);
      const { rows: N, cols: p } = T;
      const k = Y.cols;
      // unit-norm columns: the Gram matrix A = (ΘS)ᵀ(ΘS) and h = (ΘS)ᵀy carry all the data needs
      const scale = new Float64Array(p);
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += T.data[i * p + j]! ** 2;
        scale[j] = s > 0 ? 1 / Math.sqrt(s) : 1;
      }
      const A = new Float64Array(p * p);
      for (let i = 0; i < N; i++) {
        for (let a = 0; a < p; a++) {
          const va = T.data[i * p + a]! * scale[a]!;
          for (let b = a; b < p; b++) A[a * p + b]! += va * T.data[i * p + b]! * scale[b]!;
        }
      }
      for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[a * p + b] = A[b * p + a]!;
      const coef = new Float64Array(k * p);
      const std = new Float64Array(k * p);
      const noise = new Float64Array(k);
      let iterations = 0;
      let converged = true;
      for (let target = 0; target < k; target++) {
        const h = new Float64Array(p);
        let yy = 0;
        let ySum = 0;
        for (let i = 0; i < N; i++) {
          const v = Y.data[i * k + target]!;
          yy += v * v;
          ySum += v;
          for (let j = 0; j < p; j++) h[j]! += T.data[i * p + j]! * scale[j]! * v;
        }
        const variance = Math.max(yy / N - (ySum / N) ** 2, 1e-300);
        const alpha = new Float64Array(p).fill(1e-6);
        let beta = 100 / variance; // Tipping's start: noise at 10 % of the target's spread
        let settled = false;
        let mu = new Float64Array(0);
        let sigma = new Float64Array(0);
        let active: number[] = [];
        for (let it = 0; it < maxIter; it++) {
          iterations = Math.max(iterations, it + 1);
          active = [];
          for (let j = 0; j < p; j++) if (alpha[j]! < pruneAlpha) active.push(j);
          const s = active.length;
          if (s === 0) {
            settled = true;
            break;
          }
          const M = new Float64Array(s * s);
          for (let a = 0; a < s; a++) {
            for (let b = 0; b < s; b++) M[a * s + b] = beta * A[active[a]! * p + active[b]!]!;
            M[a * s + a]! += alpha[active[a]!]!;
          }
          sigma = Float64Array.from(inv(fromTypedArray(M, [s, s])).dataSync());
          mu = new Float64Array(s);
          for (let a = 0; a < s; a++) {
            let acc = 0;
            for (let b = 0; b < s; b++) acc += sigma[a * s + b]! * h[active[b]!]!;
            mu[a] = beta * acc;
          }
          // ‖y − Θμ‖² = yᵀy − 2μᵀh + μᵀAμ, floored so an exact fit cannot drive β to infinity
          let rss = yy;
          for (let a = 0; a < s; a++) {
            rss -= 2 * mu[a]! * h[active[a]!]!;
            for (let b = 0; b < s; b++) rss += mu[a]! * A[active[a]! * p + active[b]!]! * mu[b]!;
          }
          rss = Math.max(rss, 1e-30 * yy);
          let gammaSum = 0;
          let change = 0;
          for (let a = 0; a < s; a++) {
            const j = active[a]!;
            // Faul & Tipping (2002): with the others fixed, the evidence is maximised at αⱼ = ∞ exactly when
            // qⱼ² ≤ sⱼ (sparsity sⱼ and quality qⱼ of feature j leaving its own prior out); prune it then,
            // instead of waiting for MacKay's update to walk αⱼ up to the cut-off
            let aSa = 0;
            let aMu = 0;
            for (let b = 0; b < s; b++) {
              const Ajb = A[j * p + active[b]!]!;
              aMu += Ajb * mu[b]!;
              for (let c = 0; c < s; c++) aSa += Ajb * sigma[b * s + c]! * A[active[c]! * p + j]!;
            }
            const S = beta * A[j * p + j]! - beta * beta * aSa;
            const Q = beta * h[j]! - beta * aMu;
            const sj = (alpha[j]! * S) / (alpha[j]! - S);
            const qj = (alpha[j]! * Q) / (alpha[j]! - S);
            const gamma = 1 - alpha[j]! * sigma[a * s + a]!;
            gammaSum += gamma;
            if (qj * qj <= sj) {
              alpha[j] = Number.POSITIVE_INFINITY;
              change = Number.POSITIVE_INFINITY; // the active set changed: not settled yet
              continue;
            }
            const next = gamma / Math.max(mu[a]! ** 2, 1e-300);
            change = Math.max(change, Math.abs(Math.log(next / alpha[j]!)));
            alpha[j] = next;
          }
          beta = Math.max(N - gammaSum, 1e-12) / rss;
          if (!Number.isFinite(beta)) {
            throw new ConvergenceError(
              op,
              'the noise precision became non-finite; check the data',
              it + 1,
            );
          }
          if (change < tol) {
            settled = true;
            break;
          }
        }
        converged &&= settled;
        const s = active.length;
        for (let a = 0; a < s; a++) {
          const j = active[a]!;
          if (alpha[j]! >= pruneAlpha) continue;
          coef[target * p + j] = mu[a]! * scale[j]!;
          std[target * p + j] = Math.sqrt(sigma[a * s + a]!) * scale[j]!;
        }
        noise[target] = 1 / beta;
      }
      return {
        coefficients: fromTypedArray(coef, [k, p]),
        coefficientStd: fromTypedArray(std, [k, p]),
        noiseVariance: fromTypedArray(noise, [k]),
        iterations,
        converged,
      };
    },
  };
}
