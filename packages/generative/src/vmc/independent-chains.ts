import { ValueError } from '@sciml/linalg';

/** What {@link independentChainsMean} reports. */
export interface IndependentChainsResult {
  /** Grand mean over all chains and steps. */
  mean: number;
  /** Standard error of `mean` from the spread of the chain means, s_between/√K: exact for independent chains of any autocorrelation. */
  error: number;
  /** Naive standard error σ/√(K n) that treats every sample as independent (a lower bound for correlated chains). */
  naiveError: number;
  /**
   * Statistical inefficiency (error/naiveError)² = n·Var(chain mean)/Var(sample) ≈ 1 + 2 Σ_{t≥1} ρ(t) = 2τ_int:
   * how many correlated samples are worth one independent one (1 for uncorrelated chains).
   */
  inefficiency: number;
  /** Number of chains K. */
  chains: number;
  /** Length n of each chain. */
  length: number;
}

/**
 * Mean of an observable over K independent Markov chains (each already past burn-in) and its standard error from
 * the between-chain spread, s²_K/K with s²_K the sample variance of the K chain means — the batch-means estimate
 * with the chains as batches (Flegal, Haran & Jones 2008, Stat. Sci. 23, 250; Gelman & Rubin 1992): it needs no
 * model of the autocorrelation within a chain, only that chains do not share randomness. `series[k]` is chain k's
 * time series; all chains must have the same length. For one long chain use {@link blocking}.
 */
export function independentChainsMean(
  series: readonly ArrayLike<number>[],
): IndependentChainsResult {
  const K = series.length;
  if (K < 2)
    throw new ValueError(
      'independentChainsMean',
      `needs at least 2 chains to estimate the spread of their means, got ${K}`,
    );
  const n = series[0]!.length;
  if (n < 1) throw new ValueError('independentChainsMean', 'chains must not be empty');
  const means = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const x = series[k]!;
    if (x.length !== n)
      throw new ValueError(
        'independentChainsMean',
        `all chains must have the same length: chain 0 has ${n} samples, chain ${k} has ${x.length}`,
      );
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = x[t]!;
      if (!Number.isFinite(v))
        throw new ValueError(
          'independentChainsMean',
          `sample ${t} of chain ${k} is not finite: the chain diverged`,
        );
      s += v;
    }
    means[k] = s / n;
  }
  let mean = 0;
  for (const m of means) mean += m;
  mean /= K;
  let between = 0;
  for (const m of means) between += (m - mean) ** 2;
  between /= K - 1;
  let total = 0;
  for (const x of series) for (let t = 0; t < n; t++) total += (x[t]! - mean) ** 2;
  const variance = total / (K * n - 1);
  const error = Math.sqrt(between / K);
  const naiveError = Math.sqrt(variance / (K * n));
  return {
    mean,
    error,
    naiveError,
    inefficiency: variance > 0 ? (n * between) / variance : 1,
    chains: K,
    length: n,
  };
}
