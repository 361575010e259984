import { NotFiniteError, ValueError } from '@sciml/linalg';
import { checkNonNegative, checkPositiveInt } from '../matrix.js';
import { proximalRidgeSolver, solveOnSupport } from './least-squares.js';
import {
  type SparseOptimizer,
  reducedProblem,
  readProblem,
  unscaledCoefficients,
} from './optimizer.js';

/** Options of {@link sr3}. @public */
export interface SR3Options {
  /**
   * Level of the proximal step (default 0.1): with `'l0'` coefficients of the relaxed variable below it are
   * set to zero (hard thresholding, penalty λ‖w‖₀ with λ = threshold²/(2ν)); with `'l1'` they shrink by
   * it (soft thresholding, λ = threshold/ν).
   */
  threshold?: number;
  /** Relaxation ν coupling ξ and w through ‖ξ − w‖²/(2ν) (default 1). */
  nu?: number;
  /** Sparsity penalty R: `'l0'` (default) or `'l1'`. */
  thresholder?: 'l0' | 'l1';
  /** Most iterations (default 30). */
  maxIter?: number;
  /** Stop when max |w_new − w| ≤ tol · max(1, max |w|) (default 1e-5). */
  tol?: number;
  /** Scale each feature column to unit norm first (default false). */
  normalizeColumns?: boolean;
  /** Refit the final support by ordinary least squares (default true). */
  unbias?: boolean;
}

/**
 * Sparse relaxed regularised regression (Zheng, Askham, Brunton, Kutz & Aravkin 2019, "A unified framework
 * for sparse relaxed regularized regression: SR3", IEEE Access 7:1404; for SINDy, Champion, Zheng, Aravkin,
 * Brunton & Kutz 2020, "A unified sparse optimization framework to learn parsimonious physics-informed
 * models from data", IEEE Access 8:169259). Minimises ½‖Y − ΘΞᵀ‖² + λR(W) + ‖Ξ − W‖²/(2ν) by alternating
 * Ξ ← (ΘᵀΘ + I/ν)⁻¹(ΘᵀY + W/ν) (a ridge problem, solved through one QR factorisation for all iterations
 * and targets) and W ← prox_{λνR}(Ξ). Returns the sparse W (pysindy's `SR3`).
 * @public
 */
export function sr3(options: SR3Options = {}): SparseOptimizer {
  const threshold = checkNonNegative('sr3', 'threshold', options.threshold ?? 0.1);
  const nu = options.nu ?? 1;
  if (!(nu > 0) || !Number.isFinite(nu))
    throw new ValueError('sr3', `nu must be finite and > 0, got ${nu}`);
  const kind = options.thresholder ?? 'l0';
  if (kind !== 'l0' && kind !== 'l1')
    throw new ValueError('sr3', `thresholder must be 'l0' or 'l1', got '${String(kind)}'`);
  const maxIter = checkPositiveInt('sr3', 'maxIter', options.maxIter ?? 30);
  const tol = checkNonNegative('sr3', 'tol', options.tol ?? 1e-5);
  const normalize = options.normalizeColumns ?? false;
  const unbias = options.unbias ?? true;
  const op = 'sr3';
  // prox of λν‖·‖₀ with λ = threshold²/(2ν) keeps |v| > √(2λν) = threshold; prox of λν‖·‖₁ shrinks by λν = threshold.
  const prox =
    kind === 'l0'
      ? (v: number) => (Math.abs(v) > threshold ? v : 0)
      : (v: number) => Math.sign(v) * Math.max(Math.abs(v) - threshold, 0);
  return {
    description: `sr3(threshold=${threshold}, nu=${nu}, ${kind})`,
    fit(theta, y) {
      const data = readProblem(op, theta, y);
      const g = reducedProblem(data.theta, data.y, normalize);
      const { features: p, targets: k } = g;
      const solve = proximalRidgeSolver(g, nu);
      // Iterates are stored p×k (feature-major) to match C = QᵀY; W starts at zero, so Ξ starts at
      // the ridge fit.
      let w = new Float64Array(p * k);
      let iterations = 0;
      let converged = false;
      for (let it = 0; it < maxIter && !converged; it++) {
        iterations = it + 1;
        const xi = solve(w);
        const next = xi.map(prox);
        let change = 0;
        let size = 1;
        for (let e = 0; e < next.length; e++) {
          change = Math.max(change, Math.abs(next[e]! - w[e]!));
          size = Math.max(size, Math.abs(next[e]!));
        }
        if (!Number.isFinite(change))
          throw new NotFiniteError(op, `the iterates diverged at iteration ${iterations}`);
        w = next;
        converged = change <= tol * size;
      }
      const coef = new Float64Array(k * p);
      for (let target = 0; target < k; target++) {
        if (unbias) {
          const support = [];
          for (let j = 0; j < p; j++) if (w[j * k + target] !== 0) support.push(j);
          coef.set(solveOnSupport(op, g, target, support, 0), target * p);
        } else {
          for (let j = 0; j < p; j++) coef[target * p + j] = w[j * k + target]!;
        }
      }
      return { coefficients: unscaledCoefficients(g, coef), iterations, converged };
    },
  };
}
