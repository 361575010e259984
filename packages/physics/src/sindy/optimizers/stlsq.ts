import { NotFiniteError } from '@sciml/linalg';
import { checkNonNegative, checkPositiveInt } from '../matrix.js';
import { solveOnSupport } from './least-squares.js';
import {
  type SparseOptimizer,
  reducedProblem,
  readProblem,
  unscaledCoefficients,
} from './optimizer.js';

/** Options of {@link stlsq}. @public */
export interface STLSQOptions {
  /** Coefficients with |ξ| below this are set to zero at each pass (default 0.1). */
  threshold?: number;
  /** Ridge penalty α of each least-squares pass, ‖y − Θξ‖² + α‖ξ‖² (default 0.05, as pysindy). */
  alpha?: number;
  /** Most thresholding passes (default 20). */
  maxIter?: number;
  /** Scale each feature column to unit norm first, so one threshold suits features of any size (default false). */
  normalizeColumns?: boolean;
  /** Refit the final support by ordinary least squares, without the ridge penalty (default true). */
  unbias?: boolean;
}

/**
 * Sequentially thresholded least squares, the optimiser of the original SINDy paper (Brunton, Proctor &
 * Kutz 2016, "Discovering governing equations from data by sparse identification of nonlinear dynamical
 * systems", PNAS 113(15):3932). For each target: solve a ridge regression, zero the coefficients below
 * `threshold`, refit on the features left, and repeat until the support stops changing (pysindy's `STLSQ`).
 * @example
 * ```ts
 * const result = stlsq({ threshold: 0.1 }).fit(theta, xDot); // result.coefficients: (targets × features)
 * ```
 * @public
 */
export function stlsq(options: STLSQOptions = {}): SparseOptimizer {
  const threshold = checkNonNegative('stlsq', 'threshold', options.threshold ?? 0.1);
  const alpha = checkNonNegative('stlsq', 'alpha', options.alpha ?? 0.05);
  const maxIter = checkPositiveInt('stlsq', 'maxIter', options.maxIter ?? 20);
  const normalize = options.normalizeColumns ?? false;
  const unbias = options.unbias ?? true;
  const op = 'stlsq';
  return {
    description: `stlsq(threshold=${threshold}, alpha=${alpha})`,
    fit(theta, y) {
      const data = readProblem(op, theta, y);
      const g = reducedProblem(data.theta, data.y, normalize);
      const { features: p, targets: k } = g;
      const xi = new Float64Array(k * p);
      let iterations = 0;
      let converged = true;
      for (let target = 0; target < k; target++) {
        let support = Array.from({ length: p }, (_, j) => j);
        let coef: Float64Array = new Float64Array(p);
        let settled = false;
        for (let it = 0; it < maxIter; it++) {
          iterations = Math.max(iterations, it + 1);
          coef = solveOnSupport(op, g, target, support, alpha);
          const kept = support.filter((j) => Math.abs(coef[j]!) >= threshold);
          if (kept.length === support.length) {
            settled = true;
            break;
          }
          support = kept;
        }
        converged &&= settled;
        if (support.length > 0 && unbias) coef = solveOnSupport(op, g, target, support, 0);
        else if (!settled) coef = solveOnSupport(op, g, target, support, alpha);
        xi.set(coef, target * p);
      }
      if (!Number.isFinite(xi.reduce((s, v) => s + v, 0))) {
        throw new NotFiniteError(
          op,
          'the fit produced non-finite coefficients; check the library for huge features',
        );
      }
      return { coefficients: unscaledCoefficients(g, xi), iterations, converged };
    },
  };
}
