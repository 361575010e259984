import { describe, expect, it } from 'vitest';
import { logLogSlope as slope } from '../test-utils/log-slope.js';
import { VirtualBrownianTree } from './brownian-tree.js';
import { sdeint } from './sdeint.js';

describe('VirtualBrownianTree', () => {
  it('returns the same W(t) whatever the order of queries, and W(t0) = 0', () => {
    const a = new VirtualBrownianTree(0, 2, { seed: 11, dim: 3 });
    const b = new VirtualBrownianTree(0, 2, { seed: 11, dim: 3 });
    const ts = [1.7, 0.3, 1.1, 0.3, 2, 0.9999];
    const first = ts.map((t) => Array.from(a.evaluate(t)));
    const second = [...ts]
      .reverse()
      .map((t) => Array.from(b.evaluate(t)))
      .reverse();
    expect(first).toEqual(second);
    expect(Array.from(a.evaluate(0))).toEqual([0, 0, 0]);
    expect(Array.from(new VirtualBrownianTree(0, 2, { seed: 12, dim: 3 }).evaluate(1))).not.toEqual(
      Array.from(a.evaluate(1)),
    );
  });

  it('has the covariance of Brownian motion: Var W(t) = t, Cov(W(s), W(t)) = min(s, t), independent increments', () => {
    // 4000 independent components of one tree are 4000 independent paths
    const m = 4000;
    const bm = new VirtualBrownianTree(0, 1, { seed: 5, dim: m });
    const w3 = bm.evaluate(0.3);
    const w7 = bm.evaluate(0.7);
    const w1 = bm.evaluate(1);
    let v3 = 0;
    let v1 = 0;
    let c37 = 0;
    let cInc = 0;
    let mean = 0;
    for (let i = 0; i < m; i++) {
      v3 += w3[i] ** 2 / m;
      v1 += w1[i] ** 2 / m;
      c37 += (w3[i] * w7[i]) / m;
      cInc += (w3[i] * (w1[i] - w7[i])) / m;
      mean += w1[i] / m;
    }
    // standard errors: Var(W²) = 2t², so SE(v) = t·√(2/m) ≈ 0.022 t; 4 SE bounds
    expect(Math.abs(v3 - 0.3)).toBeLessThan(4 * 0.3 * Math.sqrt(2 / m));
    expect(Math.abs(v1 - 1)).toBeLessThan(4 * Math.sqrt(2 / m));
    expect(Math.abs(c37 - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7 + 0.09) / m));
    expect(Math.abs(cInc)).toBeLessThan(4 * Math.sqrt((0.3 * 0.3) / m));
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(m));
  });

  it('rejects bad input', () => {
    expect(() => new VirtualBrownianTree(1, 0, { seed: 1 })).toThrow(/t0 < t1/);
    expect(() => new VirtualBrownianTree(0, 1, { seed: -1 })).toThrow(/seed/);
    expect(() => new VirtualBrownianTree(0, 1, { seed: 1 }).evaluate(2)).toThrow(/outside/);
  });
});

/**
 * Geometric Brownian motion dX = λX dt + μX dW, X(0) = 1 (Higham 2001, λ = 2, μ = 1): X(T) = exp((λ − μ²/2)T
 * + μW(T)) in the Itô sense. M independent paths run as M diagonal-noise components of one solve.
 */
const M = 400;
const lambda = 2;
const mu = 1;
const gbmDrift = (_t: number, x: Float64Array, d: Float64Array) => {
  for (let i = 0; i < x.length; i++) d[i] = lambda * x[i];
};
const gbmDiffusion = (_t: number, x: Float64Array, d: Float64Array) => {
  for (let i = 0; i < x.length; i++) d[i] = mu * x[i];
};

describe('sdeint: convergence on geometric Brownian motion', () => {
  const hs = [2 ** -4, 2 ** -5, 2 ** -6, 2 ** -7, 2 ** -8];
  const strongErrors = (method: 'EulerMaruyama' | 'Milstein') => {
    const bm = new VirtualBrownianTree(0, 1, { seed: 2024, dim: M });
    const wT = bm.evaluate(1);
    return hs.map((dt) => {
      const r = sdeint(gbmDrift, gbmDiffusion, [0, 1], new Float64Array(M).fill(1), {
        method,
        dt,
        bm,
        tEval: [1],
      });
      let e = 0;
      for (let i = 0; i < M; i++)
        e += Math.abs(r.y.get(i, 0) - Math.exp(lambda - 0.5 * mu * mu + mu * wT[i])) / M;
      return e;
    });
  };

  it('Euler–Maruyama has strong order 1/2 (E|X_T − X(T)| on one set of tree paths)', () => {
    const p = slope(hs, strongErrors('EulerMaruyama'));
    expect(Math.abs(p - 0.5), `measured ${p.toFixed(3)}`).toBeLessThan(0.15);
  });

  it('Milstein has strong order 1', () => {
    const p = slope(hs, strongErrors('Milstein'));
    expect(Math.abs(p - 1), `measured ${p.toFixed(3)}`).toBeLessThan(0.15);
  });
});

describe('sdeint: Ornstein–Uhlenbeck moments', () => {
  it('Stratonovich: Euler–Heun and Milstein agree with the closed form X(T) = exp(λT + μW(T))', () => {
    const bm = new VirtualBrownianTree(0, 1, { seed: 9, dim: 50 });
    const wT = bm.evaluate(1);
    for (const method of ['EulerHeun', 'Milstein'] as const) {
      const r = sdeint(gbmDrift, gbmDiffusion, [0, 1], new Float64Array(50).fill(1), {
        method,
        calculus: 'stratonovich',
        dt: 2 ** -12,
        bm,
        tEval: [1],
      });
      let e = 0;
      for (let i = 0; i < 50; i++)
        e += Math.abs(r.y.get(i, 0) - Math.exp(lambda + mu * wT[i])) / 50;
      expect(e, method).toBeLessThan(0.05);
    }
  });

  it('rejects bad input with errors naming sdeint', () => {
    const f = (_t: number, _y: Float64Array, d: Float64Array) => d.fill(0);
    expect(() => sdeint(f, f, [0, 1], [1], { dt: 0 })).toThrow(/sdeint.*dt/);
    expect(() =>
      sdeint(f, f, [0, 1], [1], { dt: 0.1, method: 'EulerHeun', calculus: 'ito' }),
    ).toThrow(/Stratonovich/);
    expect(() => sdeint(f, f, [0, 1], [1], { dt: 0.1, calculus: 'stratonovich' })).toThrow(/Itô/);
    expect(() => sdeint(f, f, [0, 1], [1], { dt: 0.3, tEval: [0.5] })).toThrow(/grid/);
  });
});
