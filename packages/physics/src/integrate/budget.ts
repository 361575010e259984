/**
 * The step budget of `solveIVP`: every integration loop has a finite bound, checked up front where the
 * options already make it unreachable (a `dt` or `maxStep` far too small for the interval), watched on the
 * way for a stall (steps that shrank so far the end cannot be reached), and explained when it runs out.
 */
import { ValueError } from '@sciml/linalg';

/** Default `maxSteps` (accepted + rejected steps): large for any sane problem, finite for a stalled one. */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** Steps between two progress checks of {@link StallWatch}. */
const WINDOW = 10_000;
/** A stall: at the last window's pace the remaining interval needs this many times `maxSteps`. */
const HOPELESS = 1e4;

/** Resolves and checks `maxSteps`: a finite integer ≥ 1 (default {@link DEFAULT_MAX_STEPS}). */
export function resolveMaxSteps(op: string, maxSteps: number | undefined): number {
  if (maxSteps === undefined) return DEFAULT_MAX_STEPS;
  if (!(Number.isSafeInteger(maxSteps) && maxSteps >= 1))
    throw new ValueError(
      op,
      `maxSteps must be a finite integer ≥ 1, got ${String(maxSteps)}: every integration needs a bound`,
    );
  return maxSteps;
}

/**
 * Throws `ValueError` when a step of at most `step` (a fixed `dt`, or `maxStep`) cannot cover `span` within
 * `maxSteps` steps — `dt: 1e-300` would otherwise ask for 10³⁰⁰ steps.
 */
export function checkStepBudget(
  op: string,
  name: 'dt' | 'maxStep',
  step: number,
  span: number,
  maxSteps: number,
): void {
  const needed = span / step;
  if (needed > maxSteps)
    throw new ValueError(
      op,
      `${name} = ${step} needs at least ${needed.toPrecision(3)} steps to cover the interval of length ${span}, more than maxSteps = ${maxSteps}: the step is too small (raise ${name}, or maxSteps if you mean it)`,
    );
}

/** Watches the integration's progress and explains a stall or an exhausted budget. */
export class StallWatch {
  readonly #t1: number;
  readonly #maxSteps: number;
  #windowStart = 0;
  #tStart: number;
  #hRecent = Number.NaN;

  constructor(t0: number, t1: number, maxSteps: number) {
    this.#t1 = t1;
    this.#tStart = t0;
    this.#maxSteps = maxSteps;
  }

  /**
   * Call after each step with the step count so far (accepted + rejected) and the current time; returns
   * a failure message when the last window's pace cannot reach t1 within {@link HOPELESS}·maxSteps steps.
   */
  check(steps: number, t: number): string | undefined {
    if (steps - this.#windowStart < WINDOW) return undefined;
    const progress = Math.abs(t - this.#tStart);
    const perStep = progress / (steps - this.#windowStart);
    this.#hRecent = perStep;
    this.#windowStart = steps;
    this.#tStart = t;
    const remaining = Math.abs(this.#t1 - t);
    if (remaining / perStep > HOPELESS * this.#maxSteps)
      return `the integration stalled near t = ${t}: the last ${WINDOW} steps advanced by ${progress.toPrecision(3)} in all (${perStep.toPrecision(3)} per step), so reaching t1 = ${this.#t1} would take over ${(remaining / perStep).toPrecision(3)} steps. ${LIKELY_CAUSE}`;
    return undefined;
  }

  /** The message for a `maxSteps` budget that ran out at `t`. */
  exhausted(t: number): string {
    const pace = Number.isNaN(this.#hRecent)
      ? ''
      : ` (recent steps advanced ${this.#hRecent.toPrecision(3)} each)`;
    return `reached maxSteps = ${this.#maxSteps} before t1 = ${this.#t1} (at t = ${t})${pace}. If the steps shrank near t: ${LIKELY_CAUSE} Otherwise raise maxSteps.`;
  }
}

const LIKELY_CAUSE =
  "The right-hand side is probably discontinuous there (a switch, sign(y), a table lookup) or the problem is stiff: stop at the discontinuity with a terminal event and restart past it, loosen rtol/atol, or try method 'Rosenbrock23'.";
