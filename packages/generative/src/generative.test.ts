import { Generator, array, full, mean, mul, neg, sub, variance } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { qPosterior, qSample } from './diffusion/forward.js';
import { cosineSchedule, linearSchedule } from './diffusion/schedules.js';
import { langevinSample } from './score/langevin.js';

describe('noise schedules', () => {
  it('linear: DDPM endpoints and ᾱ as the running product', () => {
    const s = linearSchedule({ timesteps: 1000 });
    expect(s.betas[0]).toBe(1e-4);
    expect(s.betas[999]).toBeCloseTo(0.02, 15);
    let prod = 1;
    for (let t = 0; t < 1000; t++) prod *= 1 - s.betas[t]!;
    expect(s.alphasCumprod[999]).toBeCloseTo(prod, 15);
    // the signal is almost gone at T: ᾱ_T ≈ 4e-5 for the DDPM schedule
    expect(s.alphasCumprod[999]).toBeLessThan(1e-4);
  });

  it('cosine: ᾱₜ = f(t)/f(0) exactly until the β clip', () => {
    const T = 1000;
    const s = cosineSchedule({ timesteps: T });
    const f = (t: number) => Math.cos(((t / T + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const t of [1, 100, 500, 900]) expect(s.alphasCumprod[t - 1]).toBeCloseTo(f(t) / f(0), 12);
    expect(Math.max(...s.betas)).toBeLessThanOrEqual(0.999);
    expect(() => cosineSchedule({ timesteps: 0 })).toThrow(/positive integer/);
    expect(() => cosineSchedule(10 as never)).toThrow(/cosineSchedule\(\{ timesteps: 10 \}\)/);
  });
});

describe('forward process', () => {
  const s = linearSchedule({ timesteps: 1000 });

  it('q(x_t | x₀) has mean √ᾱₜ x₀ and variance 1 − ᾱₜ', () => {
    const n = 100_000;
    const x0 = full([n], 2);
    const t = 300;
    const { xt } = qSample(s, x0, t, { rng: new Generator(1) });
    const abar = s.alphasCumprod[t - 1]!;
    expect(Math.abs(mean(xt).item() - 2 * Math.sqrt(abar))).toBeLessThan(
      5 * Math.sqrt((1 - abar) / n),
    );
    expect(Math.abs(variance(xt).item() / (1 - abar) - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('the posterior of one step is consistent: sampling x_{t−1} from it reproduces q(x_{t−1} | x₀)', () => {
    const n = 100_000;
    const rng = new Generator(2);
    const x0 = full([n], 1.5);
    const t = 50;
    const { xt } = qSample(s, x0, t, { rng });
    const { mean: mu, variance: v } = qPosterior(s, x0, xt, t);
    const prev = mul(rng.normal([n]), Math.sqrt(v));
    const sample = sub(mu, neg(prev));
    const abarPrev = s.alphasCumprod[t - 2]!;
    expect(Math.abs(mean(sample).item() - 1.5 * Math.sqrt(abarPrev))).toBeLessThan(
      5 * Math.sqrt((1 - abarPrev) / n),
    );
    expect(Math.abs(variance(sample).item() / (1 - abarPrev) - 1)).toBeLessThan(
      5 * Math.sqrt(2 / n),
    );
  });
});

describe('Langevin sampling', () => {
  it('samples N(μ, σ²) from its exact score −(x − μ)/σ²', () => {
    const mu = 3;
    const sigma2 = 0.25;
    const n = 10_000;
    const rng = new Generator(3);
    const x = langevinSample((v) => mul(sub(v, mu), -1 / sigma2), rng.normal([n]), {
      stepSize: 0.01,
      steps: 300,
      rng,
    });
    // the unadjusted chain's stationary variance is σ²/(1 − ε/(4σ²)) (discretisation bias), here 1.01σ²
    const biased = sigma2 / (1 - 0.01 / (4 * sigma2));
    expect(Math.abs(mean(x).item() - mu)).toBeLessThan(5 * Math.sqrt(biased / n));
    expect(Math.abs(variance(x).item() / biased - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(() => langevinSample((v) => v, array([0]), { stepSize: 0, steps: 1, rng })).toThrow(
      /positive/,
    );
  });
});
