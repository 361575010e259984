import { NotFiniteError, ValueError, fromTypedArray } from '@sciml/linalg';
import { type SparseSolver, lasso as lassoSolve } from '@sciml/optim';
import { checkNonNegative, checkPositiveInt } from '../matrix.js';
import { solveOnSupport } from './least-squares.js';
import { type SparseOptimizer, reducedProblem, readProblem } from './optimizer.js';

/** Options of {@link lassoOptimizer}. @public */
export interface LassoOptimizerOptions {
  /**
   * ℓ1 weight α in scikit-learn's scaling, (1/2m)‖y − Θξ‖² + α‖ξ‖₁ for m samples (default 0.1), so values
   * carry over from pysindy scripts that pass `Lasso(alpha=…)`.
   */
  alpha?: number;
  /** Solver of `@sciml/optim`'s `lasso`: `'coordinate-descent'` (default), `'fista'` or `'ista'`. */
  solver?: SparseSolver;
  /** Iteration limit of the solver (default 10 000). */
  maxIter?: number;
  /** Solver tolerance on the largest coefficient change, relative (default 1e-10). */
  tol?: number;
  /** Scale each feature column to unit norm first, so α penalises all features alike (default false). */
  normalizeColumns?: boolean;
  /** Refit the support by ordinary least squares, removing the ℓ1 shrinkage (default true, as pysindy). */
  unbias?: boolean;
}

/**
 * A SINDy optimiser: LASSO (Tibshirani 1996) for each target, solved by `@sciml/optim`'s `lasso` (the solver
 * of that name; this is the optimiser built on it, hence its own name): the ℓ1 penalty sets small
 * coefficients exactly to zero. pysindy offers it through scikit-learn's `Lasso`; as there, the support is
 * refitted by least squares unless `unbias` is false.
 * @public
 */
export function lassoOptimizer(options: LassoOptimizerOptions = {}): SparseOptimizer {
  const op = 'lassoOptimizer';
  const alpha = checkNonNegative(op, 'alpha', options.alpha ?? 0.1);
  const maxIter = checkPositiveInt(op, 'maxIter', options.maxIter ?? 10_000);
  const tol = checkNonNegative(op, 'tol', options.tol ?? 1e-10);
  const solver = options.solver ?? 'coordinate-descent';
  if (!['coordinate-descent', 'fista', 'ista'].includes(solver)) {
    throw new ValueError(
      op,
      `solver must be 'coordinate-descent', 'fista' or 'ista', got '${String(solver)}'`,
    );
  }
  const normalize = options.normalizeColumns ?? false;
  const unbias = options.unbias ?? true;
  return {
    description: `lasso(alpha=${alpha})`,
    fit(theta, y) {
      const data = readProblem(op, theta, y);
      const { rows: m, cols: p } = data.theta;
      const k = data.y.cols;
      const scale = new Float64Array(p).fill(1);
      const A = Float64Array.from(data.theta.data);
      if (normalize) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += A[i * p + j]! ** 2;
          scale[j] = s > 0 ? 1 / Math.sqrt(s) : 1;
        }
        for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) A[i * p + j]! *= scale[j]!;
      }
      const An = fromTypedArray(A, [m, p]);
      const g = unbias ? reducedProblem(data.theta, data.y, false) : undefined;
      const coef = new Float64Array(k * p);
      let iterations = 0;
      let converged = true;
      for (let target = 0; target < k; target++) {
        const b = Float64Array.from({ length: m }, (_, i) => data.y.data[i * k + target]!);
        const r = lassoSolve(An, fromTypedArray(b, [m]), {
          lambda: alpha * m,
          solver,
          maxIter,
          tol,
        });
        iterations = Math.max(iterations, r.nit);
        converged &&= r.success;
        const x = r.x.dataSync();
        if (g) {
          const support = [];
          for (let j = 0; j < p; j++) if (x[j] !== 0) support.push(j);
          coef.set(solveOnSupport(op, g, target, support, 0), target * p);
        } else {
          for (let j = 0; j < p; j++) coef[target * p + j] = x[j]! * scale[j]!;
        }
      }
      if (!coef.every(Number.isFinite))
        throw new NotFiniteError(op, 'the fit produced non-finite coefficients');
      return { coefficients: fromTypedArray(coef, [k, p]), iterations, converged };
    },
  };
}
