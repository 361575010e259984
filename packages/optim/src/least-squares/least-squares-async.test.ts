// leastSquaresAsync on a backend without synchronous reads. The CPU backend with `downloadSync` removed stands
// in for a GPU (same float64 arithmetic, so the async run must retrace the sync one exactly); the float32
// run on a real GPU (lavapipe) is in @sciml/gpu's least-squares-async.test.ts.
import {
  type Backend,
  type NDArray,
  NotFiniteError,
  ValueError,
  array,
  div,
  cpuBackend,
  exp,
  fromTypedArray,
  linspace,
  mul,
  registerBackend,
  sub,
  toBackend,
  unregisterBackend,
} from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leastSquaresAsync } from './least-squares-async.js';
import { leastSquares } from './least-squares.js';

const asyncHost: Backend = { ...cpuBackend, name: 'async-host-lsq', downloadSync: undefined };
beforeAll(() => registerBackend(asyncHost));
afterAll(() => unregisterBackend(asyncHost.name));

// y = 2·exp(−3t) + a small deterministic wiggle, so the fit has a non-zero residual and covariance
const tHost = linspace(0, 1, 25);
const yHost = fromTypedArray(
  Float64Array.from(tHost.dataSync(), (t, i) => 2 * Math.exp(-3 * t) + 0.01 * Math.sin(7 * i)),
);
type P = { a: NDArray; k: NDArray };
const model = (t: NDArray, y: NDArray) => (p: P) => sub(mul(p.a, exp(mul(p.k, t))), y);
const start = (backend: Backend | string): P => ({
  a: toBackend(array([1]), backend),
  k: toBackend(array([-1]), backend),
});

describe('leastSquaresAsync', () => {
  it.each(['lm', 'gauss-newton'] as const)(
    "'%s' on a pytree retraces leastSquares exactly when values are read asynchronously",
    async (method) => {
      const sync = leastSquares(model(tHost, yHost), start('cpu'), { method });
      const t = toBackend(tHost, asyncHost);
      const y = toBackend(yHost, asyncHost);
      const res = await leastSquaresAsync(model(t, y), start(asyncHost), { method });
      expect(res.x.k.backend.name).toBe(asyncHost.name);
      expect(res.nit).toBe(sync.nit);
      expect(res.nfev).toBe(sync.nfev);
      expect(res.njev).toBe(sync.njev);
      expect(res.cost).toBe(sync.cost);
      expect(Array.from(await res.x.k.data())).toEqual(Array.from(sync.x.k.dataSync()));
      expect(Array.from(res.covariance!.dataSync())).toEqual(
        Array.from(sync.covariance!.dataSync()),
      );
      // and the fit is the right one: k ≈ −3, a ≈ 2 (the wiggle moves them by ~1e-2 at most)
      expect(sync.x.k.item()).toBeCloseTo(-3, 1);
      expect(sync.x.a.item()).toBeCloseTo(2, 1);
      expect(sync.success).toBe(true);
    },
  );

  it('takes a plain vector start and a hand-written jac (flat order)', async () => {
    const t = tHost.dataSync();
    const y = yHost.dataSync();
    const residual = (p: NDArray) => {
      const [a, k] = p.dataSync();
      return fromTypedArray(Float64Array.from(t, (ti, i) => a! * Math.exp(k! * ti) - y[i]!));
    };
    const jac = (p: NDArray) => {
      const [a, k] = p.dataSync();
      const J = new Float64Array(t.length * 2);
      t.forEach((ti, i) => {
        J[2 * i] = Math.exp(k! * ti);
        J[2 * i + 1] = a! * ti * Math.exp(k! * ti);
      });
      return fromTypedArray(J, [t.length, 2]);
    };
    const sync = leastSquares(residual, [1, -1], { jac });
    const res = await leastSquaresAsync(residual, [1, -1], { jac });
    expect(Array.from(res.x.dataSync())).toEqual(Array.from(sync.x.dataSync()));
    expect(res.njev).toBe(sync.njev);
  });

  it("runs 'trf' through leastSquares for host parameters and refuses it for device ones", async () => {
    const bounds = { lower: [0, -2.5], upper: [5, 0] };
    const sync = leastSquares(model(tHost, yHost), start('cpu'), { bounds });
    const res = await leastSquaresAsync(model(tHost, yHost), start('cpu'), { bounds });
    expect(res.x.k.item()).toBe(sync.x.k.item());
    expect(res.x.k.item()).toBeCloseTo(-2.5, 12); // the bound is active: the free optimum is k ≈ −3
    const t = toBackend(tHost, asyncHost);
    const y = toBackend(yHost, asyncHost);
    await expect(leastSquaresAsync(model(t, y), start(asyncHost), { bounds })).rejects.toThrow(
      ValueError,
    );
    await expect(
      leastSquaresAsync(model(t, y), start(asyncHost), { method: 'trf' }),
    ).rejects.toThrow(/'lm'/);
  });

  it('refuses a Jacobian of the wrong shape and a residual that is not finite at x0', async () => {
    const r = (p: NDArray) => sub(p, array([1, 2, 3]));
    await expect(
      leastSquaresAsync(r, [0, 0, 0], { jac: () => array([[1, 0, 0]]) }),
    ).rejects.toThrow(/shape \(3, 3\)/);
    await expect(leastSquaresAsync(r, [Number.NaN, 0, 0])).rejects.toThrow(NotFiniteError);
    const inf = (p: NDArray) => div(array([1, 1, 1]), p); // 1/0 at the start
    await expect(leastSquaresAsync(inf, [0, 1, 1])).rejects.toThrow(/not finite/);
  });
});
