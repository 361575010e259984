import { Generator, concat, slice } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { stochasticLorenz63 } from '../data/lorenz.js';
import { rankHistogram } from '../metrics/rank-histogram.js';
import { trainGaussianForecaster } from './gaussian-forecaster.js';

/**
 * A probabilistic one-step forecaster of the stochastically forced Lorenz-63 system, P(u_{t+Δt} | u_t), judged
 * by rank histograms of held-out transitions pooled from three independent trajectories (3 × 1 000): the observed
 * next state must be exchangeable with 19 draws of the forecast (a flat histogram per coordinate, χ² below its
 * 99 % quantile 36.2 at 19 dof), while the same forecaster with its spread halved — a deliberately
 * under-dispersed ensemble — must fail the same test.
 */
describe('probabilistic forecasting of stochastic Lorenz-63 (slow: trains)', () => {
  it('the normal-output network is calibrated (flat rank histograms); an under-dispersed ensemble is not', () => {
    const train = stochasticLorenz63({ n: 6001, seed: 0 });
    const pairs = (x: typeof train) => {
      const n = x.shape[0]! - 1;
      return [slice(x, `0:${n}`), slice(x, `1:${n + 1}`)] as const;
    };
    const [u, y] = pairs(train);
    const rng = new Generator(0);
    const steps = 4000;
    const model = trainGaussianForecaster(u, y, {
      rng,
      steps,
      hidden: 128,
      optimizer: adam({ lr: cosineDecay(3e-3, { steps, minLr: 1e-4 }) }),
    });
    const members = 19;
    // three independent held-out trajectories, 1 000 transitions each, pooled: 3 000 cases per coordinate
    const held = [1, 2, 3].map((seed) => pairs(stochasticLorenz63({ n: 1001, seed })));
    const uTest = concat(held.map((h) => h[0]));
    const yTest = concat(held.map((h) => h[1]));
    const judge = (spread: number) => {
      const ens = model.sample(uTest, { rng, members, spread });
      return [0, 1, 2].map((k) => rankHistogram(slice(ens, null, null, k), slice(yTest, null, k)));
    };
    const calibrated = judge(1);
    const narrow = judge(0.5);
    for (const [name, hs] of [
      ['calibrated', calibrated],
      ['spread × 0.5', narrow],
    ] as const) {
      console.log(
        `${name}: ${hs.map((h, k) => `${'xyz'[k]} χ² ${h.chi2.toFixed(1)}`).join(', ')} (99 % quantile ${hs[0]!.critical.toFixed(1)}); y ranks [${hs[1]!.counts.join(' ')}]`,
      );
    }
    for (const h of calibrated) expect(h.chi2).toBeLessThan(h.critical);
    for (const h of narrow) {
      expect(h.chi2).toBeGreaterThan(h.critical);
      // the U shape: the two outer bins hold far more than their share 2 · 3000/20 = 300
      expect(h.counts[0]! + h.counts[members]!).toBeGreaterThan(900);
    }
  });
});
