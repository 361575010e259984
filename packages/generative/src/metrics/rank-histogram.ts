import { type NDArray, ValueError } from '@sciml/linalg';
import { chi2Quantile99 } from './chi2.js';

/** What {@link rankHistogram} returns. */
export interface RankHistogram {
  /** counts[r]: how many observations had r ensemble members below them, r = 0…K. */
  counts: number[];
  /** Pearson's χ² = Σᵣ (countsᵣ − E)²/E against the flat expectation E = n/(K + 1). */
  chi2: number;
  /** Degrees of freedom K (K + 1 bins, one constraint). */
  dof: number;
  /** The 99 % quantile of χ²(dof): a calibrated ensemble exceeds it 1 time in 100. */
  critical: number;
  /** `chi2 < critical`: flatness is not rejected at the 1 % level. */
  flat: boolean;
}

/**
 * The rank (Talagrand) histogram of an ensemble forecast (Anderson 1996, J. Climate 9, 1518; Hamill 2001,
 * Mon. Wea. Rev. 129, 550): for each of n cases, the rank of the observation among its K ensemble members.
 * If observation and members are exchangeable draws of the same distribution — a calibrated forecast — every
 * rank 0…K is equally likely and the histogram is flat; an under-dispersed ensemble piles observations into
 * the outer bins (a U shape), an over-dispersed one into the middle, a biased one to one side. Flatness is
 * tested with Pearson's χ² at the 1 % level. `ensemble` is `[n, K]` (K ≤ 30), `observed` `[n]`.
 */
export function rankHistogram(ensemble: NDArray, observed: NDArray): RankHistogram {
  const op = 'rankHistogram';
  if (ensemble.ndim !== 2)
    throw new ValueError(op, `ensemble must be [n, K], got [${ensemble.shape.join(', ')}]`);
  const [n, K] = ensemble.shape as [number, number];
  if (observed.ndim !== 1 || observed.shape[0] !== n)
    throw new ValueError(
      op,
      `observed must be [${n}] (one value per ensemble row), got [${observed.shape.join(', ')}]`,
    );
  if (K < 1 || K > 30) throw new ValueError(op, `needs 1 ≤ K ≤ 30 ensemble members, got ${K}`);
  if (n < 1) throw new ValueError(op, 'needs at least one case, got an empty ensemble');
  const e = ensemble.dataSync() as ArrayLike<number>;
  const o = observed.dataSync() as ArrayLike<number>;
  const counts = new Array<number>(K + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const y = Number(o[i]);
    if (!Number.isFinite(y)) throw new ValueError(op, `observed[${i}] = ${y} is not finite`);
    let below = 0;
    for (let k = 0; k < K; k++) {
      const v = Number(e[i * K + k]);
      if (!Number.isFinite(v))
        throw new ValueError(op, `ensemble[${i}, ${k}] = ${v} is not finite`);
      if (v < y) below++;
    }
    counts[below]!++;
  }
  const expected = n / (K + 1);
  let chi2 = 0;
  for (const c of counts) chi2 += (c - expected) ** 2 / expected;
  const critical = chi2Quantile99(K);
  return { counts, chi2, dof: K, critical, flat: chi2 < critical };
}
