import { Generator, ValueError, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../systems/index.js';
import { polynomialLibrary } from './library/polynomial.js';
import { selectModel } from './model-selection.js';

describe('selectModel (information criteria over thresholds)', () => {
  const data = sampleTrajectory(new Lorenz63(), { dt: 0.01, samples: 1000, transient: 1 });
  const theta = polynomialLibrary({ degree: 2 }).transform(data.x);
  const rng = new Generator(3);
  const xDot = fromTypedArray(
    Float64Array.from(data.dxdt.dataSync(), (v) => v + 0.5 * rng.nextNormal()),
    data.dxdt.shape,
  );
  const thresholds = [0, 0.001, 0.01, 0.05, 0.2, 0.5, 2, 5, 20];

  it('BIC picks the 7-term Lorenz model among the sweep', () => {
    const r = selectModel(theta, xDot, { thresholds, criterion: 'bic' });
    expect(r.selected.complexity).toBe(7);
    expect(r.candidates).toHaveLength(thresholds.length);
    // the criteria are the Gaussian log-likelihood plus their penalties
    const c = r.candidates[0]!;
    const N = 3000;
    expect(c.bic - c.aic).toBeCloseTo(c.complexity * (Math.log(N) - 2), 8);
    expect(c.aic).toBeCloseTo(N * Math.log(c.rss / N) + 2 * c.complexity, 8);
    // too dense (threshold 0) and too sparse (20: drops the −1·y and ±1 terms) both score worse
    expect(r.candidates[0]!.bic).toBeGreaterThan(r.selected.bic);
    expect(r.candidates.at(-1)!.complexity).toBeLessThan(7);
    expect(r.candidates.at(-1)!.bic).toBeGreaterThan(r.selected.bic);
  });

  it('rejects an empty sweep or an unknown criterion', () => {
    expect(() => selectModel(theta, xDot, { thresholds: [] })).toThrow(ValueError);
    expect(() => selectModel(theta, xDot, { thresholds: [1], criterion: 'hqc' as 'aic' })).toThrow(
      ValueError,
    );
  });
});
