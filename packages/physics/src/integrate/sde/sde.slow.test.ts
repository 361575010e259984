import { describe, expect, it } from 'vitest';
import { logLogSlope as slope } from '../test-utils/log-slope.js';
import { VirtualBrownianTree } from './brownian-tree.js';
import { sdeint } from './sdeint.js';

describe('sdeint: weak convergence and moments (Monte Carlo over many paths)', () => {
  it('Euler–Maruyama has weak order 1 on the mean E X(T) = e^{λT}', () => {
    // small noise (μ = 0.2) so that the Monte-Carlo error (≈ 0.004) stays below the smallest bias (≈ 0.04)
    const m = 20000;
    const sig = 0.2;
    const weakHs = [1 / 4, 1 / 8, 1 / 16, 1 / 32];
    const bm = new VirtualBrownianTree(0, 1, { seed: 77, dim: m });
    const errs = weakHs.map((dt) => {
      const r = sdeint(
        (_t, x, d) => {
          for (let i = 0; i < m; i++) d[i] = x[i];
        },
        (_t, x, d) => {
          for (let i = 0; i < m; i++) d[i] = sig * x[i];
        },
        [0, 1],
        new Float64Array(m).fill(1),
        { dt, bm, tEval: [1] },
      );
      let mean = 0;
      for (let i = 0; i < m; i++) mean += r.y.get(i, 0) / m;
      return Math.abs(mean - Math.E);
    });
    const p = slope(weakHs, errs);
    expect(Math.abs(p - 1), `measured ${p.toFixed(3)}`).toBeLessThan(0.15);
  });
  it('EM matches the mean X₀e^{−θt} and variance σ²(1 − e^{−2θt})/(2θ) within 4 standard errors', () => {
    const m = 5000;
    const theta = 1;
    const sigma = 0.5;
    const T = 1;
    const r = sdeint(
      (_t, x, d) => {
        for (let i = 0; i < m; i++) d[i] = -theta * x[i];
      },
      (_t, _x, d) => d.fill(sigma),
      [0, T],
      new Float64Array(m).fill(1),
      { dt: 1 / 64, seed: 3, tEval: [T] },
    );
    let mean = 0;
    for (let i = 0; i < m; i++) mean += r.y.get(i, 0) / m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (r.y.get(i, 0) - mean) ** 2 / (m - 1);
    const exactMean = Math.exp(-theta * T);
    const exactVar = ((sigma * sigma) / (2 * theta)) * (1 - Math.exp(-2 * theta * T));
    // the scheme's own bias, from its closed-form moments: mean (1 − θh)ᴺ, variance σ²h Σₖ (1 − θh)²ᵏ
    const h = 1 / 64;
    const N = T / h;
    const schemeMean = (1 - theta * h) ** N;
    let schemeVar = 0;
    for (let k = 0; k < N; k++) schemeVar += sigma * sigma * h * (1 - theta * h) ** (2 * k);
    expect(Math.abs(mean - exactMean)).toBeLessThan(
      4 * Math.sqrt(exactVar / m) + Math.abs(schemeMean - exactMean),
    );
    expect(Math.abs(v - exactVar)).toBeLessThan(
      4 * exactVar * Math.sqrt(2 / m) + Math.abs(schemeVar - exactVar),
    );
  });
});
