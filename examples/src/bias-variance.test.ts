import { describe, expect, it } from 'vitest';
import { bayesianModels, biasVariance, gaussianProcessFit } from './bias-variance.js';

describe('bias–variance and Bayesian regression', () => {
  it('resampled noise reproduces bias², variance and the test error bias² + var + σ²', () => {
    for (const M of [1, 5]) {
      const r = biasVariance(M, { replications: 250, seed: 3 });
      const theory = r.bias2Theory + r.varianceTheory + r.noise;
      expect(Math.abs(r.testError - theory) / theory).toBeLessThan(0.03);
      expect(Math.abs(r.variance - r.varianceTheory) / r.varianceTheory).toBeLessThan(0.15);
    }
    // underfitting is bias, overfitting variance
    const [low, high] = [
      biasVariance(1, { replications: 50 }),
      biasVariance(9, { replications: 50 }),
    ];
    expect(low.bias2Theory).toBeGreaterThan(10 * low.varianceTheory);
    expect(high.varianceTheory).toBeGreaterThan(100 * high.bias2Theory);
  });

  it('the evidence is Gaussian, jumps at the true cubic and selects it; model averaging weights sum to 1', () => {
    const b = bayesianModels({ maxDegree: 6 });
    expect(b.models[3]!.logEvidence).toBeCloseTo(b.denseEvidence, 9);
    const best = b.models.reduce((x, y) => (y.logEvidence > x.logEvidence ? y : x));
    expect(best.M).toBe(3);
    expect(b.models[3]!.logEvidence - b.models[2]!.logEvidence).toBeGreaterThan(10);
    expect(b.posterior.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it('the GP marginal-likelihood fit is a stationary point of the dense Gaussian likelihood', () => {
    const g = gaussianProcessFit({ n: 30 });
    expect(g.after).toBeGreaterThan(g.before + 10);
    expect(g.after).toBeCloseTo(g.dense, 9);
    expect(Math.hypot(...g.gradient)).toBeLessThan(1e-4);
    expect(Math.sqrt(g.hyper.noiseVariance)).toBeGreaterThan(0.05);
    expect(Math.sqrt(g.hyper.noiseVariance)).toBeLessThan(0.2);
  });
});
