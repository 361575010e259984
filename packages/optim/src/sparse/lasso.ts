import { type NDArray, ValueError, stack, withOpName } from '@sciml/linalg';
import { coordinateDescent } from './coordinate-descent.js';
import {
  type SparseOptions,
  type SparseResult,
  adjoint,
  checkPenalties,
  toProblem,
} from './problem.js';
import { fista, ista } from './proximal-gradient.js';
import { sparseResidualTree } from './tree.js';

/** Solver for `lasso` / `elasticNet`. */
export type SparseSolver = 'coordinate-descent' | 'fista' | 'ista';

const SOLVERS = { 'coordinate-descent': coordinateDescent, fista, ista } as const;

/** Options of the residual-function form of `lasso` / `elasticNet`. */
export type SparseResidualOptions = Omit<SparseOptions, 'x0'> & { solver?: SparseSolver };

function solve<T>(
  op: string,
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult<T> | SparseResult {
  if (typeof first === 'function') {
    checkPenalties(op, options);
    return withOpName(op, () => sparseResidualTree(op, first, second as T, options));
  }
  const solver = options.solver ?? 'coordinate-descent';
  if (!Object.hasOwn(SOLVERS, solver))
    throw new ValueError(
      op,
      `unknown solver '${String(solver)}'; choose 'coordinate-descent', 'fista' or 'ista'`,
    );
  return withOpName(op, () => SOLVERS[solver](first, second as NDArray, options));
}

/**
 * LASSO: argmin ½‖Ax − b‖² + λ‖x‖₁ (Tibshirani 1996). `lasso(A, b, { lambda })` solves by coordinate
 * descent (default), FISTA or ISTA; `lasso(r, x0, { lambda })` takes a residual function of a vector or a
 * pytree of NDArrays, ½‖r(x)‖² + λ‖x‖₁, by FISTA (default, any smooth r), ISTA or — for an affine
 * r(x) = Ax − b, whose A autodiff reads off — coordinate descent; the result has x0's structure.
 * @example
 * ```ts
 * const fit = lasso((p: { w: NDArray; c: NDArray }) => sub(add(matmul(X, p.w), p.c), y), { w: zeros([20]), c: zeros([1]) }, { lambda: 0.5 });
 * ```
 */
export function lasso(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult;
export function lasso<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options: SparseResidualOptions,
): SparseResult<T>;
export function lasso<T>(
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult<T> | SparseResult {
  return solve('lasso', first, second, { ...options, l2: 0 });
}

/**
 * Elastic net: argmin ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖² (Zou & Hastie 2005), μ given as `l2`; the same two
 * forms as `lasso` (a design matrix, or a residual function of a pytree).
 */
export function elasticNet(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult;
export function elasticNet<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options: SparseResidualOptions,
): SparseResult<T>;
export function elasticNet<T>(
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult<T> | SparseResult {
  return solve('elasticNet', first, second, options);
}

/** λ_max = ‖Aᵀb‖∞: the smallest λ for which the LASSO solution is exactly zero. */
export function lambdaMax(A: NDArray, b: NDArray): number {
  const p = toProblem('lambdaMax', A, b, { lambda: 0 });
  const g = adjoint(p, Float64Array.from(p.b));
  return g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** A regularisation path: solutions on a log-spaced grid λ_max … ε·λ_max, each warm-started from the previous. */
export function lassoPath(
  A: NDArray,
  b: NDArray,
  options: {
    numLambdas?: number;
    eps?: number;
    l2?: number;
    tol?: number;
    solver?: SparseSolver;
    lambdas?: number[];
  } = {},
): { lambdas: number[]; coefficients: NDArray } {
  const top = lambdaMax(A, b);
  const k = options.numLambdas ?? 50;
  const eps = options.eps ?? 1e-3;
  if (k < 1) throw new ValueError('lassoPath', `numLambdas must be ≥ 1, got ${k}`);
  const lambdas =
    options.lambdas ??
    Array.from({ length: k }, (_, i) => top * eps ** (k === 1 ? 0 : i / (k - 1)));
  const xs: NDArray[] = [];
  let warm: ArrayLike<number> | undefined;
  for (const lambda of lambdas) {
    const res = elasticNet(A, b, {
      lambda,
      l2: options.l2 ?? 0,
      tol: options.tol,
      solver: options.solver,
      x0: warm,
    });
    xs.push(res.x);
    warm = res.x.dataSync();
  }
  return { lambdas, coefficients: stack(xs) };
}
