import type { PyTree } from '@sciml/autodiff';
import { type Generator, type NDArray, ValueError, mul, norm } from '@sciml/linalg';
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
  /** Noise levels visited, from t = T down to t = 1 with σ geometrically spaced (default 10). */
  levels?: number;
  /** Langevin steps per level (default 20). */
  stepsPerLevel?: number;
  /**
   * Signal-to-noise ratio r fixing each level's step α = 2 (r ‖z‖/‖s(x)‖)² from the current batch (default
   * 0.2): the step follows the local variance of p_t, whatever the scale of the data (Song et al. 2021,
   * Algorithm 5's corrector; a fixed αᵢ ∝ σᵢ² as in Song & Ermon 2019 fits variance-exploding noise only).
   */
  snr?: number;
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1) driven by a trained ε-network: the score of the
 * noised data p_t is ∇ log p_t(x) = −ε_θ(x, t)/√(1 − ᾱₜ) (denoising score matching, Vincent 2011, is what
 * the DDPM loss trains). Starting from N(0, I), `stepsPerLevel` unadjusted Langevin steps run at each of
 * `levels` decreasing noise levels, geometric in σ as in Song & Ermon (evenly spaced timesteps leave too big a
 * jump to the last, sharpest level for the chain to contract across), each with the step set by `snr`.
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
  const snr = options.snr ?? 0.2;
  if (!(snr > 0))
    throw new ValueError('annealedLangevinSample', `snr must be positive, got ${snr}`);
  if (!Number.isInteger(levels) || levels < 1 || levels > T)
    throw new ValueError(
      'annealedLangevinSample',
      `levels must be an integer in [1, ${T}], got ${levels}`,
    );
  const sigma2 = (t: number) => 1 - schedule.alphasCumprod[t - 1]!;
  const ts = geometricLevels(sigma2, T, levels);
  let x: NDArray = rng.normal([n, denoiser.dim]);
  const tBuf = new Int32Array(n);
  for (const t of ts) {
    tBuf.fill(t);
    const s = Math.sqrt(sigma2(t));
    const score = (v: NDArray) => mul(denoiser.apply(params, v, tBuf), -1 / s);
    // ‖z‖ ≈ √(nd) for z ~ N(0, I)
    const ratio = Math.sqrt(n * denoiser.dim) / norm(score(x)).item();
    x = langevinSample(score, x, { stepSize: 2 * (snr * ratio) ** 2, steps, rng });
  }
  return x;
}

/**
 * Timesteps T = t₁ > … > t_L = 1 whose noise levels σ(t) = √(1 − ᾱₜ) are closest to the geometric sequence
 * from σ(T) to σ(1) (σ decreases with t, so each is found by bisection).
 */
function geometricLevels(sigma2: (t: number) => number, T: number, levels: number): number[] {
  if (levels === 1) return [1];
  const hi = Math.log(sigma2(T));
  const lo = Math.log(sigma2(1));
  const ts: number[] = [];
  for (let i = 0; i < levels; i++) {
    const target = hi + ((lo - hi) * i) / (levels - 1);
    // smallest t with ln σ²(t) ≥ target
    let a = 1;
    let b = T;
    while (a < b) {
      const m = (a + b) >> 1;
      if (Math.log(sigma2(m)) >= target) b = m;
      else a = m + 1;
    }
    const prev = ts[ts.length - 1];
    ts.push(prev !== undefined && a >= prev ? Math.max(1, prev - 1) : a);
  }
  ts[levels - 1] = 1;
  return ts;
}
