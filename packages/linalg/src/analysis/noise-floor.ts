import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { svdvals } from '../decomp/svd.js';
import { readFloat64 } from '../decomp/util.js';

function aspect(op: string, m: number, n: number): { beta: number; long: number } {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m > 0 && n > 0)) {
    throw new ValueError(op, `matrix dimensions must be positive integers, got ${m}×${n}`);
  }
  return { beta: Math.min(m, n) / Math.max(m, n), long: Math.max(m, n) };
}

/**
 * Marchenko–Pastur bulk edges for the singular values of an m×n matrix of i.i.d. noise with standard deviation σ:
 * σ√L (1 ± √β) with β = min(m, n)/max(m, n) and L = max(m, n) (Marchenko & Pastur 1967). Singular values above the
 * upper edge are signal; the bulk below is noise.
 */
export function marchenkoPasturEdges(
  m: number,
  n: number,
  sigma = 1,
): { lower: number; upper: number } {
  const { beta, long } = aspect('marchenkoPasturEdges', m, n);
  const scale = sigma * Math.sqrt(long);
  return { lower: scale * (1 - Math.sqrt(beta)), upper: scale * (1 + Math.sqrt(beta)) };
}

/** Median of the Marchenko–Pastur distribution of eigenvalues for aspect ratio β (σ = 1), by bisection on its CDF. */
export function marchenkoPasturMedian(beta: number): number {
  const lo0 = (1 - Math.sqrt(beta)) ** 2;
  const hi0 = (1 + Math.sqrt(beta)) ** 2;
  // CDF by Simpson's rule in u = √x: the density's x^(−1/2) singularity at 0 (β = 1) becomes a finite integrand
  const integrand = (u: number) => {
    const x = u * u;
    return u > 0
      ? Math.sqrt(Math.max((hi0 - x) * (x - lo0), 0)) / (Math.PI * beta * u)
      : Math.sqrt(hi0) / (Math.PI * beta);
  };
  const cdf = (t: number) => {
    const steps = 4000;
    const a = Math.sqrt(lo0);
    const h = (Math.sqrt(t) - a) / steps;
    let s = integrand(a) + integrand(a + steps * h);
    for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * integrand(a + i * h);
    return (s * h) / 3;
  };
  let lo = lo0;
  let hi = hi0;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Gavish–Donoho optimal hard threshold and the rank it keeps. */
export interface HardThreshold {
  /** Singular values above this are kept. */
  threshold: number;
  /** Number of singular values above the threshold. */
  rank: number;
  /** Noise level used (given, or estimated from the median singular value). */
  sigma: number;
}

/**
 * Optimal hard threshold for singular values (Gavish & Donoho 2014, IEEE Trans. Inf. Theory 60(8)): with known
 * noise σ, τ = λ*(β)·√L·σ with λ*(β) = √(2(β+1) + 8β/((β+1) + √(β² + 14β + 1))); with unknown noise,
 * τ = (λ*(β)/√μ_β)·σ_med, where σ_med is the median singular value and μ_β the Marchenko–Pastur median.
 */
export function optimalHardThreshold(A: NDArray, options: { sigma?: number } = {}): HardThreshold {
  const [m, n] = A.shape.slice(-2) as [number, number];
  const { beta, long } = aspect('optimalHardThreshold', m, n);
  const lambda = Math.sqrt(
    2 * (beta + 1) + (8 * beta) / (beta + 1 + Math.sqrt(beta * beta + 14 * beta + 1)),
  );
  const s = readFloat64(svdvals(A));
  let sigma = options.sigma;
  if (sigma === undefined) {
    const sorted = Float64Array.from(s).sort();
    const k = sorted.length;
    const median = k % 2 ? sorted[(k - 1) / 2]! : 0.5 * (sorted[k / 2 - 1]! + sorted[k / 2]!);
    sigma = median / Math.sqrt(long * marchenkoPasturMedian(beta));
  }
  if (!(sigma >= 0))
    throw new ValueError('optimalHardThreshold', `sigma must be non-negative, got ${sigma}`);
  const threshold = lambda * Math.sqrt(long) * sigma;
  return { threshold, rank: s.filter((v) => v > threshold).length, sigma };
}
