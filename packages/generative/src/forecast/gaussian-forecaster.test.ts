import { Generator, add, array, mean, mul, std } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { trainGaussianForecaster } from './gaussian-forecaster.js';

describe('trainGaussianForecaster', () => {
  it('recovers y | u ~ N(u + 0.5, 0.3²) in the data’s units, and its ensembles have that spread', () => {
    const rng = new Generator(0);
    const u = mul(rng.normal([2000, 2]), 4);
    const y = add(add(u, 0.5), mul(rng.normal([2000, 2]), 0.3));
    const model = trainGaussianForecaster(u, y, {
      rng,
      hidden: 8,
      depth: 1,
      steps: 300,
      optimizer: adam({ lr: 1e-2 }),
    });
    const probe = array([
      [0, 0],
      [3, -2],
    ]);
    const { mean: m, std: s } = model.predict(probe);
    const mv = m.toNested() as number[][];
    const sv = s.toNested() as number[][];
    for (const [i, row] of [
      [0, [0.5, 0.5]],
      [1, [3.5, -1.5]],
    ] as const) {
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(mv[i]![k]! - row[k]!)).toBeLessThan(0.05);
        expect(Math.abs(sv[i]![k]! / 0.3 - 1)).toBeLessThan(0.1);
      }
    }
    const ens = model.sample(probe, { rng, members: 4000, spread: 0.5 });
    expect(ens.shape).toEqual([2, 4000, 2]);
    const spread = std(ens, { axis: 1 }).toNested() as number[][];
    const centre = mean(ens, { axis: 1 }).toNested() as number[][];
    expect(Math.abs(spread[0]![0]! / 0.15 - 1)).toBeLessThan(0.1);
    expect(Math.abs(centre[1]![0]! - 3.5)).toBeLessThan(0.05);
  });

  it('names the problem in bad input', () => {
    const rng = new Generator(1);
    const u = rng.normal([10, 2]);
    expect(() => trainGaussianForecaster(u, rng.normal([10, 3]), { rng })).toThrow(
      /trainGaussianForecaster.*same n and d/,
    );
    const bad = u.toNested() as number[][];
    bad[3]![1] = Number.NaN;
    expect(() => trainGaussianForecaster(array(bad), u, { rng })).toThrow(
      /trainGaussianForecaster.*row 3/,
    );
    expect(() => trainGaussianForecaster(u, u, { rng, steps: 1.5 })).toThrow(/steps must be/);
    expect(() => trainGaussianForecaster(u, u, { rng, hidden: 0 })).toThrow(/hidden and depth/);
    const model = trainGaussianForecaster(u, u, { rng, steps: 1, hidden: 2, depth: 1 });
    expect(() => model.predict(rng.normal([3, 3]))).toThrow(/GaussianForecaster.*\[n, 2\]/);
    expect(() => model.sample(u, { rng, members: 0 })).toThrow(/members/);
  });
});
