import { Generator, ValueError, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { finiteDifference } from './finite-difference.js';
import { savitzkyGolay } from './savitzky-golay.js';

const column = (values: ArrayLike<number>) => array(Array.from(values, (v) => [v]));

describe('savitzkyGolay', () => {
  it("matches Savitzky & Golay's tabulated 5-point quadratic weights", () => {
    // Smoothing (−3, 12, 17, 12, −3)/35 and first derivative (−2, −1, 0, 1, 2)/10, applied to a unit impulse.
    const impulse = new Float64Array(9);
    impulse[4] = 1;
    const est = savitzkyGolay({ windowLength: 5, polyorder: 2 }).estimate(column(impulse), 1);
    const s = est.smoothed!.dataSync();
    const d = est.derivative.dataSync();
    [-3, 12, 17, 12, -3].forEach((w, k) => {
      expect(s[6 - k]).toBeCloseTo(w / 35, 14);
    });
    [-2, -1, 0, 1, 2].forEach((w, k) => {
      expect(d[6 - k]).toBeCloseTo(w / 10, 14);
    });
  });

  it('is exact on polynomials up to polyorder, ends included', () => {
    const dt = 0.05;
    const t = Float64Array.from({ length: 30 }, (_, i) => i * dt);
    const p = (x: number) => 1 - x + 2 * x ** 2 - 0.5 * x ** 3;
    const dp = (x: number) => -1 + 4 * x - 1.5 * x ** 2;
    const est = savitzkyGolay({ windowLength: 9, polyorder: 3 }).estimate(column(t.map(p)), dt);
    est.derivative.dataSync().forEach((v, i) => {
      expect(v).toBeCloseTo(dp(t[i]!), 10);
    });
    est.smoothed!.dataSync().forEach((v, i) => {
      expect(v).toBeCloseTo(p(t[i]!), 12);
    });
  });

  it('differentiates noisy data far better than finite differences', () => {
    const dt = 0.01;
    const rng = new Generator(7);
    const t = Float64Array.from({ length: 600 }, (_, i) => i * dt);
    const noisy = column(t.map((v) => Math.sin(v) + 0.01 * rng.nextNormal()));
    const rms = (d: ArrayLike<number>) =>
      Math.sqrt(Array.from(d).reduce((s, v, i) => s + (v - Math.cos(t[i]!)) ** 2, 0) / t.length);
    const sg = rms(
      savitzkyGolay({ windowLength: 51, polyorder: 3 }).differentiate(noisy, dt).dataSync(),
    );
    const fd = rms(finiteDifference().differentiate(noisy, dt).dataSync());
    expect(sg).toBeLessThan(fd / 10);
  });

  it('rejects bad windows and non-uniform times', () => {
    expect(() => savitzkyGolay({ windowLength: 4 })).toThrow(ValueError);
    expect(() => savitzkyGolay({ windowLength: 5, polyorder: 5 })).toThrow(ValueError);
    const x = column([1, 2, 3, 4, 5]);
    expect(() =>
      savitzkyGolay({ windowLength: 5, polyorder: 2 }).differentiate(x, [0, 1, 2, 3, 5]),
    ).toThrow(ValueError);
  });
});
