import { Generator, array, mul } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { chi2Quantile99 } from './chi2.js';
import { rankHistogram } from './rank-histogram.js';

describe('rankHistogram', () => {
  it('counts ranks exactly and computes Pearson χ² against the flat expectation', () => {
    // observation 0.5 among [0, 1, 2] has rank 1; 3 among them rank 3; −1 rank 0; 1.5 rank 2
    const ens = array([
      [0, 1, 2],
      [2, 0, 1],
      [1, 2, 0],
      [0, 2, 1],
    ]);
    const h = rankHistogram(ens, array([0.5, 3, -1, 1.5]));
    expect(h.counts).toEqual([1, 1, 1, 1]);
    expect(h.chi2).toBe(0);
    expect(h.dof).toBe(3);
    expect(h.critical).toBeCloseTo(11.344867, 6);
    // all four at rank 0: E = 1, χ² = (4 − 1)² + 3·1 = 12 > 11.34
    const low = rankHistogram(ens, array([-5, -5, -5, -5]));
    expect(low.counts).toEqual([4, 0, 0, 0]);
    expect(low.chi2).toBe(12);
    expect(low.flat).toBe(false);
  });

  it('is flat for exchangeable draws and U-shaped for an under-dispersed ensemble', () => {
    const rng = new Generator(0);
    const n = 2000;
    const K = 9;
    const truth = rng.normal([n]);
    const calibrated = rankHistogram(rng.normal([n, K]), truth);
    // 1 % of calibrated ensembles exceed the critical value; this seed does not
    expect(calibrated.flat).toBe(true);
    const narrow = rankHistogram(mul(rng.normal([n, K]), 0.5), truth);
    expect(narrow.flat).toBe(false);
    // P(|z| beyond all of 9 members at half the spread) is far above the flat 2/10
    expect((narrow.counts[0]! + narrow.counts[K]!) / n).toBeGreaterThan(0.4);
  });

  it('names the problem in bad input', () => {
    const e = array([
      [0, 1],
      [1, 2],
    ]);
    expect(() => rankHistogram(e, array([1, 2, 3]))).toThrow(
      /rankHistogram.*observed must be \[2\]/,
    );
    expect(() => rankHistogram(array([0, 1]), array([1, 2]))).toThrow(/rankHistogram.*\[n, K\]/);
    expect(() => rankHistogram(e, array([1, Number.NaN]))).toThrow(/rankHistogram.*not finite/);
    expect(() => chi2Quantile99(31)).toThrow(/chi2Quantile99/);
  });
});
