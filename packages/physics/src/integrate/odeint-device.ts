/**
 * `odeint` on a backend that reads values only asynchronously (WebGPU, `await a.data()`): nothing may wait on
 * the device inside a synchronous solve. Fixed-step RK4 needs no read at all — its step grid depends on `dt`
 * alone — so the solution is the differentiable replay of those steps on the device ('direct'), and the
 * backsolve adjoint (Chen et al. 2018, Alg. 1) integrates z = (y, a, g), y' = f, a' = −aᵀ∂f/∂y,
 * g' = −aᵀ∂f/∂θ backwards over the same grid with RK4 on the device ('adjoint'), restarting y from the stored
 * forward state at each output time. The adaptive methods choose each step from an error norm read on the
 * host; they stay on backends with synchronous reads (the CPU, float64 or float32).
 */
import { type PyTree, ravelPytree, stopGradient, vjp } from '@sciml/autodiff';
import { BackendError, type NDArray, add, mul, slice } from '@sciml/linalg';
import { FixedStepper } from './steppers/fixed.js';

const OP = 'odeint';

/** Whether values of `x` can be read synchronously (CPU backends) — what the step planning needs. */
export function readsSync(x: NDArray): boolean {
  return x.backend.downloadSync !== undefined;
}

/**
 * A `BackendError` for what cannot run without synchronous reads: an adaptive `method` (its steps come from
 * error norms read on the host) or the `'checkpoint'` adjoint (its adaptive re-solves likewise).
 */
export function deviceUnsupported(x: NDArray, what: string): BackendError {
  return new BackendError(
    OP,
    `${what} needs values read on the host during the solve, and the ${x.backend.name} backend reads only ` +
      "asynchronously; on this backend use method 'RK4' with a step dt (gradient 'direct' or 'adjoint'), or " +
      "solve on the CPU (toBackend(y0, 'cpu'), float32 or float64)",
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

/** The augmented adjoint field at (t, y, a): [f(t, y), −aᵀ∂f/∂y, −aᵀ∂f/∂θ (raveled)], all on the device. */
function adjointField<P extends PyTree>(
  f: (t: number, y: NDArray, p: P) => NDArray,
  p: P,
  t: number,
  y: NDArray,
  a: NDArray,
): [NDArray, NDArray, NDArray | undefined] {
  const [dy, pull] = vjp((yy: NDArray, pp: P) => f(t, yy, pp), y, p);
  const [ay, ap] = pull(a) as [NDArray, P];
  const leaves = ravelPytree(ap)[0];
  return [dy, mul(-1, ay), leaves.size > 0 ? mul(-1, leaves) : undefined];
}

/**
 * The backsolve adjoint over the RK4 grid `steps` on the device: returns [∂L/∂y0, ∂L/∂θ] for the cotangent
 * `ct` of the stacked output `ys` (shape [ts.length, …y0.shape]).
 */
export function deviceBacksolve<P extends PyTree>(
  f: (t: number, y: NDArray, p: P) => NDArray,
  ct: NDArray,
  ys: NDArray,
  params: P,
  steps: readonly (readonly [number, number])[][],
): [NDArray, P] {
  const p = stopGradient(params);
  const [theta, unravel] = ravelPytree(p);
  const rows = stopGradient(ys);
  const cts = stopGradient(ct);
  const row = (x: NDArray, i: number) => slice(x, i);
  let a = row(cts, steps.length);
  let g: NDArray | undefined = theta.size > 0 ? mul(0, theta) : undefined;
  const axpy = (x: NDArray, h: number, k: NDArray) => add(x, mul(h, k));
  for (let i = steps.length; i >= 1; i--) {
    let y = row(rows, i);
    const interval = steps[i - 1]!;
    for (let s = interval.length - 1; s >= 0; s--) {
      const [tA, tB] = interval[s]!;
      const h = tA - tB; // backwards
      const k1 = adjointField(f, p, tB, y, a);
      const k2 = adjointField(f, p, tB + h / 2, axpy(y, h / 2, k1[0]), axpy(a, h / 2, k1[1]));
      const k3 = adjointField(f, p, tB + h / 2, axpy(y, h / 2, k2[0]), axpy(a, h / 2, k2[1]));
      const k4 = adjointField(f, p, tA, axpy(y, h, k3[0]), axpy(a, h, k3[1]));
      const combine = (x: NDArray, j: 0 | 1 | 2) =>
        add(x, mul(h / 6, add(add(k1[j]!, mul(2, add(k2[j]!, k3[j]!))), k4[j]!)));
      y = combine(y, 0);
      a = combine(a, 1);
      if (g !== undefined) g = combine(g, 2);
    }
    a = add(a, row(cts, i - 1));
  }
  return [a, g === undefined ? p : unravel(g)];
}
