import { type Generator, type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';

/** Options of {@link ringMixture}. */
export interface RingMixtureOptions {
  /** Random generator (the one convention of every stochastic function). */
  rng: Generator;
  /** Number of modes, evenly spaced on the circle (default 8). */
  modes?: number;
  /** Radius of the circle the means sit on (default 2). */
  radius?: number;
  /** Standard deviation of each isotropic component (default 0.1). */
  std?: number;
}

function checkRing(op: string, modes: number, radius: number, std: number): void {
  if (!Number.isInteger(modes) || modes < 1)
    throw new ValueError(op, `modes must be a positive integer, got ${modes}`);
  if (!(radius > 0) || !Number.isFinite(radius))
    throw new ValueError(op, `radius must be a positive finite number, got ${radius}`);
  if (!(std > 0) || !Number.isFinite(std))
    throw new ValueError(op, `std must be a positive finite number, got ${std}`);
}

/** The means of the ring mixture: `modes` points (r cos 2πk/K, r sin 2πk/K), as a `[modes, 2]` array of rows. */
export function ringMixtureCenters(options: { modes?: number; radius?: number } = {}): number[][] {
  const modes = options.modes ?? 8;
  const radius = options.radius ?? 2;
  checkRing('ringMixtureCenters', modes, radius, 1);
  return Array.from({ length: modes }, (_, k) => [
    radius * Math.cos((2 * Math.PI * k) / modes),
    radius * Math.sin((2 * Math.PI * k) / modes),
  ]);
}

/**
 * Draws `n` points from the 2-D ring mixture (1/K) Σₖ N(μₖ, σ² I) with K means evenly spaced on a circle —
 * the "8 Gaussians" benchmark of GAN mode collapse (Metz et al. 2017, "Unrolled GANs"). Returns `[n, 2]`.
 */
export function ringMixture(n: number, options: RingMixtureOptions): NDArray {
  const modes = options.modes ?? 8;
  const radius = options.radius ?? 2;
  const std = options.std ?? 0.1;
  checkRing('ringMixture', modes, radius, std);
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('ringMixture', `n must be a non-negative integer, got ${n}`);
  const centers = ringMixtureCenters({ modes, radius });
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = centers[options.rng.nextInt(0, modes)]!;
    out[2 * i] = c[0]! + std * options.rng.nextNormal();
    out[2 * i + 1] = c[1]! + std * options.rng.nextNormal();
  }
  return fromTypedArray(out, [n, 2]);
}

/** What {@link modeCoverage} reports. */
export interface ModeCoverage {
  /** Samples within `within` of each mean (a sample counts for its nearest mean only). */
  counts: number[];
  /** Number of means that received at least `minCount` samples. */
  covered: number;
  /** Fraction of all samples within `within` of some mean ("high-quality" samples). */
  quality: number;
}

/**
 * Counts, for each mixture mean, the samples that fall within `within` (default 3σ of the default mixture,
 * 0.3) of it — the mode-coverage measure of Srivastava et al. 2017 (VEEGAN). A mode is covered when it
 * receives at least `minCount` samples (default: a quarter of its fair share n/K).
 */
export function modeCoverage(
  samples: NDArray,
  centers: number[][],
  options: { within?: number; minCount?: number } = {},
): ModeCoverage {
  if (samples.ndim !== 2 || samples.shape[1] !== 2)
    throw new ValueError(
      'modeCoverage',
      `samples must be [n, 2], got [${samples.shape.join(', ')}]`,
    );
  const within = options.within ?? 0.3;
  const n = samples.shape[0]!;
  const minCount = options.minCount ?? Math.max(1, Math.floor(n / centers.length / 4));
  const data = samples.dataSync();
  const counts = centers.map(() => 0);
  let good = 0;
  for (let i = 0; i < n; i++) {
    const x = Number(data[2 * i]);
    const y = Number(data[2 * i + 1]);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    centers.forEach((c, k) => {
      const d = Math.hypot(x - c[0]!, y - c[1]!);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    if (bestD <= within) {
      counts[best]!++;
      good++;
    }
  }
  return {
    counts,
    covered: counts.filter((c) => c >= minCount).length,
    quality: n > 0 ? good / n : 0,
  };
}
