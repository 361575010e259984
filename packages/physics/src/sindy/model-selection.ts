import { type NDArray, ValueError } from '@sciml/linalg';
import { type MatrixLike, readMatrix } from './matrix.js';
import type { SparseOptimizer } from './optimizers/optimizer.js';
import { readProblem } from './optimizers/optimizer.js';
import { stlsq } from './optimizers/stlsq.js';

/** An information criterion for sparse models. @public */
export type InformationCriterion = 'aic' | 'aicc' | 'bic';

/** Options of {@link selectModel}. @public */
export interface SelectModelOptions {
  /** Candidate sparsity thresholds (at least one). */
  thresholds: readonly number[];
  /** Criterion to minimise (default `'bic'`). */
  criterion?: InformationCriterion;
  /** The optimiser for one threshold (default `t => stlsq({ threshold: t })`). */
  optimizer?: (threshold: number) => SparseOptimizer;
}

/** One candidate model of {@link selectModel}. @public */
export interface ModelCandidate {
  /** Its threshold. */
  readonly threshold: number;
  /** Ξ, (targets × features). */
  readonly coefficients: NDArray;
  /** Number of non-zero coefficients k. */
  readonly complexity: number;
  /** Residual sum of squares over every sample and target. */
  readonly rss: number;
  /** N ln(RSS/N) + 2k. */
  readonly aic: number;
  /** AIC + 2k(k + 1)/(N − k − 1), the small-sample correction (∞ when k ≥ N − 1). */
  readonly aicc: number;
  /** N ln(RSS/N) + k ln N. */
  readonly bic: number;
}

/** What {@link selectModel} returns. @public */
export interface ModelSelectionResult {
  /** Every candidate, in the order of `thresholds`. */
  readonly candidates: readonly ModelCandidate[];
  /** Index of the selected candidate (smallest criterion; the sparser one on ties). */
  readonly best: number;
  /** The selected candidate. */
  readonly selected: ModelCandidate;
}

/**
 * Model selection over a sweep of sparsity thresholds by an information criterion (Mangan, Kutz, Brunton &
 * Proctor 2017, "Model selection for dynamical systems via sparse regression and information criteria",
 * Proc. R. Soc. A 473:20170009): fits Y ≈ ΘΞᵀ at each threshold and scores each model by AIC, AICc or BIC
 * with the Gaussian log-likelihood N ln(RSS/N), N = samples × targets, k = non-zero coefficients. Lower is
 * better; BIC's k ln N penalty picks the true sparse support more often than AIC for large N.
 * @example
 * ```ts
 * const { selected } = selectModel(theta, xDot, { thresholds: [0.01, 0.1, 0.5, 1, 5] });
 * ```
 * @public
 */
export function selectModel(
  theta: MatrixLike,
  y: MatrixLike,
  options: SelectModelOptions,
): ModelSelectionResult {
  const op = 'selectModel';
  const { theta: T, y: Y } = readProblem(op, theta, y);
  if (options.thresholds.length === 0)
    throw new ValueError(op, 'thresholds is empty; give at least one candidate threshold');
  const criterion = options.criterion ?? 'bic';
  if (criterion !== 'aic' && criterion !== 'aicc' && criterion !== 'bic')
    throw new ValueError(
      op,
      `criterion must be 'aic', 'aicc' or 'bic', got '${String(criterion)}'`,
    );
  const make = options.optimizer ?? ((threshold: number) => stlsq({ threshold }));
  const N = T.rows * Y.cols;
  const p = T.cols;
  const k = Y.cols;
  const candidates = options.thresholds.map((threshold): ModelCandidate => {
    const coefficients = make(threshold).fit(theta, y).coefficients;
    const xi = readMatrix(op, coefficients, 'coefficients').data;
    let rss = 0;
    for (let i = 0; i < T.rows; i++) {
      for (let t = 0; t < k; t++) {
        let pred = 0;
        for (let j = 0; j < p; j++) pred += T.data[i * p + j]! * xi[t * p + j]!;
        rss += (Y.data[i * k + t]! - pred) ** 2;
      }
    }
    const nz = xi.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
    // an exact fit has RSS = 0; floor it so the log-likelihood stays finite and comparable
    const ll = N * Math.log(Math.max(rss, 1e-300) / N);
    const aic = ll + 2 * nz;
    return {
      threshold,
      coefficients,
      complexity: nz,
      rss,
      aic,
      aicc: N - nz - 1 > 0 ? aic + (2 * nz * (nz + 1)) / (N - nz - 1) : Number.POSITIVE_INFINITY,
      bic: ll + nz * Math.log(N),
    };
  });
  let best = 0;
  candidates.forEach((c, i) => {
    const b = candidates[best]!;
    if (
      c[criterion] < b[criterion] ||
      (c[criterion] === b[criterion] && c.complexity < b.complexity)
    )
      best = i;
  });
  return { candidates, best, selected: candidates[best]! };
}
