import { type Generator, type NDArray, ValueError, add, mul, assertNDArray } from '@sciml/linalg';
import type { NoiseSchedule } from './schedules.js';

/**
 * Samples the forward (noising) process in closed form, x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε with ε ~ N(0, I)
 * (Ho et al. 2020, eq. 4). `t` is 1-based as in the paper. Returns the noise too: it is the regression target
 * of the ε-prediction loss.
 */
export function qSample(
  schedule: NoiseSchedule,
  x0: NDArray,
  t: number,
  options: { rng: Generator; noise?: NDArray },
): { xt: NDArray; noise: NDArray } {
  assertNDArray('qSample', x0, 'x0');
  const T = schedule.betas.length;
  if (!Number.isInteger(t) || t < 1 || t > T)
    throw new ValueError('qSample', `t must be an integer in [1, ${T}], got ${t}`);
  const abar = schedule.alphasCumprod[t - 1]!;
  const noise =
    options.noise ??
    options.rng.normal(x0.shape, {
      dtype: x0.dtype as 'float64' | 'float32',
      backend: x0.backend,
    });
  return { xt: add(mul(x0, Math.sqrt(abar)), mul(noise, Math.sqrt(1 - abar))), noise };
}

/** Posterior q(x_{t−1} | x_t, x₀) = N(μ̃, β̃ I) with μ̃ = (√ᾱₜ₋₁βₜ x₀ + √αₜ(1 − ᾱₜ₋₁) x_t)/(1 − ᾱₜ), β̃ = βₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ) (Ho et al. eq. 7). */
export function qPosterior(
  schedule: NoiseSchedule,
  x0: NDArray,
  xt: NDArray,
  t: number,
): { mean: NDArray; variance: number } {
  const T = schedule.betas.length;
  if (!Number.isInteger(t) || t < 1 || t > T)
    throw new ValueError('qPosterior', `t must be an integer in [1, ${T}], got ${t}`);
  const beta = schedule.betas[t - 1]!;
  const alpha = schedule.alphas[t - 1]!;
  const abar = schedule.alphasCumprod[t - 1]!;
  const abarPrev = t > 1 ? schedule.alphasCumprod[t - 2]! : 1;
  const c0 = (Math.sqrt(abarPrev) * beta) / (1 - abar);
  const ct = (Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar);
  return { mean: add(mul(x0, c0), mul(xt, ct)), variance: (beta * (1 - abarPrev)) / (1 - abar) };
}
