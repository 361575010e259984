import { Generator } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { blocking } from './blocking.js';

function ar1(n: number, rho: number, rng: Generator): Float64Array {
  const x = new Float64Array(n);
  let v = rng.nextNormal();
  const s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) {
    v = rho * v + s * rng.nextNormal();
    x[i] = v;
  }
  return x;
}

describe('blocking', () => {
  it('recovers the error of the mean of an AR(1) series, σ²_mean = (1 + ρ)/((1 − ρ) n)', () => {
    const rng = new Generator(11);
    const n = 2 ** 17;
    const rho = 0.9;
    const res = blocking(ar1(n, rho, rng));
    const exact = Math.sqrt((1 + rho) / (1 - rho) / n);
    expect(res.used).toBe(n);
    expect(Math.abs(res.error / exact - 1)).toBeLessThan(0.15);
    // the naive error underestimates by √((1+ρ)/(1−ρ)) = 4.36
    expect(res.error / res.naiveError).toBeGreaterThan(3.5);
    expect(Math.abs(res.mean)).toBeLessThan(4 * exact);
  });

  it('keeps the naive error for uncorrelated samples', () => {
    const rng = new Generator(12);
    const x = Float64Array.from({ length: 2 ** 14 + 100 }, () => rng.nextNormal());
    const res = blocking(x);
    expect(res.used).toBe(2 ** 14);
    expect(Math.abs(res.error * Math.sqrt(2 ** 14) - 1)).toBeLessThan(0.1);
    expect(res.level).toBeLessThanOrEqual(2);
  });

  it('refuses short or non-finite series', () => {
    expect(() => blocking([1, 2, 3])).toThrow(/blocking.*at least 4/);
    expect(() => blocking([1, 2, Number.NaN, 4])).toThrow(/not finite/);
  });
});
