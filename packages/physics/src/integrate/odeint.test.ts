import { grad } from '@sciml/autodiff';
import { type NDArray, array, mul, neg, slice, stack, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';

// The Lorenz gradient checks (adjoint vs finite differences vs backprop vs jvp) run in odeint.slow.test.ts.
const y0 = array([1, 1, 1]);
const tight = { rtol: 1e-12, atol: 1e-12 };

describe('odeint', () => {
  it('matches the closed form of y′ = −k y and its derivative in k (both gradient modes)', () => {
    const decay = (_t: number, y: NDArray, k: NDArray) => mul(neg(k), y);
    for (const mode of ['direct', 'adjoint'] as const) {
      const ys = odeint(decay, array([1]), [0, 0.5, 1], array([2]), { ...tight, gradient: mode });
      expect(ys.shape).toEqual([3, 1]);
      expect(ys.get(2, 0)).toBeCloseTo(Math.exp(-2), 11);
      // d/dk e^{−k} at t = 1 is −e^{−2}
      const dk = grad((k: NDArray) =>
        sum(slice(odeint(decay, array([1]), [0, 1], k, { ...tight, gradient: mode }), 1)),
      )(array([2]));
      expect(dk.item()).toBeCloseTo(-Math.exp(-2), 9);
    }
  });

  it('DOP853: the replayed 8th-order steps match the closed form and its derivative, in far fewer steps', () => {
    const decay = (_t: number, y: NDArray, k: NDArray) => mul(neg(k), y);
    for (const mode of ['direct', 'adjoint'] as const) {
      const opts = { ...tight, method: 'DOP853' as const, gradient: mode };
      const dk = grad((k: NDArray) => sum(slice(odeint(decay, array([1]), [0, 1], k, opts), 1)))(
        array([2]),
      );
      expect(dk.item()).toBeCloseTo(-Math.exp(-2), 9);
      expect(odeint(decay, array([1]), [0, 1], array([2]), opts).get(1, 0)).toBeCloseTo(
        Math.exp(-2),
        11,
      );
    }
  });

  it('checkpointed interpolating adjoint = direct gradient on Lotka–Volterra (output times, extra checkpoints)', () => {
    const lv = (_t: number, u: NDArray, th: NDArray): NDArray => {
      const x = slice(u, 0);
      const y = slice(u, 1);
      const [a, b, d, c] = [0, 1, 2, 3].map((i) => slice(th, i));
      return stack([sub(mul(a!, x), mul(b!, mul(x, y))), sub(mul(d!, mul(x, y)), mul(c!, y))]);
    };
    const ts = [0, 0.5, 1];
    const loss = (gradient: 'direct' | 'checkpoint', checkpoints = 0) =>
      grad(
        (th: NDArray, u: NDArray) =>
          sum(
            mul(
              odeint(lv, u, ts, th, { rtol: 1e-9, atol: 1e-9, gradient, checkpoints }),
              array([[1, -2]]),
            ),
          ),
        { argnums: [0, 1] },
      )(array([1.5, 1, 1, 3]), array([1, 0.5])) as [NDArray, NDArray];
    const [dTh, dU] = loss('direct');
    for (const k of [0, 5]) {
      const [cTh, cU] = loss('checkpoint', k);
      const ref = [...(dTh.dataSync() as Float64Array), ...(dU.dataSync() as Float64Array)];
      const got = [...(cTh.dataSync() as Float64Array), ...(cU.dataSync() as Float64Array)];
      for (let i = 0; i < got.length; i++) {
        const tol = 1e-6 * Math.max(1, Math.abs(ref[i]!));
        expect(Math.abs(got[i]! - ref[i]!), `checkpoints ${k}, entry ${i}`).toBeLessThan(tol);
      }
    }
  });

  it('rejects bad input with typed errors naming odeint', () => {
    const f = (_t: number, y: NDArray) => y;
    expect(() => odeint(f, y0, [0], {})).toThrow(/odeint.*at least 2/);
    expect(() => odeint(f, y0, [0, 1, 1], {})).toThrow(/strictly increasing/);
    expect(() => odeint(f, y0, [0, 1], {}, { method: 'RK4' })).toThrow(/dt > 0/);
    expect(() => odeint(f, y0, [0, 1], {}, { gradient: 'bogus' as 'direct' })).toThrow(
      /gradient must/,
    );
  });
});
