// odeint with float32 state and on a backend without synchronous reads. The CPU backend with `downloadSync`
// removed stands in for a GPU here (same float64 arithmetic, so its RK4 solution and gradients must match
// the CPU's to rounding); the lavapipe run (float32) is in @sciml/gpu's odeint.test.ts.
import { valueAndGrad } from '@sciml/autodiff';
import {
  type Backend,
  BackendError,
  type NDArray,
  array,
  astype,
  cpuBackend,
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
import { odeint } from './odeint.js';

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
const params = (dtype: 'float64' | 'float32', backend?: Backend): Lorenz => {
  const leaf = (v: number) => {
    const a = astype(scalar(v), dtype);
    return backend ? toBackend(a, backend) : a;
  };
  return { sigma: leaf(10), rho: leaf(28), beta: leaf(8 / 3) };
};
const start = (dtype: 'float64' | 'float32', backend?: Backend) => {
  const a = astype(array([1, 1, 1]), dtype);
  return backend ? toBackend(a, backend) : a;
};

type Options = Parameters<typeof odeint>[4];
/** Σ ys² and its gradient in (y0, σ, ρ, β), read back (asynchronously) as plain numbers. */
async function lossAndGrad(y0: NDArray, p: Lorenz, options: Options) {
  const [value, [gy, gp]] = valueAndGrad(
    (yy: NDArray, pp: Lorenz) => sum(square(odeint(lorenz, yy, ts, pp, options))),
    { argnums: [0, 1] },
  )(y0, p) as [NDArray, [NDArray, Lorenz]];
  expect(value.dtype).toBe(y0.dtype);
  expect(gy.dtype).toBe(y0.dtype);
  const read = async (a: NDArray) => Array.from(await a.data());
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

const relErr = (a: number[], b: number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));

describe('odeint with float32 state on the CPU', () => {
  it.each([
    ['RK45', 'direct'],
    ['RK45', 'adjoint'],
    ['RK45', 'checkpoint'],
    ['RK4', 'direct'],
    ['RK4', 'adjoint'],
  ] as const)(
    '%s, gradient %s: float32 values and gradients agree with float64 to float32 accuracy',
    async (method, gradient) => {
      const options = { method, gradient, dt: 0.01, rtol: 1e-5, atol: 1e-7 };
      const ref = await lossAndGrad(start('float64'), params('float64'), options);
      const f32 = await lossAndGrad(start('float32'), params('float32'), options);
      // float32 rounding (ε ≈ 6e-8) grown over 50 steps of a chaotic flow (measured: values ≤ 3e-7, gradients
      // ≤ 2.3e-6 relative)
      expect(Math.abs(f32.value - ref.value) / ref.value).toBeLessThan(3e-6);
      expect(relErr(f32.grad, ref.grad)).toBeLessThan(3e-5);
    },
  );
});

describe('odeint on a backend that reads only asynchronously', () => {
  const asyncHost: Backend = { ...cpuBackend, name: 'async-host-odeint', downloadSync: undefined };
  beforeAll(() => registerBackend(asyncHost));
  afterAll(() => unregisterBackend(asyncHost.name));

  it.each(['direct', 'adjoint'] as const)(
    "RK4, gradient '%s': the same values and gradients as on the CPU, without reading the device",
    async (gradient) => {
      const options = { method: 'RK4' as const, gradient, dt: 0.01 };
      const ref = await lossAndGrad(start('float64'), params('float64'), options);
      const got = await lossAndGrad(
        start('float64', asyncHost),
        params('float64', asyncHost),
        options,
      );
      // 'direct' replays the same ops; 'adjoint' integrates the same augmented system with RK4 on the same
      // grid (on NDArrays here, on numbers on the CPU): equal to rounding
      expect(Math.abs(got.value - ref.value) / ref.value).toBeLessThan(1e-13);
      expect(relErr(got.grad, ref.grad)).toBeLessThan(1e-11);
    },
  );

  it('the adjoint gradient on the device agrees with central finite differences of the CPU solution', async () => {
    const got = await lossAndGrad(start('float64', asyncHost), params('float64', asyncHost), {
      method: 'RK4',
      gradient: 'adjoint',
      dt: 0.005,
    });
    const loss = (sigma: number) =>
      sum(
        square(
          odeint(
            lorenz,
            start('float64'),
            ts,
            { ...params('float64'), sigma: scalar(sigma) },
            {
              method: 'RK45',
              rtol: 1e-12,
              atol: 1e-12,
            },
          ),
        ),
      ).item();
    const fd = (loss(10 + 1e-4) - loss(10 - 1e-4)) / 2e-4;
    // RK4 at dt = 5e-3: the continuous adjoint's discretisation error, O(dt⁴) (measured 6.6e-6; 1e-8 at dt = 1e-3)
    expect(Math.abs(got.grad[3]! - fd) / Math.abs(fd)).toBeLessThan(2e-5);
  });

  it('adaptive and implicit methods without a plan throw BackendError naming the fix', () => {
    const y0 = start('float64', asyncHost);
    const p = params('float64', asyncHost);
    expect(() => odeint(lorenz, y0, ts, p, { method: 'RK45' })).toThrow(BackendError);
    expect(() => odeint(lorenz, y0, ts, p, { method: 'RK45' })).toThrow(/await odeintAsync/);
    expect(() => odeint(lorenz, y0, ts, p, { method: 'Radau', gradient: 'adjoint' })).toThrow(
      BackendError,
    );
  });
});
