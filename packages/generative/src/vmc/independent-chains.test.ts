import { Generator } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { independentChainsMean } from './independent-chains.js';

/** K stationary AR(1) chains xₜ = ρxₜ₋₁ + √(1 − ρ²) εₜ of length n (unit variance, started in equilibrium). */
function ar1Chains(K: number, n: number, rho: number, rng: Generator): Float64Array[] {
  const s = Math.sqrt(1 - rho * rho);
  return Array.from({ length: K }, () => {
    const x = new Float64Array(n);
    let v = rng.nextNormal();
    for (let t = 0; t < n; t++) {
      x[t] = v;
      v = rho * v + s * rng.nextNormal();
    }
    return x;
  });
}

/** n·Var(mean of n AR(1) samples) = (1 + ρ)/(1 − ρ) − 2ρ(1 − ρⁿ)/(n(1 − ρ)²), exact for finite n. */
const ar1Inefficiency = (n: number, rho: number) =>
  (1 + rho) / (1 - rho) - (2 * rho * (1 - rho ** n)) / (n * (1 - rho) ** 2);

describe('independentChainsMean', () => {
  it('recovers the standard error of the mean of AR(1) chains, n·Var = (1+ρ)/(1−ρ) − 2ρ(1−ρⁿ)/(n(1−ρ)²)', () => {
    const K = 4000;
    const n = 32;
    const rho = 0.8;
    const res = independentChainsMean(ar1Chains(K, n, rho, new Generator(3)));
    const exact = Math.sqrt(ar1Inefficiency(n, rho) / (K * n));
    // the estimated error has relative noise 1/√(2(K − 1)) ≈ 1.1 %, the inefficiency twice that: four of them
    expect(Math.abs(res.error / exact - 1)).toBeLessThan(4 / Math.sqrt(2 * (K - 1)));
    expect(Math.abs(res.inefficiency / ar1Inefficiency(n, rho) - 1)).toBeLessThan(
      4 * Math.sqrt(2 / (K - 1)),
    );
    // 6.41 for ρ = 0.8, n = 32: the naive error is 2.5× too small
    expect(res.error / res.naiveError).toBeGreaterThan(2.3);
    expect(Math.abs(res.mean)).toBeLessThan(4 * exact);
    expect(res.chains).toBe(K);
    expect(res.length).toBe(n);
  });

  it('keeps the naive error for uncorrelated chains (inefficiency 1)', () => {
    const K = 4000;
    const res = independentChainsMean(ar1Chains(K, 16, 0, new Generator(4)));
    // four standard deviations of the estimates: √(2/(K − 1)) for the inefficiency, half that for the error
    expect(Math.abs(res.inefficiency - 1)).toBeLessThan(4 * Math.sqrt(2 / (K - 1)));
    expect(Math.abs(res.error * Math.sqrt(K * 16) - 1)).toBeLessThan(2 * Math.sqrt(2 / (K - 1)));
  });

  it('sees a between-chain offset that a pooled, naive error misses', () => {
    // chains stuck at ±1 (a sampler that never crosses between two modes): the mean is 0 ± 1/√K, not ± 1/√(Kn)
    const chains = Array.from({ length: 100 }, (_, k) => new Float64Array(50).fill(k % 2 ? 1 : -1));
    const res = independentChainsMean(chains);
    expect(res.mean).toBeCloseTo(0, 12);
    expect(res.error).toBeCloseTo(Math.sqrt(100 / 99 / 100), 12);
    expect(res.inefficiency).toBeCloseTo((50 * (100 / 99)) / (5000 / 4999), 9);
  });

  it('refuses one chain, empty or ragged chains and non-finite samples', () => {
    expect(() => independentChainsMean([[1, 2]])).toThrow(
      /independentChainsMean.*at least 2 chains/,
    );
    expect(() => independentChainsMean([[], []])).toThrow(/not be empty/);
    expect(() => independentChainsMean([[1, 2], [1]])).toThrow(/same length.*chain 1 has 1/);
    expect(() =>
      independentChainsMean([
        [1, 2],
        [1, Number.NaN],
      ]),
    ).toThrow(/sample 1 of chain 1/);
  });
});
