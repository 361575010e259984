import { SingularMatrixError, choSolve, cholesky, fromTypedArray } from '@sciml/linalg';
import { armijoBacktracking$ } from '../linesearch/armijo.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';

/**
 * Solves (H + τI) p = −g with the smallest τ ∈ {0, τ₀, 2τ₀, 4τ₀, …} for which the Cholesky factorisation succeeds:
 * Newton with a modified Hessian (Nocedal & Wright, Algorithm 3.3, "Cholesky with added multiple of the identity").
 */
export function modifiedNewtonDirection(
  H: Float64Array,
  g: Float64Array,
  n: number,
): { p: Float64Array; tau: number } {
  const sym = new Float64Array(n * n);
  let minDiag = Number.POSITIVE_INFINITY;
  let frob = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = 0.5 * (H[i * n + j]! + H[j * n + i]!);
      sym[i * n + j] = v;
      frob += v * v;
    }
    minDiag = Math.min(minDiag, sym[i * n + i]!);
  }
  const beta = Math.max(1e-3, 1e-8 * Math.sqrt(frob));
  let tau = minDiag > 0 ? 0 : -minDiag + beta;
  const rhs = fromTypedArray(Float64Array.from(g, (v) => -v));
  for (let attempt = 0; attempt < 80; attempt++) {
    const shifted = sym.slice();
    for (let i = 0; i < n; i++) shifted[i * n + i]! += tau;
    try {
      const L = cholesky(fromTypedArray(shifted, [n, n]));
      return { p: Float64Array.from(choSolve(L, rhs).dataSync()), tau };
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
      tau = Math.max(2 * tau, beta);
    }
  }
  throw new SingularMatrixError(
    'newton',
    'could not make the Hessian positive definite by shifting its diagonal',
  );
}

/**
 * Newton's method with a modified-Cholesky fallback when the Hessian is not positive definite, and an
 * Armijo backtracking line search starting from the full step α = 1.
 */
export function* newton(
  obj: Objective,
  x0: Float64Array,
  options: MinimizeOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    const { p } = modifiedNewtonDirection(yield* obj.hessian$(x), g, n);
    const ls = yield* armijoBacktracking$(obj, x, f, g, p, { alpha0: 1 });
    if (ls.alpha === undefined)
      return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
    const xOld = x;
    const fOld = f;
    x = ls.x;
    // the line search already evaluated f at the accepted point
    f = ls.f;
    g = yield* obj.gradient$(x);
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
