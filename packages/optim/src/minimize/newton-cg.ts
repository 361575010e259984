import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';
import type { HessVecSteps } from './trust-subproblems.js';

/**
 * Inner solve of truncated Newton (a coroutine: each product ∇²f·d is requested): CG on ∇²f p = −g, stopped when ‖r‖₁ ≤ min(0.5, √‖g‖₁)·‖g‖₁ (the forcing
 * sequence of Dembo, Eisenstat & Steihaug 1982, as SciPy's `newton-cg` uses) or at the first direction of
 * non-positive curvature — the iterate so far, or the scaled steepest descent when that happens at once.
 */
export function* truncatedNewtonDirection$(
  hessVec: HessVecSteps,
  g: Float64Array,
  maxInner: number,
): Evaluations<Float64Array> {
  const n = g.length;
  let gAbs = 0;
  for (let i = 0; i < n; i++) gAbs += Math.abs(g[i]!);
  const eta = Math.min(0.5, Math.sqrt(gAbs));
  const target = eta * gAbs;
  const p = new Float64Array(n);
  const r = g.slice(); // residual of H p + g
  const d = Float64Array.from(g, (v) => -v);
  let rr = dot(r, r);
  for (let i = 0; i < maxInner; i++) {
    let rAbs = 0;
    for (let j = 0; j < n; j++) rAbs += Math.abs(r[j]!);
    if (rAbs <= target) break;
    const Hd = yield* hessVec(d);
    const curv = dot(d, Hd);
    if (curv >= 0 && curv <= 3 * Number.EPSILON) break;
    if (curv < 0) {
      // negative curvature: keep what CG has, or take the steepest-descent step scaled by ‖g‖²/|dᵀHd|
      if (i === 0) for (let j = 0; j < n; j++) p[j] = (rr / -curv) * -g[j]!;
      break;
    }
    const alpha = rr / curv;
    for (let j = 0; j < n; j++) {
      p[j]! += alpha * d[j]!;
      r[j]! += alpha * Hd[j]!;
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    rr = rrNew;
    for (let j = 0; j < n; j++) d[j] = -r[j]! + beta * d[j]!;
  }
  return p;
}

/**
 * Truncated (line-search) Newton–CG (Nocedal & Wright, Algorithm 7.1; SciPy's `newton-cg`): the Newton system is
 * solved inexactly by CG using only Hessian–vector products (forward-over-reverse autodiff unless `hessp` is
 * given), so the Hessian is never formed; negative curvature ends the inner solve, and a strong-Wolfe search
 * from α = 1 globalises the step. Unlike exact Newton with a modified Cholesky, it reaches the global minimum
 * of the extended Rosenbrock function from (−1.2, 1, …).
 */
export function* newtonCG(
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
    const at = x;
    const p = yield* truncatedNewtonDirection$((v) => obj.hessVec$(at, v), g, 20 * n);
    const ls = yield* strongWolfe$(obj, x, f, g, p, { alpha0: 1, c2: 0.9 });
    if (ls.alpha === undefined || !ls.g)
      return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
    const xOld = x;
    const fOld = f;
    x = ls.x;
    f = ls.f;
    g = ls.g;
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
