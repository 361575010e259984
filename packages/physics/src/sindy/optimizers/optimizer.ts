import { type NDArray, ShapeError, fromTypedArray, matmul, qr } from '@sciml/linalg';
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
  /** Bayesian methods only (`rvm`): posterior standard deviation of each coefficient, (targets × features); 0 where pruned. */
  readonly coefficientStd?: NDArray;
  /** Bayesian methods only (`rvm`): the estimated noise variance σ² of each target, (targets,). */
  readonly noiseVariance?: NDArray;
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
 * Y ≈ Θ Ξᵀ compressed by one QR factorisation of the column-scaled library, ΘS = Q R, with S = diag(scale)
 * (1/‖θⱼ‖ when columns are normalised, else 1). For any subset J of the features and any target y,
 * ‖(ΘS)_J ξ − y‖² = ‖R_J ξ − Qᵀy‖² + ‖(I − QQᵀ) y‖², so every least-squares or ridge problem the optimisers
 * solve is the same problem on R's columns and C = QᵀY (Golub & Van Loan, Matrix Computations, 4th ed.,
 * §5.3). R has Θ's singular values, so unlike the normal equations ΘᵀΘ the condition number is not squared,
 * and the cost per iteration does not grow with the number of samples.
 */
export interface ReducedProblem {
  readonly samples: number;
  readonly features: number;
  readonly targets: number;
  /** Rows q = min(samples, features) of R and C. */
  readonly rows: number;
  /** R, q×p upper triangular (trapezoidal when samples < features), row-major. */
  readonly R: Float64Array;
  /** C = QᵀY, q×k, row-major. */
  readonly C: Float64Array;
  /** Column scaling S applied to Θ before the factorisation. */
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

/** Factors the (optionally column-normalised) problem Y ≈ Θ Ξᵀ into its {@link ReducedProblem}. */
export function reducedProblem(
  theta: Matrix,
  y: Matrix,
  normalizeColumns: boolean,
): ReducedProblem {
  const { rows: m, cols: p, data } = theta;
  const scale = new Float64Array(p).fill(1);
  let scaled = data;
  if (normalizeColumns) {
    const sq = new Float64Array(p);
    for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) sq[j]! += data[i * p + j]! ** 2;
    for (let j = 0; j < p; j++) scale[j] = sq[j]! > 0 ? 1 / Math.sqrt(sq[j]!) : 1;
    scaled = data.map((v, e) => v * scale[e % p]!);
  }
  const { Q, R } = qr(fromTypedArray(scaled, [m, p]));
  const C = matmul(Q, toNDArray(y), { transA: true });
  return {
    samples: m,
    features: p,
    targets: y.cols,
    rows: R.shape[0]!,
    R: Float64Array.from(R.dataSync()),
    C: Float64Array.from(C.dataSync()),
    scale,
  };
}

/**
 * Coefficients of the scaled problem (k × p, row-major) back in the units of the original features, as a
 * (targets × features) array.
 */
export function unscaledCoefficients(g: ReducedProblem, xi: Float64Array): NDArray {
  const out = new Float64Array(xi.length);
  for (let i = 0; i < g.targets; i++) {
    for (let j = 0; j < g.features; j++)
      out[i * g.features + j] = xi[i * g.features + j]! * g.scale[j]!;
  }
  return fromTypedArray(out, [g.targets, g.features]);
}
