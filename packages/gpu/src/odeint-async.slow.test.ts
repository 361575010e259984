// odeintAsync on the GPU (lavapipe in CI), float32: the adaptive controller reads each trial step's error norm
// asynchronously, and odeint replays the plan to differentiate on the device. The Tsit5/Dopri5 Lorenz solve
// must equal the CPU float32 solve to float32 rounding; the 'adjoint' and 'checkpoint' gradients must agree
// with central finite differences of a tight float64 CPU solve.
// Slow tier: lavapipe runs each trial step's ~80 small kernels in software.
import { valueAndGrad } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { odeint, odeintAsync } from '@sciml/physics';
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
const ts = [0, 0.05, 0.1];
const tol = { rtol: 1e-5, atol: 1e-6 };
const read = async (a: la.NDArray) => Array.from(await a.data());
/** max |a − b| / max |b|. */
const relErr = (a: number[], b: number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));

describeWithGpu(
  'odeintAsync on the gpu',
  () => probeGpu({ name: 'webgpu-odeint-async-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const problem = (dtype: 'float32' | 'float64', onGpu: boolean, sigma = 10) => {
      const place = (a: la.NDArray) => {
        const c = la.astype(a, dtype);
        return onGpu ? la.toBackend(c, gpu()) : c;
      };
      return {
        y0: place(la.array([1, 1, 1])),
        p: {
          sigma: place(la.scalar(sigma)),
          rho: place(la.scalar(28)),
          beta: place(la.scalar(8 / 3)),
        },
      };
    };

    // one plan per method, shared by the tests (each trial step is a round trip through lavapipe)
    const plans = new Map<string, Promise<Awaited<ReturnType<typeof odeintAsync>>>>();
    const planOnGpu = (method: 'Tsit5' | 'RK45') => {
      if (!plans.has(method)) {
        const dev = problem('float32', true);
        plans.set(method, odeintAsync(lorenz, dev.y0, ts, dev.p, { method, ...tol }));
      }
      return plans.get(method)!;
    };

    it.each(['Tsit5', 'RK45'] as const)(
      '%s: the GPU solve equals the CPU float32 solve to float32 rounding',
      async (method) => {
        const cpu = problem('float32', false);
        const { ys, plan } = await planOnGpu(method);
        expect(ys.backend).toBe(gpu());
        expect(ys.dtype).toBe('float32');
        // the same steps on the CPU in float32: float32 rounding (ε ≈ 6e-8) over 6–8 steps (measured: Tsit5
        // bit for bit, RK45 5.3e-8)
        const same = odeint(lorenz, cpu.y0, ts, cpu.p, { method, ...tol, plan });
        expect(relErr(await read(ys), await read(same))).toBeLessThan(5e-7);
        // the CPU's own float32 solve (steps from float64 norms; a step more or less can happen, 11 vs 12 over
        // [0, 0.2]): agrees to the tolerance (measured 4.3e-7 Tsit5, 5.3e-8 RK45)
        const own = odeint(lorenz, cpu.y0, ts, cpu.p, { method, ...tol });
        expect(relErr(await read(ys), await read(own))).toBeLessThan(tol.rtol);
      },
      300_000,
    );

    it.each(['adjoint', 'checkpoint'] as const)(
      "Tsit5, gradient '%s' on the GPU from the plan agrees with central finite differences",
      async (gradient) => {
        const options = { method: 'Tsit5' as const, ...tol };
        const dev = problem('float32', true);
        const { plan } = await planOnGpu('Tsit5');
        const [, [gy, gp]] = valueAndGrad(
          (yy: la.NDArray, pp: Lorenz) =>
            la.sum(la.square(odeint(lorenz, yy, ts, pp, { ...options, plan, gradient }))),
          { argnums: [0, 1] },
        )(dev.y0, dev.p) as [la.NDArray, [la.NDArray, Lorenz]];
        expect(gy.backend).toBe(gpu());
        const got = [...(await read(gy)), ...(await read(gp.sigma)), ...(await read(gp.rho))];
        // central differences of a tight float64 CPU solve in y0[0], σ and ρ
        const loss = (y00: number, sigma: number, rho: number) => {
          const { y0, p } = problem('float64', false, sigma);
          const start = la.add(y0, la.array([y00 - 1, 0, 0]));
          const ys = odeint(
            lorenz,
            start,
            ts,
            { ...p, rho: la.scalar(rho) },
            {
              method: 'Vern9',
              rtol: 1e-12,
              atol: 1e-12,
            },
          );
          return la.sum(la.square(ys)).item();
        };
        const e = 1e-5;
        const fd = [
          (loss(1 + e, 10, 28) - loss(1 - e, 10, 28)) / (2 * e),
          (loss(1, 10 + e, 28) - loss(1, 10 - e, 28)) / (2 * e),
          (loss(1, 10, 28 + e) - loss(1, 10, 28 - e)) / (2 * e),
        ];
        // float32 gradients of a solve at rtol 1e-5 (measured 5.6e-7 adjoint, 4.6e-7 checkpoint)
        expect(relErr([got[0]!, got[3]!, got[4]!], fd)).toBeLessThan(5e-6);
      },
      300_000,
    );
  },
);
