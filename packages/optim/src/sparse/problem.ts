import { type NDArray, ShapeError, ValueError, formatShape } from '@sciml/linalg';
import { assertNDArray } from '@sciml/linalg';
import type { FistaRestart } from './proximal-core.js';

/** A penalised least-squares problem ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖², stored densely in row-major float64. */
export interface SparseProblem {
  A: Float64Array;
  b: Float64Array;
  m: number;
  n: number;
}

/** Options shared by the LASSO / elastic-net solvers. */
export interface SparseOptions {
  /** ℓ1 weight λ ≥ 0. */
  lambda: number;
  /** ℓ2 weight μ ≥ 0 (elastic net; default 0 = LASSO). */
  l2?: number;
  /** Stop when the largest coefficient change in an iteration is below tol·max|x| (default 1e-10). */
  tol?: number;
  /** Iteration limit (default 10 000). */
  maxIter?: number;
  /** Warm start (matrix form; the function form takes its start value as an argument). */
  x0?: ArrayLike<number>;
  /** FISTA's momentum restart (default 'gradient'; see {@link FistaRestart}). */
  restart?: FistaRestart;
  /** ISTA/FISTA's first Lipschitz estimate L₀ of ∇f (step 1/L₀, default 1); backtracking doubles it as needed. */
  lipschitz?: number;
}

/** Outcome of a sparse solver; `T` is the parameters' type (a vector NDArray, or the start value's pytree). */
export interface SparseResult<T = NDArray> {
  /** Coefficients, shaped like the start value. */
  x: T;
  /** Objective F(x) = f(x) + λ‖x‖₁ + (μ/2)‖x‖² (f = ½‖Ax − b‖² in the matrix form). */
  objective: number;
  /** Iterations (passes over the coordinates for coordinate descent). */
  nit: number;
  /** Whether the tolerance was met. */
  success: boolean;
}

/** Validates A (m×n) and b (m) and copies them to float64. */
export function toProblem(
  op: string,
  A: NDArray,
  b: NDArray,
  options: SparseOptions,
): SparseProblem {
  assertNDArray(op, A, 'A');
  assertNDArray(op, b, 'b');
  if (A.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== A.shape[0]) {
    throw new ShapeError(
      op,
      `needs A (m, n) and b (m,), got ${formatShape(A.shape)} and ${formatShape(b.shape)}`,
    );
  }
  checkPenalties(op, options);
  return {
    A: Float64Array.from(A.dataSync()),
    b: Float64Array.from(b.dataSync()),
    m: A.shape[0]!,
    n: A.shape[1]!,
  };
}

/** Throws `ValueError` unless λ, μ are finite and ≥ 0, L₀ > 0 and the restart is known. */
export function checkPenalties(op: string, options: SparseOptions): void {
  const l2 = options.l2 ?? 0;
  if (!(options.lambda >= 0 && options.lambda < Infinity) || !(l2 >= 0 && l2 < Infinity)) {
    throw new ValueError(
      op,
      `penalties must be finite and non-negative, got λ = ${options.lambda}, μ = ${options.l2}`,
    );
  }
  const L0 = options.lipschitz ?? 1;
  if (!(L0 > 0 && L0 < Infinity))
    throw new ValueError(op, `lipschitz must be a finite number > 0, got ${options.lipschitz}`);
  const restart = options.restart ?? 'gradient';
  if (!['gradient', 'function', 'none'].includes(restart))
    throw new ValueError(
      op,
      `restart must be 'gradient', 'function' or 'none', got ${String(options.restart)}`,
    );
}

/** r = Ax − b. */
export function residual(
  p: SparseProblem,
  x: Float64Array,
  r = new Float64Array(p.m),
): Float64Array {
  for (let i = 0; i < p.m; i++) {
    let s = -p.b[i]!;
    const row = i * p.n;
    for (let j = 0; j < p.n; j++) s += p.A[row + j]! * x[j]!;
    r[i] = s;
  }
  return r;
}

/** g = Aᵀr. */
export function adjoint(
  p: SparseProblem,
  r: Float64Array,
  g = new Float64Array(p.n),
): Float64Array {
  g.fill(0);
  for (let i = 0; i < p.m; i++) {
    const ri = r[i]!;
    const row = i * p.n;
    for (let j = 0; j < p.n; j++) g[j]! += p.A[row + j]! * ri;
  }
  return g;
}

/** ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖². */
export function objectiveValue(
  p: SparseProblem,
  x: Float64Array,
  lambda: number,
  l2: number,
): number {
  const r = residual(p, x);
  let s = 0;
  for (const v of r) s += v * v;
  let l1 = 0;
  let sq = 0;
  for (const v of x) {
    l1 += Math.abs(v);
    sq += v * v;
  }
  return 0.5 * s + lambda * l1 + 0.5 * l2 * sq;
}
