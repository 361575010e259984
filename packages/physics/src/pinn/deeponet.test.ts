import { Generator, ShapeError, fromTypedArray, slice } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { deepONet, gaussianRandomField } from '../index.js';

describe('gaussianRandomField', () => {
  it('has the squared-exponential covariance', () => {
    const x = [0, 0.1, 0.3, 0.7];
    const n = 4000;
    const s = gaussianRandomField(x, n, {
      lengthScale: 0.2,
      variance: 2,
      rng: new Generator(7),
    }).dataSync();
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 2],
      [0, 3],
    ] as const) {
      let c = 0;
      for (let k = 0; k < n; k++) c += s[k * 4 + i]! * s[k * 4 + j]!;
      const exact = 2 * Math.exp(-((x[i]! - x[j]!) ** 2) / (2 * 0.04));
      // Monte Carlo: standard error ≈ √(2·σ⁴/n) ≈ 0.045
      expect(Math.abs(c / n - exact)).toBeLessThan(0.15);
    }
    expect(() => gaussianRandomField(x, 2, { lengthScale: 0, rng: new Generator(0) })).toThrow(
      /lengthScale/,
    );
  });
});

describe('deepONet', () => {
  it('is Σ_k b_k(u) t_k(y) + b₀ for every (function, point) pair', () => {
    const branch = sequential(linear(8), tanh, linear(5));
    const trunk = sequential(linear(8), tanh, linear(5), tanh);
    const model = deepONet(branch, trunk);
    const p = model.init(new Generator(0), 6, 2);
    const u = gaussianRandomField([0, 0.2, 0.4, 0.6, 0.8, 1], 3, { rng: new Generator(1) });
    const y = fromTypedArray(Float64Array.of(0.1, 0.5, -0.3, 0.9), [2, 2]);
    const g = model.apply(p, u, y);
    expect(g.shape).toEqual([3, 2]);
    const b = branch.apply(p.branch, u).y.dataSync();
    const t = trunk.apply(p.trunk, y).y.dataSync();
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        let dot = 0;
        for (let k = 0; k < 5; k++) dot += b[i * 5 + k]! * t[j * 5 + k]!;
        expect(g.get(i, j)).toBeCloseTo(dot, 12);
      }
    expect(() => deepONet(branch, sequential(linear(4))).init(new Generator(0), 6, 2)).toThrow(
      ShapeError,
    );
    expect(() => model.apply(p, slice(u, 0), y)).toThrow(/\(N, sensors\)/);
  });
});
