import { Generator, ValueError, fromTypedArray } from '@sciml/linalg';
import { type Matrix, checkNonNegative, checkPositiveInt, toNDArray } from '../matrix.js';
import { type SparseOptimizer, type SparseRegressionResult, readProblem } from './optimizer.js';

/** Options of {@link ensemble}. @public */
export interface EnsembleOptions {
  /** Number of models fitted (default 20). */
  nModels?: number;
  /** Resample the rows (samples) for each model (default true). */
  bagging?: boolean;
  /** Rows drawn per model (default: all of them). */
  subsetSize?: number;
  /** Draw rows with replacement, the bootstrap (default true). */
  replace?: boolean;
  /** Library bagging: leave out this many randomly chosen features in each model (default 0). */
  dropFeatures?: number;
  /** How the models' coefficients are combined: `'median'` ("bragging", default) or `'mean'` (bagging). */
  aggregate?: 'median' | 'mean';
  /** Zero aggregated coefficients whose inclusion probability is below this (default 0: keep all). */
  inclusionThreshold?: number;
  /** Random number generator for the resampling (default: a new `Generator(seed)` at each fit). */
  rng?: Generator;
  /** Seed of the default generator (default 0). */
  seed?: number;
}

/** Rows `idx` of `m`. */
function takeRows(m: Matrix, idx: readonly number[]): Matrix {
  const data = new Float64Array(idx.length * m.cols);
  idx.forEach((r, i) => {
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  });
  return { rows: idx.length, cols: m.cols, data };
}

/** Columns `idx` of `m`. */
function takeCols(m: Matrix, idx: readonly number[]): Matrix {
  const data = new Float64Array(m.rows * idx.length);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < idx.length; c++) data[i * idx.length + c] = m.data[i * m.cols + idx[c]!]!;
  }
  return { rows: m.rows, cols: idx.length, data };
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Ensemble SINDy (Fasel, Kutz, Brunton & Brunton 2022, "Ensemble-SINDy: Robust sparse model discovery in the
 * low-data, high-noise limit, with active learning and control", Proc. R. Soc. A 478:20210904): fits the
 * wrapped optimiser on `nModels` bootstrap resamples of the samples (and, with `dropFeatures`, random
 * sub-libraries), aggregates the coefficients by median or mean, and reports each term's inclusion
 * probability, the fraction of models that kept it.
 * @example
 * ```ts
 * const opt = ensemble(stlsq({ threshold: 0.5 }), { nModels: 50, seed: 1 });
 * const { coefficients, inclusionProbabilities } = opt.fit(theta, xDot);
 * ```
 * @public
 */
export function ensemble(
  optimizer: SparseOptimizer,
  options: EnsembleOptions = {},
): SparseOptimizer {
  const op = 'ensemble';
  const nModels = checkPositiveInt(op, 'nModels', options.nModels ?? 20);
  const bagging = options.bagging ?? true;
  const replace = options.replace ?? true;
  const drop = options.dropFeatures ?? 0;
  if (!Number.isInteger(drop) || drop < 0)
    throw new ValueError(op, `dropFeatures must be a non-negative integer, got ${drop}`);
  const aggregate = options.aggregate ?? 'median';
  if (aggregate !== 'median' && aggregate !== 'mean') {
    throw new ValueError(op, `aggregate must be 'median' or 'mean', got '${String(aggregate)}'`);
  }
  const pMin = checkNonNegative(op, 'inclusionThreshold', options.inclusionThreshold ?? 0);
  const seed = options.seed ?? 0;
  if (!bagging && drop === 0) {
    throw new ValueError(
      op,
      'with bagging false and dropFeatures 0 every model would be identical; enable one of them',
    );
  }
  return {
    description: `ensemble(${optimizer.description}, nModels=${nModels}, ${aggregate})`,
    fit(theta, y): SparseRegressionResult {
      const data = readProblem(op, theta, y);
      const { rows: m, cols: p } = data.theta;
      const k = data.y.cols;
      const size = options.subsetSize ?? m;
      if (!Number.isInteger(size) || size < 1 || (!replace && size > m)) {
        throw new ValueError(
          op,
          `subsetSize must be an integer in [1, ${replace ? '∞' : m}), got ${size}`,
        );
      }
      if (drop >= p)
        throw new ValueError(
          op,
          `dropFeatures (${drop}) must be below the number of features (${p})`,
        );
      // A fresh generator per fit makes refitting reproducible; a caller's generator keeps advancing.
      const rng = options.rng ?? new Generator(seed);
      const all = new Float64Array(nModels * k * p);
      let iterations = 0;
      let converged = true;
      for (let model = 0; model < nModels; model++) {
        let T = data.theta;
        let Y = data.y;
        if (bagging) {
          const rows = replace
            ? Array.from({ length: size }, () => rng.nextInt(0, m))
            : rng.permutation(m).slice(0, size);
          T = takeRows(T, rows);
          Y = takeRows(Y, rows);
        }
        let cols = Array.from({ length: p }, (_, j) => j);
        if (drop > 0) {
          cols = rng
            .permutation(p)
            .slice(drop)
            .sort((a, b) => a - b);
          T = takeCols(T, cols);
        }
        const r = optimizer.fit(toNDArray(T), toNDArray(Y));
        iterations = Math.max(iterations, r.iterations);
        converged &&= r.converged;
        const c = r.coefficients.dataSync();
        for (let i = 0; i < k; i++) {
          cols.forEach((j, jj) => {
            all[(model * k + i) * p + j] = c[i * cols.length + jj]!;
          });
        }
      }
      const coef = new Float64Array(k * p);
      const inclusion = new Float64Array(k * p);
      const column = new Float64Array(nModels);
      for (let e = 0; e < k * p; e++) {
        let nonzero = 0;
        for (let model = 0; model < nModels; model++) {
          column[model] = all[model * k * p + e]!;
          if (column[model] !== 0) nonzero++;
        }
        inclusion[e] = nonzero / nModels;
        const agg =
          aggregate === 'median' ? median(column) : column.reduce((s, v) => s + v, 0) / nModels;
        coef[e] = inclusion[e]! < pMin ? 0 : agg;
      }
      return {
        coefficients: fromTypedArray(coef, [k, p]),
        iterations,
        converged,
        inclusionProbabilities: fromTypedArray(inclusion, [k, p]),
        ensembleCoefficients: fromTypedArray(all, [nModels, k, p]),
      };
    },
  };
}
