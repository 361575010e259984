import { armijoBacktracking$ } from '../linesearch/armijo.js';
import { strongWolfe$ } from '../linesearch/wolfe.js';
import type { Evaluations, Objective } from '../objective.js';
import { STOP } from '../result.js';
import { allFinite, axpy, normInf, scale } from '../vector.js';
import {
  type MethodOutcome,
  type MinimizeOptions,
  TwoCycle,
  resolve,
  stepConverged,
} from './common.js';

/** Options of gradient descent. */
export interface GradientDescentOptions extends MinimizeOptions {
  /** Fixed step η (no line search). Converges on an L-smooth convex f when η < 2/L. */
  stepSize?: number;
  /** Line search when no fixed step is given (default 'armijo'). */
  lineSearch?: 'armijo' | 'wolfe';
}

/** Steepest descent x ← x − η∇f(x), with a fixed step or a line search (Nocedal & Wright §3.1). */
export function* gradientDescent(
  obj: Objective,
  x0: Float64Array,
  options: GradientDescentOptions = {},
): Evaluations<MethodOutcome> {
  const r = resolve(options, x0.length);
  let x: Float64Array = x0.slice();
  let [f, g] = yield* obj.valueAndGrad$(x);
  const p = new Float64Array(x.length);
  let alphaPrev = 1;
  const cycle = new TwoCycle();
  cycle.repeats(x);
  for (let k = 0; k < r.maxIter; k++) {
    if (!Number.isFinite(f) || !allFinite(g))
      return { x, f, g, nit: k, success: false, message: STOP.notFinite };
    if (normInf(g) <= r.gtol) return { x, f, g, nit: k, success: true, message: STOP.gradient };
    scale(p, -1, g);
    const xOld = x;
    const fOld = f;
    if (options.stepSize !== undefined) {
      x = axpy(new Float64Array(x.length), x, options.stepSize, p);
      [f, g] = yield* obj.valueAndGrad$(x);
      if (cycle.repeats(x)) return { x, f, g, nit: k + 1, success: false, message: STOP.cycle };
    } else {
      const ls =
        options.lineSearch === 'wolfe'
          ? yield* strongWolfe$(obj, x, f, g, p, { alpha0: alphaPrev })
          : yield* armijoBacktracking$(obj, x, f, g, p, { alpha0: Math.min(1, 2 * alphaPrev) });
      if (ls.alpha === undefined)
        return { x, f, g, nit: k, success: false, message: STOP.lineSearch };
      alphaPrev = ls.alpha;
      x = ls.x;
      [f, g] = ls.g ? [ls.f, ls.g] : [ls.f, yield* obj.gradient$(x)];
    }
    if (r.callback?.(x, f, k + 1) === true)
      return { x, f, g, nit: k + 1, success: true, message: 'stopped by callback' };
    const stop = stepConverged(r, xOld, x, fOld, f);
    if (stop) return { x, f, g, nit: k + 1, success: true, message: stop };
  }
  return { x, f, g, nit: r.maxIter, success: normInf(g) <= r.gtol, message: STOP.maxIter };
}
