import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, matVec, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';

/**
 * BFGS quasi-Newton with a strong-Wolfe line search, updating the inverse Hessian approximation
 * H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs, and scaling H₀ = (yᵀs / yᵀy) I before the first update
 * (Nocedal & Wright, Algorithm 6.1 and eq. 6.20).
 */
export function* bfgs(
  obj: Objective,
  x0: Float64Array,
  options: MinimizeOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const p = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let first = true;
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    matVec(H, g, n, p);
    for (let i = 0; i < n; i++) p[i] = -p[i]!;
    const alpha0 = first ? Math.min(1, 1 / Math.max(normInf(g), 1e-300)) : 1;
    const ls = yield* strongWolfe$(obj, x, f, g, p, { alpha0 });
    if (ls.alpha === undefined || !ls.g)
      return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
    for (let i = 0; i < n; i++) {
      s[i] = ls.x[i]! - x[i]!;
      y[i] = ls.g[i]! - g[i]!;
    }
    const xOld = x;
    const fOld = f;
    x = ls.x;
    f = ls.f;
    g = ls.g;
    const ys = dot(y, s);
    if (ys > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      if (first) {
        const gamma = ys / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = gamma;
        first = false;
      }
      // H ← H − ρ(Hy sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ, with H symmetric
      const rho = 1 / ys;
      matVec(H, y, n, Hy);
      const yHy = dot(y, Hy);
      const c = rho * rho * yHy + rho;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let j = 0; j < n; j++)
          H[row + j]! += -rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + c * s[i]! * s[j]!;
      }
    }
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
