import { type NDArray, ValueError, stack, withOpName } from '@sciml/linalg';
import { coordinateDescent } from './coordinate-descent.js';
import { type SparseOptions, type SparseResult, adjoint, toProblem } from './problem.js';
import { fista, ista } from './proximal-gradient.js';

/** Solver for `lasso` / `elasticNet`. */
export type SparseSolver = 'coordinate-descent' | 'fista' | 'ista';

const SOLVERS = { 'coordinate-descent': coordinateDescent, fista, ista } as const;

/** LASSO: argmin ½‖Ax − b‖² + λ‖x‖₁ (Tibshirani 1996), by coordinate descent (default), FISTA or ISTA. */
export function lasso(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult {
  return withOpName('lasso', () =>
    SOLVERS[options.solver ?? 'coordinate-descent'](A, b, { ...options, l2: 0 }),
  );
}

/** Elastic net: argmin ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖² (Zou & Hastie 2005), μ given as `l2`. */
export function elasticNet(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): SparseResult {
  return withOpName('elasticNet', () =>
    SOLVERS[options.solver ?? 'coordinate-descent'](A, b, options),
  );
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
