import { ValueError } from '@sciml/linalg';

/** A discrete noise schedule for a diffusion model: βₜ, αₜ = 1 − βₜ and ᾱₜ = Πₛ≤ₜ αₛ for t = 1 … T (stored 0-based). */
export interface NoiseSchedule {
  /** Noise variances β₁ … β_T. */
  betas: Float64Array;
  /** αₜ = 1 − βₜ. */
  alphas: Float64Array;
  /** ᾱₜ = α₁ ⋯ αₜ: the signal fraction left at step t. */
  alphasCumprod: Float64Array;
}

function fromBetas(betas: Float64Array): NoiseSchedule {
  const alphas = Float64Array.from(betas, (b) => 1 - b);
  const alphasCumprod = new Float64Array(betas.length);
  let prod = 1;
  for (let t = 0; t < betas.length; t++) {
    prod *= alphas[t]!;
    alphasCumprod[t] = prod;
  }
  return { betas, alphas, alphasCumprod };
}

/** Refuses the old positional form (`linearSchedule(1000)`) instead of silently using the defaults. */
function checkOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(
      op,
      `takes an options object: ${op}({ timesteps: ${String(options)} }), not ${op}(${String(options)})`,
    );
  }
}

/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** Number of diffusion steps T (default 1000). */
  timesteps?: number;
  /** β₁ (default 1e-4). */
  betaStart?: number;
  /** β_T (default 0.02). */
  betaEnd?: number;
}

/** Linear β schedule from β₁ to β_T (DDPM defaults 1e-4 → 0.02 for T = 1000; Ho, Jain & Abbeel 2020). */
export function linearSchedule(options: LinearScheduleOptions = {}): NoiseSchedule {
  checkOptions('linearSchedule', options);
  const T = options.timesteps ?? 1000;
  const betaStart = options.betaStart ?? 1e-4;
  const betaEnd = options.betaEnd ?? 0.02;
  if (!Number.isInteger(T) || T < 1)
    throw new ValueError('linearSchedule', `timesteps must be a positive integer, got ${T}`);
  if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd)) {
    throw new ValueError(
      'linearSchedule',
      `needs 0 < betaStart ≤ betaEnd < 1, got ${betaStart}, ${betaEnd}`,
    );
  }
  return fromBetas(
    Float64Array.from({ length: T }, (_, t) =>
      T === 1 ? betaStart : betaStart + ((betaEnd - betaStart) * t) / (T - 1),
    ),
  );
}

/** Options of {@link cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Number of diffusion steps T (default 1000). */
  timesteps?: number;
  /** Offset s keeping β small near t = 0 (default 0.008). */
  s?: number;
  /** Clip of βₜ (default 0.999). */
  maxBeta?: number;
}

/**
 * Cosine schedule ᾱₜ = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2), with βₜ = 1 − ᾱₜ/ᾱₜ₋₁ clipped at
 * `maxBeta` (Nichol & Dhariwal 2021, eq. 17; s = 0.008, clip 0.999).
 */
export function cosineSchedule(options: CosineScheduleOptions = {}): NoiseSchedule {
  checkOptions('cosineSchedule', options);
  const T = options.timesteps ?? 1000;
  const s = options.s ?? 0.008;
  const maxBeta = options.maxBeta ?? 0.999;
  if (!Number.isInteger(T) || T < 1)
    throw new ValueError('cosineSchedule', `timesteps must be a positive integer, got ${T}`);
  const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = Float64Array.from({ length: T }, (_, i) => Math.min(1 - f(i + 1) / f(i), maxBeta));
  return fromBetas(betas);
}
