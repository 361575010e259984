import type { PyTree } from '@sciml/autodiff';
import { type Generator, type NDArray, ValueError, mul } from '@sciml/linalg';
import type { Denoiser } from '../diffusion/denoiser.js';
import type { NoiseSchedule } from '../diffusion/schedules.js';
import { langevinSample } from './langevin.js';

/** Options of {@link annealedLangevinSample}. */
export interface AnnealedLangevinOptions {
  /** The schedule the ε-network was trained with. */
  schedule: NoiseSchedule;
  /** Random generator. */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** Noise levels visited, evenly spaced timesteps from T down to 1 (default 10). */
  levels?: number;
  /** Langevin steps per level (default 20). */
  stepsPerLevel?: number;
  /** ε of the step αᵢ = ε σᵢ²/σ_L² (default 0.05); σᵢ² = 1 − ᾱ at level i. */
  stepScale?: number;
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1) driven by a trained ε-network: the score of the
 * noised data p_t is ∇ log p_t(x) = −ε_θ(x, t)/√(1 − ᾱₜ) (denoising score matching, Vincent 2011, is what
 * the DDPM loss trains). Starting from N(0, I), `stepsPerLevel` unadjusted Langevin steps run at each of
 * `levels` decreasing noise levels with step αᵢ = ε σᵢ²/σ_L².
 */
export function annealedLangevinSample<P extends PyTree>(
  denoiser: Denoiser<P>,
  params: P,
  options: AnnealedLangevinOptions,
): NDArray {
  const { schedule, rng, n } = options;
  const T = schedule.betas.length;
  const levels = options.levels ?? 10;
  const steps = options.stepsPerLevel ?? 20;
  const eps = options.stepScale ?? 0.05;
  if (!Number.isInteger(levels) || levels < 1 || levels > T)
    throw new ValueError(
      'annealedLangevinSample',
      `levels must be an integer in [1, ${T}], got ${levels}`,
    );
  const ts = Array.from({ length: levels }, (_, i) =>
    levels === 1 ? 1 : Math.round(T - ((T - 1) * i) / (levels - 1)),
  );
  const sigma2 = (t: number) => 1 - schedule.alphasCumprod[t - 1]!;
  const last = sigma2(ts[levels - 1]!);
  let x: NDArray = rng.normal([n, denoiser.dim]);
  const tBuf = new Int32Array(n);
  for (const t of ts) {
    tBuf.fill(t);
    const s = Math.sqrt(sigma2(t));
    x = langevinSample((v) => mul(denoiser.apply(params, v, tBuf), -1 / s), x, {
      stepSize: (eps * sigma2(t)) / last,
      steps,
      rng,
    });
  }
  return x;
}
