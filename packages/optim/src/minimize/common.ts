import { STOP } from '../result.js';

/** Tolerances and limits shared by the minimisers. */
export interface MinimizeOptions {
  /** Stop when ‖∇f‖∞ ≤ gtol (default 1e-6). */
  gtol?: number;
  /** Stop when the relative decrease of f falls below ftol (default 0: off). */
  ftol?: number;
  /** Stop when ‖Δx‖∞ ≤ xtol·(1 + ‖x‖∞) (default 0: off). */
  xtol?: number;
  /** Iteration limit (default 200·n, at least 1000). */
  maxIter?: number;
  /** Called after each iteration with the iterate and f; return `true` to stop early. */
  callback?: (x: Float64Array, f: number, iteration: number) => unknown;
}

/** What each method returns to the facade. */
export interface MethodOutcome {
  x: Float64Array;
  f: number;
  g: Float64Array;
  nit: number;
  success: boolean;
  message: string;
}

/** Resolved options with defaults. */
export interface Resolved {
  gtol: number;
  ftol: number;
  xtol: number;
  maxIter: number;
  callback: MinimizeOptions['callback'];
}

/** Fills defaults. */
export function resolve(o: MinimizeOptions, n: number): Resolved {
  return {
    gtol: o.gtol ?? 1e-6,
    ftol: o.ftol ?? 0,
    xtol: o.xtol ?? 0,
    maxIter: o.maxIter ?? Math.max(1000, 200 * n),
    callback: o.callback,
  };
}

/** Applies the step/function-change tests after a step from (xOld, fOld) to (x, f); returns a stop message or undefined. */
export function stepConverged(
  r: Resolved,
  xOld: Float64Array,
  x: Float64Array,
  fOld: number,
  f: number,
): string | undefined {
  if (r.ftol > 0 && Math.abs(fOld - f) <= r.ftol * Math.max(Math.abs(fOld), Math.abs(f), 1))
    return STOP.step;
  if (r.xtol > 0) {
    let dx = 0;
    let xn = 0;
    for (let i = 0; i < x.length; i++) {
      dx = Math.max(dx, Math.abs(x[i]! - xOld[i]!));
      xn = Math.max(xn, Math.abs(x[i]!));
    }
    if (dx <= r.xtol * (1 + xn)) return STOP.step;
  }
  return undefined;
}
