/**
 * The step plan of an adaptive `odeint` solve: the accepted steps of each output interval, decided once (by
 * `odeintAsync`, whose controller awaits the error norms) and replayed by `odeint`'s `plan` option, where a
 * synchronous solve cannot read the device.
 */
import { ValueError } from '@sciml/linalg';
import type { OdeintMethod } from './odeint.js';
import type { StepGrid } from './replay.js';

/**
 * The accepted steps of an `odeintAsync` solve, to pass to `odeint` as its `plan`.
 * @public
 */
export interface OdeintPlan {
  /** The method that chose (and replays) the steps. */
  readonly method: OdeintMethod;
  /** The output times the steps end at. */
  readonly ts: readonly number[];
  /** For each output interval [ts[i], ts[i + 1]], its accepted steps [[tStart, tEnd], …] in order. */
  readonly steps: readonly (readonly (readonly [number, number])[])[];
  /** Accepted steps in all. */
  readonly nsteps: number;
  /** Rejected trial steps in all. */
  readonly nrejected: number;
  /** Evaluations of f the planning took. */
  readonly nfev: number;
}

/** Checks that `plan` was made for `method` and the output times `times`; returns its step grid. */
export function checkPlan(
  op: string,
  plan: OdeintPlan,
  method: OdeintMethod,
  times: Float64Array,
): StepGrid {
  const fix = 'pass the plan odeintAsync returned for the same ts and options';
  if (plan.method !== method)
    throw new ValueError(op, `plan was made by method '${plan.method}', not '${method}'; ${fix}`);
  const same = plan.ts.length === times.length && plan.ts.every((t, i) => t === times[i]);
  if (!same || plan.steps.length !== times.length - 1)
    throw new ValueError(
      op,
      `plan was made for the output times [${plan.ts.join(', ')}], not [${Array.from(times).join(', ')}]; ${fix}`,
    );
  plan.steps.forEach((interval, i) => {
    let t = times[i]!;
    for (const [a, b] of interval) {
      if (a !== t || !(b > a))
        throw new ValueError(
          op,
          `plan's steps of interval ${i} are not contiguous at t = ${a}; ${fix}`,
        );
      t = b;
    }
    if (t !== times[i + 1])
      throw new ValueError(
        op,
        `plan's steps of interval ${i} end at ${t}, not ${times[i + 1]}; ${fix}`,
      );
  });
  return plan.steps;
}
