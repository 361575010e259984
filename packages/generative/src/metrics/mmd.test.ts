import { Generator, add, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { modeCoverage, ringMixture, ringMixtureCenters } from '../data/gaussian-mixture.js';
import { mmd2, mmdThreshold } from './mmd.js';

describe('mmd2', () => {
  it('matches the hand-computed value on two tiny samples', () => {
    // x = {0, 1}, y = {0, 2}, h = 1: k(0,1) = e^{-1/2}, k(0,2) = e^{-2}, k(1,2) = e^{-1/2}
    const e = (r2: number) => Math.exp(-r2 / 2);
    const kxx = e(1);
    const kyy = e(4);
    const kxy = (e(0) + e(4) + e(1) + e(1)) / 4;
    expect(mmd2(array([[0], [1]]), array([[0], [2]]))).toBeCloseTo(kxx + kyy - 2 * kxy, 14);
  });

  it('agrees with the closed form for two shifted Gaussians', () => {
    // x ~ N(0, s²I₂), y ~ N(μ, s²I₂), bandwidth h: MMD² = 2c(1 − exp(−|μ|²/(2(h²+2s²)))), c = h²/(h²+2s²) in 2-D
    const rng = new Generator(3);
    const s = 0.5;
    const h = 1;
    const mu = [0.6, 0];
    const n = 1500;
    const x = rng.normal([n, 2], { std: s });
    const y = add(rng.normal([n, 2], { std: s }), array([mu]));
    const c = h ** 2 / (h ** 2 + 2 * s ** 2);
    const exact = 2 * c * (1 - Math.exp(-(mu[0]! ** 2) / (2 * (h ** 2 + 2 * s ** 2))));
    // the estimator's standard deviation is O(1/√n) of the kernel scale: ≈ 0.01 here
    expect(Math.abs(mmd2(x, y, { bandwidth: h }) - exact)).toBeLessThan(0.02);
    expect(exact).toBeGreaterThan(0.15);
  });

  it('is near zero for two samples of the same mixture, and the threshold separates a shifted mixture', () => {
    const rng = new Generator(5);
    const sample = (n: number, r: Generator) => ringMixture(n, { rng: r });
    const threshold = mmdThreshold(sample, 400, { rng, repeats: 10 });
    expect(threshold).toBeGreaterThan(0);
    expect(threshold).toBeLessThan(0.01);
    const truth = sample(400, rng);
    const sevenModes = ringMixture(400, { rng, modes: 7 });
    expect(mmd2(truth, sevenModes)).toBeGreaterThan(threshold);
  });

  it('names the bad argument', () => {
    expect(() => mmd2(array([1, 2]), array([[1], [2]]))).toThrow(/mmd2.*\[n, d\]/);
    expect(() =>
      mmd2(
        array([
          [1, 2],
          [3, 4],
        ]),
        array([[1], [2]]),
      ),
    ).toThrow(/same number of columns/);
    expect(() => mmd2(array([[Number.NaN], [1]]), array([[1], [2]]))).toThrow(/non-finite/);
  });
});

describe('ringMixture', () => {
  it('draws every mode with the stated spread', () => {
    const rng = new Generator(0);
    const x = ringMixture(4000, { rng, std: 0.1 });
    const centers = ringMixtureCenters();
    expect(centers[2]![0]).toBeCloseTo(0, 12);
    expect(centers[2]![1]).toBeCloseTo(2, 12);
    const cov = modeCoverage(x, centers);
    expect(cov.covered).toBe(8);
    // P(|z| ≤ 3) for a 2-D standard normal radius: 1 − e^{−4.5} = 0.9889
    expect(cov.quality).toBeGreaterThan(0.98);
    for (const c of cov.counts) expect(Math.abs(c - (4000 * 0.9889) / 8)).toBeLessThan(90);
  });
});
