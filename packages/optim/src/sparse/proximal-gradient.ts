import { type NDArray, fromTypedArray, withOpName } from '@sciml/linalg';
import type { GradientFn, ObjectiveFn, ValueAndGradFn } from '../objective.js';
import { type ProximalSettings, type SmoothPart, proximalGradientLoop } from './proximal-core.js';
import {
  type SparseOptions,
  type SparseProblem,
  type SparseResult,
  adjoint,
  checkPenalties,
  objectiveValue,
  residual,
  toProblem,
} from './problem.js';
import { compositeTree } from './tree.js';

/** Options of the function (pytree) form of `ista`/`fista`: penalties and tolerances, optional derivatives. */
export interface ProximalOptions<T> extends Omit<SparseOptions, 'x0'> {
  /** ∇f shaped like the parameters; when omitted (and no `valueAndGrad`), reverse-mode autodiff differentiates f. */
  jac?: GradientFn<T>;
  /** f and ∇f in one call. */
  valueAndGrad?: ValueAndGradFn<T>;
}

/** The smooth part ½‖Ax − b‖² + (μ/2)‖x‖² of the matrix form and its gradient Aᵀ(Ax − b) + μx. */
function leastSquaresPart(p: SparseProblem, l2: number): SmoothPart {
  const r = new Float64Array(p.m);
  const value = (x: Float64Array, res: Float64Array) => {
    let s = 0;
    for (const v of res) s += v * v;
    let sq = 0;
    for (const v of x) sq += v * v;
    return 0.5 * s + 0.5 * l2 * sq;
  };
  return {
    value: (x) => value(x, residual(p, x, r)),
    valueAndGrad: (x) => {
      residual(p, x, r);
      const g = adjoint(p, r);
      for (let j = 0; j < p.n; j++) g[j]! += l2 * x[j]!;
      return [value(x, r), g];
    },
  };
}

/** Resolved settings of a run (after `checkPenalties`). */
export function proximalSettings(
  options: SparseOptions,
  accelerated: boolean,
  dtype: 'float32' | 'float64' = 'float64',
): ProximalSettings {
  return {
    lambda: options.lambda,
    tol: options.tol ?? 1e-10,
    maxIter: options.maxIter ?? 10_000,
    accelerated,
    restart: options.restart ?? 'gradient',
    lipschitz: options.lipschitz ?? 1,
    // ~8 ulps of f's dtype: 1e-12 is what the float64 matrix form always used
    slack: dtype === 'float32' ? 8 * 2 ** -24 : 1e-12,
  };
}

function matrixForm(
  op: string,
  A: NDArray,
  b: NDArray,
  options: SparseOptions,
  accelerated: boolean,
): SparseResult {
  const p = toProblem(op, A, b, options);
  const l2 = options.l2 ?? 0;
  const x0 = options.x0 ? Float64Array.from(options.x0) : new Float64Array(p.n);
  const out = proximalGradientLoop(
    leastSquaresPart(p, l2),
    x0,
    proximalSettings(options, accelerated),
  );
  return {
    x: fromTypedArray(out.x),
    objective: objectiveValue(p, out.x, options.lambda, l2),
    nit: out.nit,
    success: out.success,
  };
}

function dispatch<T>(
  op: string,
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
  accelerated: boolean,
): SparseResult<T> | SparseResult {
  if (typeof first === 'function') {
    checkPenalties(op, options);
    return withOpName(op, () =>
      compositeTree(op, first, second as T, options as ProximalOptions<T>, accelerated),
    );
  }
  return matrixForm(op, first, second as NDArray, options, accelerated);
}

/**
 * ISTA, iterative shrinkage-thresholding (Daubechies, Defrise & De Mol 2004): x⁺ = S_{λ/L}(x − ∇f(x)/L) with
 * backtracking on L, O(1/k). Two forms: `ista(A, b, { lambda })` for the LASSO / elastic net
 * ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖², and `ista(f, x0, { lambda })` for F(x) = f(x) + λ‖x‖₁ + (μ/2)‖x‖² with any
 * smooth f of a vector or a pytree of NDArrays (∇f by autodiff unless given); the result has x0's structure.
 */
export function ista(A: NDArray, b: NDArray, options: SparseOptions): SparseResult;
export function ista<T>(f: ObjectiveFn<T>, x0: T, options: ProximalOptions<T>): SparseResult<T>;
export function ista<T>(
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
): SparseResult<T> | SparseResult {
  return dispatch('ista', first, second, options, false);
}

/**
 * FISTA (Beck & Teboulle 2009, SIAM J. Imaging Sci. 2(1)): ISTA with Nesterov momentum, O(1/k²), with
 * backtracking and an adaptive momentum restart (`restart`: 'gradient' by default, 'function', or 'none' for
 * the original scheme; O'Donoghue & Candès 2015). Same two forms as `ista`: `fista(A, b, { lambda })`
 * or `fista(f, x0, { lambda })` over a pytree.
 * @example
 * ```ts
 * const res = fista((p: { w: NDArray }) => sum(square(sub(matmul(X, p.w), y))), { w: zeros([20]) }, { lambda: 0.1 });
 * ```
 */
export function fista(A: NDArray, b: NDArray, options: SparseOptions): SparseResult;
export function fista<T>(f: ObjectiveFn<T>, x0: T, options: ProximalOptions<T>): SparseResult<T>;
export function fista<T>(
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
): SparseResult<T> | SparseResult {
  return dispatch('fista', first, second, options, true);
}
