import type { PyTree } from '@sciml/autodiff';
import { type NDArray, ValueError, mul } from '@sciml/linalg';
import type { Denoiser } from '../diffusion/denoiser.js';
import type { NoiseSchedule } from '../diffusion/schedules.js';

/**
 * A variance-preserving SDE on t ∈ [0, 1] (Song et al. 2021, "Score-Based Generative Modeling through
 * Stochastic Differential Equations", eq. 11): dx = −½β(t) x dt + √β(t) dW, whose marginal given x₀ is
 * N(√ᾱ(t) x₀, (1 − ᾱ(t)) I) with ᾱ(t) = exp(−∫₀ᵗ β(s) ds). DDPM is its discretisation.
 */
export interface VpSde {
  /** Noise rate β(t). */
  beta(t: number): number;
  /** Signal fraction ᾱ(t) = exp(−∫₀ᵗ β): x_t = √ᾱ x₀ + √(1 − ᾱ) ε. */
  alphaBar(t: number): number;
  /** The number of discrete steps T whose index an ε-network takes as time: it sees t·T. */
  readonly timesteps: number;
}

/** A score function of the noised marginals, s(x, t) ≈ ∇ₓ ln p_t(x), for a batch x `[n, d]` at one time t. */
export type TimeScoreFn = (x: NDArray, t: number) => NDArray;

function checkTime(op: string, t: number): void {
  if (!(t >= 0 && t <= 1)) throw new ValueError(op, `t must lie in [0, 1], got ${t}`);
}

/** Options of {@link vpSde}. */
export interface VpSdeOptions {
  /** β(0) (default 0.1, Song et al. 2021). */
  betaMin?: number;
  /** β(1) (default 20). */
  betaMax?: number;
  /** Time scale T of an ε-network's input (default 1000, the DDPM step count these defaults match). */
  timesteps?: number;
}

/**
 * The VP-SDE with linear β(t) = β_min + t(β_max − β_min), so ᾱ(t) = exp(−β_min t − ½(β_max − β_min)t²) (Song
 * et al. 2021, eq. 33). The defaults 0.1 and 20 are DDPM's linear schedule 1e-4 … 0.02 over T = 1000 steps
 * in continuous time (β(i/T) = T βᵢ).
 */
export function vpSde(options: VpSdeOptions = {}): VpSde {
  const betaMin = options.betaMin ?? 0.1;
  const betaMax = options.betaMax ?? 20;
  const timesteps = options.timesteps ?? 1000;
  if (!(betaMin > 0 && betaMax >= betaMin && Number.isFinite(betaMax)))
    throw new ValueError('vpSde', `needs 0 < betaMin ≤ betaMax < ∞, got ${betaMin}, ${betaMax}`);
  if (!(timesteps > 0))
    throw new ValueError('vpSde', `timesteps must be positive, got ${timesteps}`);
  return {
    timesteps,
    beta: (t) => {
      checkTime('vpSde.beta', t);
      return betaMin + t * (betaMax - betaMin);
    },
    alphaBar: (t) => {
      checkTime('vpSde.alphaBar', t);
      return Math.exp(-betaMin * t - 0.5 * (betaMax - betaMin) * t * t);
    },
  };
}

/**
 * The VP-SDE whose marginals at t = i/T are exactly those of a discrete schedule (any: linear, cosine):
 * ln ᾱ(t) interpolates ln ᾱᵢ linearly between grid points, so β(t) = −T ln αᵢ on ((i − 1)/T, i/T]. An
 * ε-network trained by `trainDdpm` on that schedule then drives the continuous-time samplers unchanged.
 */
export function vpSdeFromSchedule(schedule: NoiseSchedule): VpSde {
  const T = schedule.betas.length;
  const logAbar = Float64Array.from({ length: T + 1 }, (_, i) =>
    i === 0 ? 0 : Math.log(schedule.alphasCumprod[i - 1]!),
  );
  // the interval ((i − 1)/T, i/T] holding t, as i − 1 in 0 … T − 1
  const cell = (t: number) => Math.min(T - 1, Math.max(0, Math.ceil(t * T) - 1));
  return {
    timesteps: T,
    beta: (t) => {
      checkTime('vpSdeFromSchedule.beta', t);
      return -T * Math.log(schedule.alphas[cell(t)]!);
    },
    alphaBar: (t) => {
      checkTime('vpSdeFromSchedule.alphaBar', t);
      const i = cell(t);
      const w = t * T - i;
      return Math.exp(logAbar[i]! + w * (logAbar[i + 1]! - logAbar[i]!));
    },
  };
}

/**
 * The score of the noised data from an ε-network, ∇ₓ ln p_t(x) = −ε_θ(x, tT)/√(1 − ᾱ(t)): denoising score
 * matching (Vincent 2011) is what the DDPM loss trains, up to this scale (Song et al. 2021, App. C).
 */
export function scoreFromDenoiser<P extends PyTree>(
  denoiser: Denoiser<P>,
  params: P,
  sde: VpSde,
): TimeScoreFn {
  return (x, t) => {
    const n = x.shape[0]!;
    const sigma = Math.sqrt(1 - sde.alphaBar(t));
    if (!(sigma > 0))
      throw new ValueError('scoreFromDenoiser', `the noise level at t = ${t} is 0: use t > 0`);
    return mul(denoiser.apply(params, x, new Float64Array(n).fill(t * sde.timesteps)), -1 / sigma);
  };
}
