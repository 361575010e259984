import { type Generator, type NDArray, ValueError } from '@sciml/linalg';

/** Options of {@link mmd2}. */
export interface MmdOptions {
  /** Bandwidth h of the Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2h²)) (default 1). */
  bandwidth?: number;
}

function rows(
  op: string,
  name: string,
  a: NDArray,
): { data: ArrayLike<number>; n: number; d: number } {
  if (a.ndim !== 2)
    throw new ValueError(
      op,
      `${name} must be a [n, d] array of samples, got shape [${a.shape.join(', ')}]`,
    );
  const n = a.shape[0]!;
  if (n < 2)
    throw new ValueError(
      op,
      `${name} needs at least 2 samples for the unbiased estimate, got ${n}`,
    );
  const data = a.dataSync() as ArrayLike<number>;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!))
      throw new ValueError(
        op,
        `${name} has a non-finite value at flat index ${i}: drop or fix that sample`,
      );
  }
  return { data, n, d: a.shape[1]! };
}

function kernelSum(
  a: ArrayLike<number>,
  na: number,
  b: ArrayLike<number>,
  nb: number,
  d: number,
  gamma: number,
  skipDiagonal: boolean,
): number {
  let s = 0;
  for (let i = 0; i < na; i++) {
    for (let j = skipDiagonal ? i + 1 : 0; j < nb; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = a[i * d + k]! - b[j * d + k]!;
        r2 += t * t;
      }
      s += Math.exp(-gamma * r2);
    }
  }
  // the symmetric within-sample sums count each unordered pair once: double them
  return skipDiagonal ? 2 * s : s;
}

/**
 * Unbiased estimate of the squared maximum mean discrepancy between the distributions of two samples
 * `x` `[m, d]` and `y` `[n, d]` with a Gaussian kernel (Gretton et al. 2012, JMLR 13, eq. 3):
 * MMD²ᵤ = Σ_{i≠j} k(xᵢ,xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ)/(n(n−1)) − 2 Σᵢⱼ k(xᵢ,yⱼ)/(mn). It is zero in expectation
 * when both samples come from the same distribution (and may then be slightly negative).
 */
export function mmd2(x: NDArray, y: NDArray, options: MmdOptions = {}): number {
  const h = options.bandwidth ?? 1;
  if (!(h > 0) || !Number.isFinite(h))
    throw new ValueError('mmd2', `bandwidth must be a positive finite number, got ${h}`);
  const a = rows('mmd2', 'x', x);
  const b = rows('mmd2', 'y', y);
  if (a.d !== b.d)
    throw new ValueError(
      'mmd2',
      `x and y must have the same number of columns, got ${a.d} and ${b.d}`,
    );
  const gamma = 1 / (2 * h * h);
  const kxx = kernelSum(a.data, a.n, a.data, a.n, a.d, gamma, true) / (a.n * (a.n - 1));
  const kyy = kernelSum(b.data, b.n, b.data, b.n, b.d, gamma, true) / (b.n * (b.n - 1));
  const kxy = kernelSum(a.data, a.n, b.data, b.n, a.d, gamma, false) / (a.n * b.n);
  return kxx + kyy - 2 * kxy;
}

/** Options of {@link mmdThreshold}. */
export interface MmdThresholdOptions extends MmdOptions {
  /** Random generator handed to the sampler. */
  rng: Generator;
  /** Number of pairs of true samples drawn (default 20). */
  repeats?: number;
  /** Quantile of the null MMD² values returned (default 0.95). */
  quantile?: number;
}

/**
 * The acceptance threshold for a model's MMD²: draws `repeats` pairs of independent samples of size `n` from
 * the true distribution (`sample(n, rng)`), computes MMD² between the two of each pair, and returns the
 * `quantile` of these null values — what two honest samples of that size disagree by. A model whose samples
 * have MMD² to a true sample below it is indistinguishable at that sample size (a permutation-free version of
 * the test of Gretton et al. 2012).
 */
export function mmdThreshold(
  sample: (n: number, rng: Generator) => NDArray,
  n: number,
  options: MmdThresholdOptions,
): number {
  const repeats = options.repeats ?? 20;
  const q = options.quantile ?? 0.95;
  if (!Number.isInteger(n) || n < 2)
    throw new ValueError('mmdThreshold', `n must be an integer ≥ 2, got ${n}`);
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ValueError('mmdThreshold', `repeats must be a positive integer, got ${repeats}`);
  if (!(q >= 0 && q <= 1))
    throw new ValueError('mmdThreshold', `quantile must be in [0, 1], got ${q}`);
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    values.push(mmd2(sample(n, options.rng), sample(n, options.rng), options));
  }
  values.sort((u, v) => u - v);
  const pos = q * (values.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return values[lo]! + (values[hi]! - values[lo]!) * (pos - lo);
}
