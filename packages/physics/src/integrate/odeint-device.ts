/**
 * `odeint` on a backend that reads values only asynchronously (WebGPU, `await a.data()`): nothing may wait on
 * the device inside a synchronous solve. Fixed-step RK4 needs no read at all — its step grid depends on `dt`
 * alone — and an adaptive method's accepted steps come from `odeintAsync`'s plan (its controller awaits the
 * error norms); on such a known grid the solution and its gradients run on the device (see `replay.ts`).
 */
import { BackendError, type NDArray } from '@sciml/linalg';
import { FixedStepper } from './steppers/fixed.js';

const OP = 'odeint';

/** Whether values of `x` can be read synchronously (CPU backends) — what the step planning needs. */
export function readsSync(x: NDArray): boolean {
  return x.backend.downloadSync !== undefined;
}

/**
 * A `BackendError` for what cannot run without synchronous reads and without a step plan: an adaptive
 * `method` (its steps come from error norms read on the host) or an implicit one (Newton on the host).
 */
export function deviceUnsupported(x: NDArray, what: string): BackendError {
  return new BackendError(
    OP,
    `${what} needs values read on the host during the solve, and the ${x.backend.name} backend reads only ` +
      'asynchronously; on this backend plan the steps with `const { plan } = await odeintAsync(f, y0, ts, ' +
      "params, options)` and pass them as odeint's option `plan`, or use method 'RK4' with a step dt",
  );
}

/**
 * The RK4 step grid of each output interval, [[tStart, tEnd], …]: the same steps the CPU stepper takes (its
 * grid t0 + j·dt with the last step shortened), found without evaluating f.
 */
export function rk4Grid(times: Float64Array, dt: number): [number, number][][] {
  const zero = (_t: number, _y: Float64Array, out: Float64Array) => out.fill(0);
  return Array.from({ length: times.length - 1 }, (_, i) => {
    const steps: [number, number][] = [];
    const stepper = new FixedStepper(
      zero,
      'RK4',
      times[i]!,
      new Float64Array(1),
      times[i + 1]!,
      dt,
      {
        ownKernel: false,
      },
    );
    while (stepper.t !== times[i + 1]) {
      stepper.step();
      steps.push([stepper.tOld, stepper.t]);
    }
    return steps;
  });
}
