import { ValueError } from '@sciml/linalg';
import { STOP } from '../result.js';

/** Tolerances and limits shared by the minimisers. */
export interface MinimizeOptions {
  /** Stop when ‖∇f‖∞ ≤ gtol (default 1e-6). */
  gtol?: number;
  /** Stop when the relative decrease of f falls below ftol (default 0: off). */
  ftol?: number;
  /** Stop when ‖Δx‖∞ ≤ xtol·(1 + ‖x‖∞) (default 0: off). */
  xtol?: number;
  /**
   * Iteration limit (default 200·n, at least 1000). Must be a finite positive integer: a method whose
   * iterates never settle (a fixed step that oscillates) would otherwise never return.
   */
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
  /** The final inverse-Hessian approximation (n × n, row-major), for the dense quasi-Newton method. */
  hessInv?: Float64Array;
}

/** Resolved options with defaults. */
export interface Resolved {
  gtol: number;
  ftol: number;
  xtol: number;
  maxIter: number;
  callback: MinimizeOptions['callback'];
}

/**
 * Throws `ValueError` unless `maxIter` is undefined or a finite integer ≥ 1: every iterative loop needs a
 * bound, since an iteration that never settles (an oscillating fixed step) would otherwise never return.
 */
export function checkMaxIter(op: string, maxIter: number | undefined): void {
  if (maxIter !== undefined && !(Number.isSafeInteger(maxIter) && maxIter >= 1))
    throw new ValueError(
      op,
      `maxIter must be a finite integer ≥ 1, got ${String(maxIter)}: every loop needs a bound; for "until converged" pass a large one such as 1e6`,
    );
}

/** Fills defaults, after checking the tolerances (finite, ≥ 0) and the iteration bound (a finite integer ≥ 1). */
export function resolve(o: MinimizeOptions, n: number): Resolved {
  for (const name of ['gtol', 'ftol', 'xtol'] as const) {
    const v = o[name];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      throw new ValueError('minimize', `${name} must be a finite number ≥ 0, got ${String(v)}`);
  }
  checkMaxIter('minimize', o.maxIter);
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

/**
 * Detects a fixed-step method revisiting the iterate of two steps before (x_{k+1} = x_{k−1} exactly): the
 * step is too large for the curvature and the iteration oscillates between two points forever.
 */
export class TwoCycle {
  #prev: Float64Array | undefined;
  #prevPrev: Float64Array | undefined;

  /** Records x_{k+1}; returns true when it equals x_{k−1} and differs from x_k. */
  repeats(x: Float64Array): boolean {
    const back2 = this.#prevPrev;
    const cycled =
      back2 !== undefined &&
      this.#prev !== undefined &&
      !sameVector(x, this.#prev) &&
      sameVector(x, back2);
    this.#prevPrev = this.#prev;
    this.#prev = x.slice();
    return cycled;
  }
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
