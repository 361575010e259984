import { Generator, ValueError, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../../systems/index.js';
import { polynomialLibrary } from '../library/polynomial.js';
import { rvm } from './rvm.js';
import { sparseProblem } from './test-utils/problems.js';

const TRUE_XI = [
  [0, -10, 10, 0, 0, 0, 0, 0, 0, 0],
  [0, 28, -1, 0, 0, 0, -1, 0, 0, 0],
  [0, 0, 0, -8 / 3, 0, 1, 0, 0, 0, 0],
];

describe('rvm (sparse Bayesian regression)', () => {
  it('finds the Lorenz support and its credible intervals cover the true coefficients', () => {
    // exact derivatives plus Gaussian noise of known σ: the linear-Gaussian model the RVM assumes
    const data = sampleTrajectory(new Lorenz63(), { dt: 0.01, samples: 2000, transient: 1 });
    const theta = polynomialLibrary({ degree: 2 }).transform(data.x);
    const sigma = 2;
    const rng = new Generator(11);
    const xDot = fromTypedArray(
      Float64Array.from(data.dxdt.dataSync(), (v) => v + sigma * rng.nextNormal()),
      data.dxdt.shape,
    );
    const r = rvm().fit(theta, xDot);
    expect(r.converged).toBe(true);
    const c = r.coefficients.dataSync();
    const s = r.coefficientStd!.dataSync();
    let covered = 0;
    let active = 0;
    let pruned = 0;
    TRUE_XI.forEach((row, i) => {
      row.forEach((truth, j) => {
        const e = i * 10 + j;
        if (truth === 0) {
          // a zero term is pruned, or kept with an interval that contains 0
          if (c[e] === 0) pruned++;
          else expect(Math.abs(c[e]!), `spurious term ${i},${j}`).toBeLessThan(3 * s[e]!);
          return;
        }
        active++;
        expect(s[e]).toBeGreaterThan(0);
        // every true coefficient within 3 posterior standard deviations; most within 2
        expect(Math.abs(c[e]! - truth)).toBeLessThan(3 * s[e]!);
        if (Math.abs(c[e]! - truth) < 2 * s[e]!) covered++;
      });
    });
    expect(covered).toBeGreaterThanOrEqual(active - 1);
    expect(pruned).toBeGreaterThanOrEqual(21); // of the 23 zero terms
    // the noise variance is estimated: σ² = 4 within 10 %
    for (const v of r.noiseVariance!.dataSync()) expect(Math.abs(v - 4) / 4).toBeLessThan(0.1);
  });

  it('is calibrated: ~95 % of 2σ intervals cover the truth over random problems', () => {
    const xi = [[1.5, 0, -2, 0, 0, 0.7, 0, 0]];
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { theta, y } = sparseProblem(200, xi, { noise: 0.5, seed });
      const r = rvm().fit(theta, y);
      const c = r.coefficients.dataSync();
      const s = r.coefficientStd!.dataSync();
      for (const j of [0, 2, 5]) {
        total++;
        if (Math.abs(c[j]! - xi[0]![j]!) < 1.96 * s[j]!) inside++;
      }
    }
    // binomial(120, 0.95): 114 ± 2.4; accept 85 %–100 %
    expect(inside / total).toBeGreaterThan(0.85);
  });

  it('rejects bad options', () => {
    expect(() => rvm({ maxIter: 0 })).toThrow(ValueError);
    expect(() => rvm({ tol: -1 })).toThrow(ValueError);
  });
});
