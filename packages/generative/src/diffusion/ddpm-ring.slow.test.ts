import { Generator, type NDArray } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { ringMixture } from '../data/gaussian-mixture.js';
import { annealedLangevinSample } from '../score/annealed-langevin.js';
import { probabilityFlowSample } from '../score/probability-flow.js';
import { reverseSdeSample } from '../score/reverse-sde.js';
import { scoreFromDenoiser, vpSdeFromSchedule } from '../score/vp-sde.js';
import { RING_N, judgeRing } from '../test-utils/ring.js';
import { ddpmSample, trainDdpm } from './ddpm.js';
import { mlpDenoiser } from './denoiser.js';
import { cosineSchedule } from './schedules.js';

/**
 * One ε-network trained by denoising (L_simple) on the ring of 8 Gaussians, then four samplers driven by it:
 * DDPM's ancestral chain, annealed Langevin dynamics on its score, the reverse-time SDE and the
 * probability-flow ODE. The cosine schedule matters here: with T = 100 it spends far more steps at the small
 * noise levels that resolve modes of width 0.1 than the linear one (which left samples 3× too wide).
 */
describe('DDPM and score-based samplers on the ring of 8 Gaussians (slow: trains)', () => {
  const rng = new Generator(0);
  const data = ringMixture(4000, { rng });
  // β clipped at 0.2 rather than 0.999: the last steps stay mild, so the continuous-time SDE of this
  // schedule has a bounded β(t) for the reverse-SDE sampler
  const schedule = cosineSchedule({ timesteps: 100, maxBeta: 0.2 });
  const denoiser = mlpDenoiser({ dim: 2, hidden: 64, depth: 3, embeddingDim: 16, maxPeriod: 400 });
  const steps = 4000;
  const params = trainDdpm(denoiser, data, {
    schedule,
    rng,
    steps,
    batchSize: 128,
    optimizer: adam({ lr: cosineDecay(3e-3, { steps, minLr: 1.5e-4 }) }),
  });
  const sde = vpSdeFromSchedule(schedule);
  const score = scoreFromDenoiser(denoiser, params, sde);

  const expectRing = (name: string, x: NDArray) => {
    const { mmd, threshold, coverage } = judgeRing(x);
    console.log(
      `${name}: MMD² ${mmd.toExponential(2)} vs threshold ${threshold.toExponential(2)}; modes ${coverage.covered}/8 (${coverage.counts.join(', ')}); within 3σ ${(100 * coverage.quality).toFixed(0)} %`,
    );
    expect(coverage.covered).toBe(8);
    expect(mmd).toBeLessThan(threshold);
  };

  it('DDPM ancestral sampling covers every mode within the MMD² threshold', () => {
    expectRing(
      'DDPM',
      ddpmSample(denoiser, params, { schedule, rng, n: RING_N, variance: 'posterior' }),
    );
  });

  it('annealed Langevin dynamics on the learnt score does too', () => {
    expectRing(
      'annealed Langevin',
      annealedLangevinSample(denoiser, params, { schedule, rng, n: RING_N }),
    );
  });

  it('the reverse-time SDE (sdeint) and the probability-flow ODE (odeint) do too', () => {
    expectRing(
      'reverse SDE',
      reverseSdeSample(score, sde, { rng, n: RING_N, dim: 2, steps: 200, denoise: true }),
    );
    expectRing(
      'probability flow',
      probabilityFlowSample(score, sde, { rng, n: RING_N, dim: 2, denoise: true }),
    );
  });
});
