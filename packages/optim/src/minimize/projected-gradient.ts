import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, normInf } from '../vector.js';
import {
  type MethodOutcome,
  type MinimizeOptions,
  resolve,
  stepConverged,
  TwoCycle,
} from './common.js';
import type { Projection } from './projections.js';

/** Options of projected gradient descent. */
export interface ProjectedGradientOptions extends MinimizeOptions {
  /** Euclidean projection onto the feasible set. */
  project: Projection;
  /** Fixed step; when omitted, backtracking along the projection arc. */
  stepSize?: number;
}

/**
 * Projected gradient x ← P(x − α∇f(x)), with Armijo backtracking along the projection arc
 * (Bertsekas, Nonlinear Programming §2.3). Converges when the projected-gradient step ‖x − P(x − ∇f)‖∞ ≤ gtol.
 */
export function* projectedGradient(
  obj: Objective,
  x0: Float64Array,
  options: ProjectedGradientOptions,
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  const n = x0.length;
  const P = options.project;
  let x: Float64Array = P(x0.slice());
  let [f, g] = yield* obj.valueAndGrad$(x);
  let alpha = options.stepSize ?? 1;
  const stationarity = (): number => {
    const y = P(Float64Array.from(x, (v, i) => v - g[i]!));
    return normInf(Float64Array.from(y, (v, i) => v - x[i]!));
  };
  const cycle = new TwoCycle();
  cycle.repeats(x);
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (stationarity() <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    const xOld = x;
    const fOld = f;
    if (options.stepSize !== undefined) {
      x = P(Float64Array.from(x, (v, i) => v - alpha * g[i]!));
      [f, g] = yield* obj.valueAndGrad$(x);
      if (cycle.repeats(x)) return { x, f, g, nit: k + 1, success: false, message: STOP.cycle };
    } else {
      alpha = Math.min(1, 2 * alpha);
      for (let t = 0; ; t++) {
        const xNew = P(Float64Array.from(x, (v, i) => v - alpha * g[i]!));
        const fNew = yield* obj.value$(xNew);
        let decrease = 0;
        for (let i = 0; i < n; i++) decrease += g[i]! * (xNew[i]! - x[i]!);
        if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
          x = xNew;
          f = fNew;
          break;
        }
        alpha *= 0.5;
        if (t > 60) return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
      }
      g = yield* obj.gradient$(x);
    }
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: false, message: STOP.maxIter };
}
