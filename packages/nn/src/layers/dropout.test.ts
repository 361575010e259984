import { Generator, array, equal, mean, sum, astype } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { dropout } from './dropout.js';

describe('dropout', () => {
  const d = dropout(0.25);
  const x = array(Array.from({ length: 40_000 }, (_, i) => 1 + (i % 4)));

  it('keeps the expectation: mean(y) = mean(x) within sampling error, zeros a fraction p', () => {
    const rng = new Generator(1);
    const { y } = d.apply({}, x, { training: true, rng });
    const n = x.size;
    // each y_i = x_i·b_i/(1 − p), b ~ Bernoulli(0.75): Var(y_i) = x_i² p/(1 − p); 5σ bounds on the mean
    const meanX = mean(x).item();
    const sigma = Math.sqrt(((mean(astype(x, 'float64')).item() ** 2 + 1.25) * (0.25 / 0.75)) / n);
    expect(Math.abs(mean(y).item() - meanX)).toBeLessThan(5 * sigma);
    const zeros = sum(astype(equal(y, 0), 'float64')).item() / n;
    expect(Math.abs(zeros - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / n));
    // survivors are scaled by exactly 1/(1 − p)
    const yv = y.dataSync();
    const xv = x.dataSync();
    for (let i = 0; i < 100; i++) if (yv[i] !== 0) expect(yv[i]).toBeCloseTo(xv[i]! / 0.75, 14);
  });

  it('is the identity in evaluation and the same mask for the same seed', () => {
    expect(d.apply({}, x).y).toBe(x);
    const a = d.apply({}, x, { training: true, rng: new Generator(9) }).y.dataSync();
    const b = d.apply({}, x, { training: true, rng: new Generator(9) }).y.dataSync();
    expect(a).toEqual(b);
  });
});
