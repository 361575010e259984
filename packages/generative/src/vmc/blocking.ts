import { ValueError } from '@sciml/linalg';
import { chi2Quantile99 } from '../metrics/chi2.js';

/** What {@link blocking} reports. */
export interface BlockingResult {
  /** Sample mean of the (truncated) series. */
  mean: number;
  /** Standard error of the mean, corrected for autocorrelation. */
  error: number;
  /** Naive standard error σ/√n that ignores correlation (a lower bound when the series is correlated). */
  naiveError: number;
  /** Blocking level k chosen (blocks of 2ᵏ samples). */
  level: number;
  /** Number of samples used: the last 2^⌊log₂ n⌋ of the series. */
  used: number;
  /** Standard error estimated at every level 0 … d−1 (the blocking curve of Flyvbjerg & Petersen 1989). */
  curve: number[];
}

/**
 * Statistical error of the mean of a correlated series (e.g. Monte Carlo local energies) by blocking: pairs
 * of neighbours are averaged repeatedly (Flyvbjerg & Petersen 1989, J. Chem. Phys. 91, 461) and the level is
 * chosen automatically by the χ² test of Jonsson 2018 (Phys. Rev. E 98, 043304), which stops once the
 * remaining blocks are uncorrelated. Uses the last 2^⌊log₂ n⌋ samples (the start of a chain is burn-in).
 */
export function blocking(series: ArrayLike<number>): BlockingResult {
  const n = series.length;
  if (n < 4) throw new ValueError('blocking', `needs at least 4 samples, got ${n}`);
  const d = Math.floor(Math.log2(n));
  const used = 2 ** d;
  let x = new Float64Array(used);
  for (let i = 0; i < used; i++) x[i] = series[n - used + i]!;
  for (let i = 0; i < used; i++) {
    if (!Number.isFinite(x[i]!))
      throw new ValueError('blocking', `sample ${n - used + i} is not finite: the chain diverged`);
  }
  let mu = 0;
  for (const v of x) mu += v;
  mu /= used;
  const s = new Float64Array(d);
  const gamma = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const m = x.length;
    let g = 0;
    let v = 0;
    for (let j = 0; j < m; j++) {
      v += (x[j]! - mu) ** 2;
      if (j + 1 < m) g += (x[j]! - mu) * (x[j + 1]! - mu);
    }
    gamma[i] = g / m;
    s[i] = v / m;
    const next = new Float64Array(m / 2);
    for (let j = 0; j < m / 2; j++) next[j] = 0.5 * (x[2 * j]! + x[2 * j + 1]!);
    x = next;
  }
  // M_k = Σ_{j≥k} n_j (γ_j/σ²_j)² with n_j = 2^{d−j} samples at level j
  const M = new Float64Array(d);
  let acc = 0;
  for (let j = d - 1; j >= 0; j--) {
    const r = s[j]! > 0 ? gamma[j]! / s[j]! : 0;
    acc += 2 ** (d - j) * r * r;
    M[j] = acc;
  }
  let k = 0;
  while (k < d - 1 && !(M[k]! < chi2Quantile99(Math.min(d - k, 30)))) k++;
  const curve = Array.from({ length: d }, (_, j) => Math.sqrt(s[j]! / 2 ** (d - j)));
  return {
    mean: mu,
    error: curve[k]!,
    naiveError: curve[0]!,
    level: k,
    used,
    curve,
  };
}
