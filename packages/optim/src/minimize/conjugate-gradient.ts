import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';

/** Options of nonlinear conjugate gradient. */
export interface ConjugateGradientOptions extends MinimizeOptions {
  /** β formula (default 'polak-ribiere+'). */
  beta?: 'polak-ribiere+' | 'fletcher-reeves';
}

/**
 * Nonlinear conjugate gradient with a strong-Wolfe line search (c₂ = 0.1) and PR+ β = max(0, gᵀ(g − g₋)/‖g₋‖²),
 * restarting along −∇f when the direction is not a descent direction (Nocedal & Wright §5.2).
 */
export function* conjugateGradient(
  obj: Objective,
  x0: Float64Array,
  options: ConjugateGradientOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = -g[i]!;
  let alpha0 = 1 / Math.max(1, normInf(g));
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    if (dot(g, p) >= 0) for (let i = 0; i < n; i++) p[i] = -g[i]!;
    const ls = yield* strongWolfe$(obj, x, f, g, p, { c2: 0.1, alpha0 });
    if (ls.alpha === undefined || !ls.g)
      return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
    const xOld = x;
    const fOld = f;
    const gOld = g;
    x = ls.x;
    f = ls.f;
    g = ls.g;
    const gg = dot(gOld, gOld);
    const beta =
      options.beta === 'fletcher-reeves'
        ? dot(g, g) / gg
        : Math.max(0, (dot(g, g) - dot(g, gOld)) / gg);
    for (let i = 0; i < n; i++) p[i] = -g[i]! + beta * p[i]!;
    // the next first trial step matches the last decrease (Nocedal & Wright eq. 3.60)
    const newSlope = dot(g, p);
    alpha0 = newSlope < 0 ? Math.min(1, (2 * (f - fOld)) / newSlope) : 1;
    if (!(alpha0 > 0)) alpha0 = 1;
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
