import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, dot, normInf } from '../vector.js';
import { type MethodOutcome, type MinimizeOptions, resolve, stepConverged } from './common.js';

/** Options of L-BFGS. */
export interface LbfgsOptions extends MinimizeOptions {
  /** Number of stored (s, y) pairs m (default 10). */
  memory?: number;
}

/**
 * Limited-memory BFGS: the two-loop recursion applies the inverse-Hessian approximation built from the last m
 * pairs (s, y), with H₀ = (sᵀy / yᵀy) I, and a strong-Wolfe line search (Nocedal & Wright, Algorithms 7.4 and 7.5).
 */
export function* lbfgs(
  obj: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  const m = options.memory ?? 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhos: number[] = [];
  const alphas = new Float64Array(m);
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const q = new Float64Array(n);
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    // two-loop recursion: q ← H g
    q.set(g);
    for (let i = S.length - 1; i >= 0; i--) {
      const a = rhos[i]! * dot(S[i]!, q);
      alphas[i] = a;
      const yi = Y[i]!;
      for (let j = 0; j < n; j++) q[j]! -= a * yi[j]!;
    }
    const last = S.length - 1;
    const gamma =
      last >= 0
        ? dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!)
        : 1 / Math.max(normInf(g), 1e-300);
    for (let j = 0; j < n; j++) q[j]! *= gamma;
    for (let i = 0; i < S.length; i++) {
      const b = rhos[i]! * dot(Y[i]!, q);
      const si = S[i]!;
      const a = alphas[i]!;
      for (let j = 0; j < n; j++) q[j]! += (a - b) * si[j]!;
    }
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = -q[j]!;
    const ls = yield* strongWolfe$(obj, x, f, g, p, { alpha0: 1 });
    if (ls.alpha === undefined || !ls.g)
      return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = ls.x[j]! - x[j]!;
      y[j] = ls.g[j]! - g[j]!;
    }
    const ys = dot(y, s);
    // keep only pairs with positive curvature so H stays positive definite
    if (ys > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rhos.shift();
      }
      S.push(s);
      Y.push(y);
      rhos.push(1 / ys);
    }
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
