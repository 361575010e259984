// odeintAsync: the adaptive controller with awaited reads. On the CPU it must take the steps odeint takes
// (planned on numbers by the CPU steppers) and give the same solution; on a backend that reads only
// asynchronously (the CPU backend with `downloadSync` removed stands in for a GPU: same float64 arithmetic)
// its plan lets odeint replay and differentiate the solve, checked against the CPU and finite differences.
// The lavapipe (float32) run is in @sciml/gpu's odeint tests.
import { valueAndGrad } from '@sciml/autodiff';
import {
  type Backend,
  BackendError,
  ConvergenceError,
  type NDArray,
  ShapeError,
  ValueError,
  array,
  cpuBackend,
  div,
  mul,
  registerBackend,
  scalar,
  slice,
  square,
  stack,
  sub,
  sum,
  toBackend,
  unregisterBackend,
} from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odeintAsync } from './odeint-async.js';
import { type OdeintMethod, integrate, numericField, odeint, resolveOptions } from './odeint.js';

type Lorenz = { sigma: NDArray; rho: NDArray; beta: NDArray };
/** Lorenz (1963): x' = σ(y − x), y' = x(ρ − z) − y, z' = xy − βz. */
const lorenz = (_t: number, u: NDArray, p: Lorenz): NDArray => {
  const x = slice(u, 0);
  const y = slice(u, 1);
  const z = slice(u, 2);
  return stack([
    mul(p.sigma, sub(y, x)),
    sub(mul(x, sub(p.rho, z)), y),
    sub(mul(x, y), mul(p.beta, z)),
  ]);
};
const ts = [0, 0.2, 0.5];
const params = (backend?: Backend, sigma = 10): Lorenz => {
  const leaf = (v: number) => (backend ? toBackend(scalar(v), backend) : scalar(v));
  return { sigma: leaf(sigma), rho: leaf(28), beta: leaf(8 / 3) };
};
const start = (backend?: Backend) =>
  backend ? toBackend(array([1, 1, 1]), backend) : array([1, 1, 1]);
const read = async (a: NDArray) => Array.from(await a.data());
/** max |a − b| / max |b|. */
const relErr = (a: number[], b: number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));

/** The accepted steps the CPU's odeint plans on numbers (its stepper per output interval). */
function cpuSteps(method: OdeintMethod, rtol: number, atol: number): [number, number][] {
  const opts = resolveOptions({ method, rtol, atol });
  const g = numericField(lorenz, [3], params());
  const steps: [number, number][] = [];
  let y = Float64Array.from([1, 1, 1]);
  let h: number | undefined;
  for (let i = 1; i < ts.length; i++) {
    const r = integrate(g, opts, ts[i - 1]!, y, ts[i]!, h, (a, b) => {
      steps.push([a, b]);
    });
    y = Float64Array.from(r.y);
    h = r.lastStep;
  }
  return steps;
}

describe('odeintAsync on the CPU', () => {
  it.each([
    ['RK45', 1e-8],
    ['Tsit5', 1e-8],
    ['DOP853', 1e-10],
    ['Vern7', 1e-9],
    ['Vern9', 1e-11],
  ] as const)('%s: the steps and the solution of odeint (rtol %s)', async (method, rtol) => {
    const atol = rtol * 1e-2;
    const options = { method, rtol, atol };
    const { ys, plan } = await odeintAsync(lorenz, start(), ts, params(), options);
    const ref = odeint(lorenz, start(), ts, params(), options);
    // the norms are summed in another order than on numbers: step sizes agree to rounding, so the
    // solutions agree far below the tolerance (measured ≤ 4e-16 relative)
    expect(relErr(await read(ys), await read(ref))).toBeLessThan(1e-14);
    const cpu = cpuSteps(method, rtol, atol);
    const mine = plan.steps.flat();
    expect(mine.length).toBe(cpu.length);
    expect(plan.nsteps).toBe(cpu.length);
    // the error estimate Σ Eⱼkⱼ cancels O(|k|) terms down to O(tol): its rounding, and so the step sizes,
    // differ from the CPU's by far more than the states do (measured ≤ 1e-7 relative, 2e-3 for Vern9 at
    // rtol 1e-11, where the estimate nears rounding) — the same accepted steps all the same
    expect(relErr(mine.flat(), cpu.flat())).toBeLessThan(5e-3);
    // odeint replaying the plan performs the very ops the planner did: bit for bit
    const replay = odeint(lorenz, start(), ts, params(), { ...options, plan });
    expect(await read(replay)).toEqual(await read(ys));
  });

  it('RK4: the plan is the dt grid and the solution is odeint’s', async () => {
    const options = { method: 'RK4' as const, dt: 0.03 };
    const { ys, plan } = await odeintAsync(lorenz, start(), ts, params(), options);
    expect(plan.steps.map((iv) => iv.length)).toEqual([7, 10]);
    expect(await read(ys)).toEqual(await read(odeint(lorenz, start(), ts, params(), options)));
  });

  it('the exponential decay y′ = −ky at the requested times, to the tolerance', async () => {
    const decay = (_t: number, y: NDArray, k: NDArray) => mul(-1, mul(k, y));
    const times = [0, 0.5, 1, 2];
    const { ys, plan } = await odeintAsync(decay, array([1]), times, scalar(2), {
      method: 'Tsit5',
      rtol: 1e-10,
      atol: 1e-12,
    });
    const got = await read(ys);
    expect(Math.max(...times.map((t, i) => Math.abs(got[i]! - Math.exp(-2 * t))))).toBeLessThan(
      1e-9,
    );
    // FSAL: six new stages per accepted step, plus the first stage and the starting step's probe
    expect(plan.nfev).toBeGreaterThanOrEqual(6 * plan.nsteps + 2);
  });
});

describe('odeintAsync on a backend that reads only asynchronously', () => {
  const asyncHost: Backend = {
    ...cpuBackend,
    name: 'async-host-odeint-async',
    downloadSync: undefined,
  };
  beforeAll(() => registerBackend(asyncHost));
  afterAll(() => unregisterBackend(asyncHost.name));
  const options = { method: 'Tsit5' as const, rtol: 1e-8, atol: 1e-10 };

  /** Σ ys² and its gradient in (y0, σ, ρ, β) through odeint replaying `plan`. */
  async function lossAndGrad(
    backend: Backend | undefined,
    gradient: 'direct' | 'adjoint' | 'checkpoint',
    plan: NonNullable<Parameters<typeof odeint>[4]>,
  ) {
    const [value, [gy, gp]] = valueAndGrad(
      (yy: NDArray, pp: Lorenz) => sum(square(odeint(lorenz, yy, ts, pp, { ...plan, gradient }))),
      { argnums: [0, 1] },
    )(start(backend), params(backend)) as [NDArray, [NDArray, Lorenz]];
    return {
      value: (await read(value))[0]!,
      grad: [
        ...(await read(gy)),
        ...(await read(gp.sigma)),
        ...(await read(gp.rho)),
        ...(await read(gp.beta)),
      ],
    };
  }

  it('plans the same steps as on the CPU and returns the solution on the backend', async () => {
    const cpu = await odeintAsync(lorenz, start(), ts, params(), options);
    const dev = await odeintAsync(lorenz, start(asyncHost), ts, params(asyncHost), options);
    expect(dev.ys.backend.name).toBe(asyncHost.name);
    expect(dev.plan.steps).toEqual(cpu.plan.steps);
    expect(await read(dev.ys)).toEqual(await read(cpu.ys));
  });

  it("gradients 'direct' and 'checkpoint' on the plan equal odeint's discrete gradient on the CPU", async () => {
    const { plan } = await odeintAsync(lorenz, start(asyncHost), ts, params(asyncHost), options);
    const ref = await lossAndGrad(undefined, 'direct', options);
    for (const gradient of ['direct', 'checkpoint'] as const) {
      const got = await lossAndGrad(asyncHost, gradient, { ...options, plan });
      expect(Math.abs(got.value - ref.value) / ref.value).toBeLessThan(1e-14);
      expect(relErr(got.grad, ref.grad)).toBeLessThan(1e-12);
    }
  });

  it("the adjoint on the plan's grid agrees with central finite differences of the CPU solution", async () => {
    const { plan } = await odeintAsync(lorenz, start(asyncHost), ts, params(asyncHost), options);
    const got = await lossAndGrad(asyncHost, 'adjoint', { ...options, plan });
    const loss = (sigma: number) =>
      sum(
        square(odeint(lorenz, start(), ts, params(undefined, sigma), { rtol: 1e-12, atol: 1e-12 })),
      ).item();
    const fd = (loss(10 + 1e-4) - loss(10 - 1e-4)) / 2e-4;
    // Tsit5's local error on the forward grid (rtol 1e-8), now on the adjoint system
    expect(Math.abs(got.grad[3]! - fd) / Math.abs(fd)).toBeLessThan(1e-6);
  });

  it("RK4's checkpointed gradient runs on the device and equals the direct one", async () => {
    const rk4 = { method: 'RK4' as const, dt: 0.01 };
    const direct = await lossAndGrad(asyncHost, 'direct', rk4);
    const ckpt = await lossAndGrad(asyncHost, 'checkpoint', rk4);
    expect(relErr(ckpt.grad, direct.grad)).toBeLessThan(1e-13);
  });

  it('odeint without a plan names odeintAsync; a plan for other times or another method is a ValueError', async () => {
    const y0 = start(asyncHost);
    const p = params(asyncHost);
    expect(() => odeint(lorenz, y0, ts, p, options)).toThrow(BackendError);
    expect(() => odeint(lorenz, y0, ts, p, options)).toThrow(/odeintAsync/);
    const { plan } = await odeintAsync(lorenz, y0, ts, p, options);
    expect(() => odeint(lorenz, y0, [0, 0.2, 0.6], p, { ...options, plan })).toThrow(ValueError);
    expect(() => odeint(lorenz, y0, ts, p, { ...options, method: 'RK45', plan })).toThrow(
      /made by method 'Tsit5'/,
    );
  });
});

describe('odeintAsync bad input', () => {
  it('implicit methods, a given plan, bad times and tolerances are ValueErrors', async () => {
    await expect(odeintAsync(lorenz, start(), ts, params(), { method: 'Radau' })).rejects.toThrow(
      ValueError,
    );
    await expect(odeintAsync(lorenz, start(), [0, 0], params())).rejects.toThrow(/odeintAsync/);
    await expect(odeintAsync(lorenz, start(), ts, params(), { rtol: 0 })).rejects.toThrow(
      ValueError,
    );
  });

  it('a field of the wrong shape is a ShapeError; a blow-up is a ConvergenceError', async () => {
    const wrong = (_t: number, y: NDArray) => slice(y, 0);
    await expect(odeintAsync(wrong, start(), ts, {})).rejects.toThrow(ShapeError);
    // y′ = y²/… from y(0) = 1 blows up at t = 1: no step reaches t = 2
    const blowUp = (_t: number, y: NDArray) => square(y);
    await expect(odeintAsync(blowUp, array([1]), [0, 2], {})).rejects.toThrow(ConvergenceError);
    const nan = (_t: number, y: NDArray) => div(y, mul(0, y));
    await expect(odeintAsync(nan, array([1]), [0, 1], {})).rejects.toThrow(ConvergenceError);
  });
});
