import { Generator } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { ringMixture } from '../data/gaussian-mixture.js';
import { RING_N, judgeRing } from '../test-utils/ring.js';
import { gan, ganSample, trainGan } from './gan.js';

describe('GAN on the ring of 8 Gaussians (slow: trains)', () => {
  it('the non-saturating GAN covers every mode (no collapse) within the MMD² threshold', () => {
    const rng = new Generator(0);
    const data = ringMixture(4000, { rng });
    const model = gan({ dataDim: 2, noiseDim: 2, hidden: [64, 64] });
    const steps = 2000;
    // decaying both learning rates lets the alternating game settle instead of orbiting between modes
    const optimizer = () => adam({ lr: cosineDecay(1e-3, { steps, minLr: 5e-5 }), beta1: 0.5 });
    const params = trainGan(model, data, {
      rng,
      steps,
      batchSize: 128,
      generatorOptimizer: optimizer(),
      discriminatorOptimizer: optimizer(),
    });
    const { mmd, threshold, coverage } = judgeRing(ganSample(model, params, { rng, n: RING_N }));
    console.log(
      `GAN ring: MMD² ${mmd.toExponential(2)} vs threshold ${threshold.toExponential(2)}; modes ${coverage.covered}/8 (${coverage.counts.join(', ')}); within 3σ ${(100 * coverage.quality).toFixed(0)} %`,
    );
    expect(coverage.covered).toBe(8);
    expect(mmd).toBeLessThan(threshold);
  });
});
