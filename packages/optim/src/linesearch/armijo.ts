import { type Evaluations, type Objective, runSync } from '../objective.js';
import { axpy, dot } from '../vector.js';
import type { LineSearchResult } from './types.js';

/** Options of the backtracking search. */
export interface ArmijoOptions {
  /** Initial trial step (default 1). */
  alpha0?: number;
  /** Sufficient-decrease constant c₁ in f(x+αp) ≤ f(x) + c₁α∇fᵀp (default 1e-4). */
  c1?: number;
  /** Backtracking factor ρ ∈ (0, 1) (default 0.5). */
  rho?: number;
  /** Maximum number of halvings (default 60). */
  maxSteps?: number;
}

/**
 * Backtracking line search with the Armijo sufficient-decrease condition (Nocedal & Wright, Algorithm 3.1).
 * Needs only function values; returns `alpha: undefined` if no step decreases f enough.
 */
export function armijoBacktracking(
  obj: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  p: Float64Array,
  options: ArmijoOptions = {},
): LineSearchResult {
  return runSync(armijoBacktracking$(obj, x, fx, g, p, options), obj);
}

/** {@link armijoBacktracking} as a coroutine over evaluations (run synchronously or asynchronously). */
export function* armijoBacktracking$(
  obj: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  p: Float64Array,
  options: ArmijoOptions = {},
): Evaluations<LineSearchResult> {
  const c1 = options.c1 ?? 1e-4;
  const rho = options.rho ?? 0.5;
  const slope = dot(g, p);
  let alpha = options.alpha0 ?? 1;
  // f's rounding level (float32 objectives): below it a decrease cannot be seen, so it is not asked for
  const tolF = obj.valueSlack * Math.abs(fx);
  const xNew = new Float64Array(x.length);
  for (let i = 0; i < (options.maxSteps ?? 60); i++) {
    axpy(xNew, x, alpha, p);
    const f = yield* obj.value$(xNew);
    if (Number.isFinite(f) && f <= fx + c1 * alpha * slope + tolF)
      return { alpha, f, g: undefined, x: xNew };
    alpha *= rho;
  }
  return { alpha: undefined, f: fx, g: undefined, x };
}
