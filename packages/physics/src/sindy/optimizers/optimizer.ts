import { type NDArray, ShapeError, fromTypedArray, matmul } from '@sciml/linalg';
import { type Matrix, type MatrixLike, readMatrix, toNDArray } from '../matrix.js';

/** What a sparse regression returns. @public */
export interface SparseRegressionResult {
  /** Ξ, shape (targets × features): target i ≈ Σⱼ Ξ[i, j] · feature j. */
  readonly coefficients: NDArray;
  /** Iterations the method ran (for an ensemble, the largest over its models). */
  readonly iterations: number;
  /** False when the method stopped at its iteration limit before its support or iterate settled. */
  readonly converged: boolean;
  /** Ensembles only: fraction of models in which each coefficient is non-zero, (targets × features). */
  readonly inclusionProbabilities?: NDArray;
  /** Ensembles only: every model's coefficients, (models × targets × features). */
  readonly ensembleCoefficients?: NDArray;
}

/**
 * A sparse regression method: finds sparse Ξ with Y ≈ Θ Ξᵀ (pysindy's `optimizers`).
 * @public
 */
export interface SparseOptimizer {
  /** Short description with the settings, e.g. `stlsq(threshold=0.1, alpha=0.05)`. */
  readonly description: string;
  /** Fits Ξ to the library matrix `theta` (samples × features) and targets `y` (samples × targets). */
  fit(theta: MatrixLike, y: MatrixLike): SparseRegressionResult;
}

/**
 * The normal equations of Y ≈ Θ Ξᵀ: G = SΘᵀΘS and B = SΘᵀY, with S = diag(scale) the column scaling
 * (1/‖θⱼ‖ when columns are normalised, else 1). Every optimiser here works on these p×p and p×k
 * matrices, so its cost per iteration does not grow with the number of samples.
 */
export interface GramProblem {
  readonly samples: number;
  readonly features: number;
  readonly targets: number;
  /** p×p, row-major. */
  readonly G: Float64Array;
  /** p×k, row-major. */
  readonly B: Float64Array;
  /** Column scaling S applied to G and B. */
  readonly scale: Float64Array;
}

/** Reads Θ and Y and checks that they have one row per sample. */
export function readProblem(
  op: string,
  theta: MatrixLike,
  y: MatrixLike,
): { theta: Matrix; y: Matrix } {
  const T = readMatrix(op, theta, 'theta');
  const Y = readMatrix(op, y, 'y');
  if (T.rows !== Y.rows) {
    throw new ShapeError(
      op,
      `theta has ${T.rows} samples (rows) but y has ${Y.rows}; they must match`,
    );
  }
  if (T.rows === 0 || T.cols === 0)
    throw new ShapeError(op, `theta is empty (${T.rows} × ${T.cols})`);
  return { theta: T, y: Y };
}

/** Builds the (optionally column-normalised) normal equations of Y ≈ Θ Ξᵀ. */
export function gramProblem(theta: Matrix, y: Matrix, normalizeColumns: boolean): GramProblem {
  const p = theta.cols;
  const k = y.cols;
  const T = toNDArray(theta);
  // ΘᵀΘ and ΘᵀY without materialising Θᵀ.
  const G = Float64Array.from(matmul(T, T, { transA: true }).dataSync());
  const B = Float64Array.from(matmul(T, toNDArray(y), { transA: true }).dataSync());
  const scale = new Float64Array(p).fill(1);
  if (normalizeColumns) {
    for (let j = 0; j < p; j++) {
      const d = G[j * p + j]!;
      scale[j] = d > 0 ? 1 / Math.sqrt(d) : 1;
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) G[i * p + j]! *= scale[i]! * scale[j]!;
      for (let c = 0; c < k; c++) B[i * k + c]! *= scale[i]!;
    }
  }
  return { samples: theta.rows, features: p, targets: k, G, B, scale };
}

/**
 * Coefficients of the scaled problem (k × p, row-major) back in the units of the original features, as a
 * (targets × features) array.
 */
export function unscaledCoefficients(g: GramProblem, xi: Float64Array): NDArray {
  const out = new Float64Array(xi.length);
  for (let i = 0; i < g.targets; i++) {
    for (let j = 0; j < g.features; j++)
      out[i * g.features + j] = xi[i * g.features + j]! * g.scale[j]!;
  }
  return fromTypedArray(out, [g.targets, g.features]);
}
