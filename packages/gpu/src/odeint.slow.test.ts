// odeint on the GPU (lavapipe in CI), float32: fixed-step RK4 replayed on the device ('direct') and the
// backsolve adjoint integrated on the device ('adjoint'). Values and gradients of a Lorenz loss must agree
// with the float64 CPU solve to float32 accuracy; an adaptive method without odeintAsync's plan is a
// BackendError (odeint-async.slow.test.ts runs them with the plan).
// Slow tier: lavapipe runs each of the ~20 RK4 steps' small kernels in software.
import { valueAndGrad } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { odeint } from '@sciml/physics';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from './test-utils/probe.js';

type Lorenz = { sigma: la.NDArray; rho: la.NDArray; beta: la.NDArray };
/** Lorenz (1963): x' = σ(y − x), y' = x(ρ − z) − y, z' = xy − βz. */
const lorenz = (_t: number, u: la.NDArray, p: Lorenz): la.NDArray => {
  const x = la.slice(u, 0);
  const y = la.slice(u, 1);
  const z = la.slice(u, 2);
  return la.stack([
    la.mul(p.sigma, la.sub(y, x)),
    la.sub(la.mul(x, la.sub(p.rho, z)), y),
    la.sub(la.mul(x, y), la.mul(p.beta, z)),
  ]);
};
const ts = [0, 0.1, 0.2];

describeWithGpu(
  'odeint on the gpu',
  () => probeGpu({ name: 'webgpu-odeint-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const place = (a: la.NDArray, dtype: 'float32' | 'float64', onGpu: boolean) => {
      const c = la.astype(a, dtype);
      return onGpu ? la.toBackend(c, gpu()) : c;
    };
    const problem = (dtype: 'float32' | 'float64', onGpu: boolean) => ({
      y0: place(la.array([1, 1, 1]), dtype, onGpu),
      p: {
        sigma: place(la.scalar(10), dtype, onGpu),
        rho: place(la.scalar(28), dtype, onGpu),
        beta: place(la.scalar(8 / 3), dtype, onGpu),
      },
    });
    /** Σ ys² and its gradient in (y0, σ, ρ, β), read back as numbers. */
    const run = async (
      dtype: 'float32' | 'float64',
      onGpu: boolean,
      gradient: 'direct' | 'adjoint',
    ) => {
      const { y0, p } = problem(dtype, onGpu);
      const [value, [gy, gp]] = valueAndGrad(
        (yy: la.NDArray, pp: Lorenz) =>
          la.sum(la.square(odeint(lorenz, yy, ts, pp, { method: 'RK4', dt: 0.01, gradient }))),
        { argnums: [0, 1] },
      )(y0, p) as [la.NDArray, [la.NDArray, Lorenz]];
      const read = async (a: la.NDArray) => Array.from(await a.data());
      return {
        value: (await read(value))[0]!,
        grad: [
          ...(await read(gy)),
          ...(await read(gp.sigma)),
          ...(await read(gp.rho)),
          ...(await read(gp.beta)),
        ],
        backend: value.backend.name,
      };
    };

    it.each(['direct', 'adjoint'] as const)(
      "RK4, gradient '%s': GPU float32 agrees with CPU float64 and CPU float32",
      async (gradient) => {
        const ref = await run('float64', false, gradient);
        const cpu32 = await run('float32', false, gradient);
        const got = await run('float32', true, gradient);
        expect(got.backend).toBe(gpu().name);
        const rel = (a: number[], b: number[]) =>
          Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));
        // float32 rounding grown over 20 steps of a chaotic flow: a few 1e-6 relative
        for (const r of [got, cpu32]) {
          expect(Math.abs(r.value - ref.value) / ref.value).toBeLessThan(2e-5);
          expect(rel(r.grad, ref.grad)).toBeLessThan(2e-4);
        }
      },
      300_000,
    );

    it('adaptive methods without a plan and implicit methods throw BackendError naming the fix', () => {
      const { y0, p } = problem('float32', true);
      expect(() => odeint(lorenz, y0, ts, p, { method: 'RK45' })).toThrow(la.BackendError);
      expect(() => odeint(lorenz, y0, ts, p, { method: 'RK45' })).toThrow(/await odeintAsync/);
      expect(() => odeint(lorenz, y0, ts, p, { method: 'Radau', gradient: 'adjoint' })).toThrow(
        la.BackendError,
      );
    });
  },
);
