import { Generator } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { ringMixture } from '../data/gaussian-mixture.js';
import { RING_N, judgeRing } from '../test-utils/ring.js';
import { trainVae, vae, vaeSample } from './vae.js';

describe('VAE on the ring of 8 Gaussians (slow: trains)', () => {
  it('covers every mode and its samples are within the true-vs-true MMD² threshold', () => {
    const rng = new Generator(0);
    const data = ringMixture(4000, { rng });
    const model = vae({ dataDim: 2, latentDim: 2, hidden: [64, 64] });
    const steps = 3000;
    const params = trainVae(model, data, {
      rng,
      steps,
      batchSize: 128,
      optimizer: adam({ lr: cosineDecay(3e-3, { steps, minLr: 1.5e-4 }) }),
    });
    // honest samples: z ~ N(0, I), then x ~ p(x | z) with the learnt decoder variance
    const { mmd, threshold, coverage } = judgeRing(vaeSample(model, params, { rng, n: RING_N }));
    console.log(
      `VAE ring: MMD² ${mmd.toExponential(2)} vs threshold ${threshold.toExponential(2)}; modes ${coverage.covered}/8 (${coverage.counts.join(', ')}); within 3σ ${(100 * coverage.quality).toFixed(0)} %`,
    );
    expect(coverage.covered).toBe(8);
    expect(mmd).toBeLessThan(threshold);
  });
});
