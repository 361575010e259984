import { Generator, type NDArray, mean, sigmoid } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpDenoiser } from '../diffusion/denoiser.js';
import { latentDdpmSample, trainLatentDdpm } from '../diffusion/latent-diffusion.js';
import { cosineSchedule } from '../diffusion/schedules.js';
import {
  type DigitsJudge,
  type DigitsSplit,
  digitsJudge,
  digitsSplit,
} from '../test-utils/digits.js';
import {
  type Vae,
  type VaeParams,
  trainVae,
  vae,
  vaeExPostPrior,
  vaeLogLikelihood,
  vaeSample,
} from './vae.js';

/** CPU seconds of this process so far (user + system), for the log: wall time on a shared machine says little. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * A Bernoulli-decoder VAE on the offline MNIST digits (10 000 images, 500 held out), trained once and judged by
 * the digits classifier of `test-utils/digits.ts` (trained in @sciml/nn on the real digits only) in two ways of
 * sampling its latent space: an ex-post Gaussian mixture (Ghosh et al. 2020) and a latent diffusion model
 * (Rombach et al. 2022). Latent 16, one hidden layer of 512, 1 500 Adam steps of 100, float32.
 */
describe('VAE on MNIST digits, and latent diffusion on its latents (slow: trains)', () => {
  const rng = new Generator(0);
  const model: Vae = vae({
    dataDim: 784,
    latentDim: 16,
    hidden: [512],
    likelihood: 'bernoulli',
    dtype: 'float32',
  });
  let split: DigitsSplit;
  let params: VaeParams;
  let judge: DigitsJudge;
  const cpu: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = cpuSeconds();
    split = await digitsSplit();
    judge = digitsJudge(split);
    const t1 = cpuSeconds();
    params = trainVae(model, split.xTrain, {
      rng,
      steps: 1500,
      batchSize: 100,
      optimizer: adam({ lr: 2e-3 }),
    });
    cpu.classifier = t1 - t0;
    cpu.vae = cpuSeconds() - t1;
  }, 900_000);

  /**
   * Test ELBO against the best model that ignores pixel correlations (independent Bernoulli pixels with the
   * training means — a closed form), and samples x = E[x | z] under two priors of the same networks. With
   * z ~ N(0, I) only ~42 % are classified with confidence ≥ 0.9 (real digits: 92 %): N(0, I) puts mass where the
   * aggregate posterior q(z) has none (the "holes" of the prior), and the decoder there draws blends of digits.
   * The ex-post density estimate of Ghosh et al. (2020) — a 20-component Gaussian mixture fitted by EM (to
   * convergence, ≤ 150 iterations) to the encoder means of the training digits — samples where the decoder was
   * trained. Measured here 84.0 % (in development: 85.8 % and, VAE seed 1, 83.8 %); decoded training means, the
   * ceiling of any prior for this decoder, reach 89.7 %.
   */
  it('beats the independent-pixel model on test ELBO; its ex-post-prior samples are ≥ 80 % confident digits of every class', () => {
    const { xTrain, xTest } = split;
    const t0 = cpuSeconds();
    // ln p(x) of independent Bernoulli pixels pⱼ = training mean (grey levels as soft targets, as the decoder's BCE)
    const p = mean(xTrain, { axis: 0 }).dataSync();
    const te = xTest.dataSync();
    const nTest = xTest.shape[0]!;
    let baseline = 0;
    for (let i = 0; i < nTest; i++) {
      for (let j = 0; j < 784; j++) {
        const q = Math.min(1 - 1e-6, Math.max(1e-6, Number(p[j])));
        const v = Number(te[i * 784 + j]);
        baseline += (v * Math.log(q) + (1 - v) * Math.log(1 - q)) / nTest;
      }
    }
    const prior = vaeExPostPrior(model, params, xTrain, { components: 20, rng, iterations: 150 });
    // the ELBO is the K = 1 importance-weighted bound; mean of 5 draws over the 500 test digits
    const elboUnder = (withPrior: boolean) =>
      Array.from({ length: 5 }, () =>
        vaeLogLikelihood(model, params, xTest, {
          rng,
          samples: 1,
          ...(withPrior ? { prior } : {}),
        }),
      ).reduce((a, b) => a + b) / 5;
    const elbo = elboUnder(false);
    const elboExPost = elboUnder(true);

    const { testAccuracy, real } = judge;
    const n = 500;
    const standard = judge.judge(vaeSample(model, params, { rng, n, mean: true }));
    const exPost = judge.judge(vaeSample(model, params, { rng, n, mean: true, prior }));
    const reconstructions = judge.judge(
      sigmoid(model.decode(params, model.encode(params, xTest).mu)),
    );
    console.log(
      `VAE digits: test ELBO ${elbo.toFixed(1)} nats (prior N(0, I)), ${elboExPost.toFixed(1)} (ex-post mixture prior, EM iterations ${prior.logLikelihoods.length}) vs independent pixels ${baseline.toFixed(1)}; classifier test accuracy ${pct(testAccuracy)}, confidence ≥ 0.9 on ${pct(real.confident)} of real test digits, ${pct(reconstructions.confident)} of reconstructions; samples with confidence ≥ 0.9: ${pct(standard.confident)} from N(0, I) (${standard.classes}/10 classes), ${pct(exPost.confident)} from the ex-post prior (${exPost.classes}/10 classes, counts ${exPost.counts.join(' ')}); CPU: classifier ${cpu.classifier!.toFixed(1)} s, VAE ${cpu.vae!.toFixed(1)} s, this check ${(cpuSeconds() - t0).toFixed(1)} s`,
    );
    expect(elbo).toBeGreaterThan(baseline + 70);
    // the mixture fits the aggregate posterior better than N(0, I) does: a smaller KL term
    expect(elboExPost).toBeGreaterThan(elbo);
    expect(testAccuracy).toBeGreaterThan(0.94);
    expect(real.confident).toBeGreaterThan(0.85);
    // the criterion: ≥ 80 % of samples z ~ ex-post prior, x = E[x | z], at confidence ≥ 0.9, all 10 classes
    expect(exPost.confident).toBeGreaterThanOrEqual(0.8);
    expect(exPost.classes).toBe(10);
    expect(standard.confident).toBeLessThan(exPost.confident);
  });

  /**
   * Latent diffusion (Rombach et al. 2022): an ε-prediction DDPM (cosine schedule, T = 20, MLP denoiser of
   * 3 × 128 SiLU units, 2 000 Adam steps of 128, parameter EMA 0.995) on the standardised encoder means of the
   * same VAE, sampled by DDIM (all 20 steps, η = 0) and decoded by its decoder. Measured here 82.6 % (classes
   * uneven: 95 sixes, 17 eights among 500). In development (VAE seeds 0 and 1, other draws):
   * 84.0 % and 83.6 % at T = 20 (T = 50, DDIM 50, seed 0: 84.0 %); with T = 100 (DDIM 50) the same network gave
   * 71–76 % — its samples over-dispersed (RMS 1.3 per standardised coordinate against the data's 1.0). Our reading:
   * with fewer noise levels each gets more of the 2 000 steps' training signal, enough to fit ε_θ near the data.
   */
  it('latent DDPM samples decode to confident digits of every class', () => {
    const t0 = cpuSeconds();
    const steps = 2000;
    let loss = 0;
    const ldm = trainLatentDdpm(model, params, split.xTrain, {
      schedule: cosineSchedule({ timesteps: 20 }),
      rng,
      steps,
      batchSize: 128,
      ema: 0.995,
      denoiser: mlpDenoiser({ dim: 16, hidden: 128, depth: 3, dtype: 'float32' }),
      optimizer: adam({ lr: cosineDecay(2e-3, { steps, minLr: 1e-5 }) }),
      onStep: (_, l) => {
        loss = 0.99 * loss + 0.01 * l;
        return undefined;
      },
    });
    const samples: NDArray = latentDdpmSample(ldm, { rng, n: 500, mean: true, steps: 20 });
    const verdict = judge.judge(samples);
    console.log(
      `latent DDPM digits: final ε-loss (EMA) ${loss.toFixed(4)}; DDIM samples with confidence ≥ 0.9: ${pct(verdict.confident)}, classes ${verdict.classes}/10 (counts ${verdict.counts.join(' ')}); CPU ${(cpuSeconds() - t0).toFixed(1)} s`,
    );
    // the criterion: ≥ 80 % of samples at confidence ≥ 0.9, all 10 classes
    expect(verdict.classes).toBe(10);
    expect(verdict.confident).toBeGreaterThanOrEqual(0.8);
  });
});
