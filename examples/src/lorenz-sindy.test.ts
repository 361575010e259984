import { describe, expect, it } from 'vitest';
import { lorenzSindy } from './lorenz-sindy.js';

describe('SINDy on Lorenz-63', () => {
  it('recovers σ, ρ, β from 1 % noisy data with no spurious terms', () => {
    const r = lorenzSindy({ trainTime: 5 });
    expect(Math.abs(r.sigma - 10) / 10).toBeLessThan(0.02);
    expect(Math.abs(r.rho - 28) / 28).toBeLessThan(0.02);
    expect(Math.abs(r.beta - 8 / 3) / (8 / 3)).toBeLessThan(0.02);
    expect(r.worstRelativeError).toBeLessThan(0.03);
    expect(r.spuriousTerms).toBe(0);
    // the discovered model tracks the truth from a fresh state for the first time unit (λ ≈ 0.9)
    for (let k = 0; k <= 100; k++) expect(Math.abs(r.foundX[k]! - r.truthX[k]!)).toBeLessThan(0.5);
  });
});
