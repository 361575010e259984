import { type NDArray, ValueError, fromTypedArray, ravel } from '@sciml/linalg';
import type { SparseMatrix } from '@sciml/linalg/sparse';
import { autodiffJacobian } from '../autodiff.js';
import { checkMaxIter } from '../minimize/common.js';
import type { Bounds } from '../minimize/lbfgsb.js';
import { flattenParams, isVectorStart } from '../pytree.js';
import type { RobustLoss } from './loss.js';
import { standardErrors } from './covariance.js';
import { leastSquaresTrf } from './trf.js';
import {
  type LmOutcome,
  type LmSettings,
  type LsqRequest,
  levenbergMarquardt$,
  lmCovariance,
} from './lm.js';
import { startVector } from '../start.js';

/** Residual function r(x) ∈ ℝᵐ of parameters x ∈ ℝⁿ. */
export type ResidualFn = (x: NDArray) => NDArray;

/** Jacobian function J(x) = ∂r/∂x ∈ ℝ^{m×n}; method 'trf' also accepts a sparse matrix from `@sciml/linalg/sparse`. */
export type JacobianFn = (x: NDArray) => NDArray | SparseMatrix;

/** Options of `leastSquares`. */
export interface LeastSquaresOptions {
  /**
   * 'lm' (Levenberg–Marquardt, default), 'gauss-newton' (with backtracking) or 'trf' (trust-region reflective:
   * bounds, robust losses, sparse Jacobians; the default when `bounds` or a robust `loss` is given).
   */
  method?: 'lm' | 'gauss-newton' | 'trf';
  /** Box bounds on x ('trf'). */
  bounds?: Bounds;
  /**
   * Characteristic scale of each variable ('trf'; SciPy's `x_scale`): the trust region is taken in the variables
   * x/xScale, so a step moves each variable in proportion to its scale. 'jac' uses the inverse column norms of
   * the Jacobian, updated to their running maximum (Moré 1978). Default: no scaling.
   */
  xScale?: ArrayLike<number> | 'jac';
  /** Robust loss ρ on z = (rᵢ/fScale)² ('trf'; default 'linear'): cost ½·fScale²·Σρ(z). */
  loss?: RobustLoss;
  /** Soft margin C between inlier and outlier residuals for robust losses (default 1). */
  fScale?: number;
  /** Jacobian; when omitted, @sciml/autodiff computes it. */
  jac?: JacobianFn;
  /** Stop when the relative reduction of the cost is below ftol (default 1e-12). */
  ftol?: number;
  /** Stop when the relative step is below xtol (default 1e-12). */
  xtol?: number;
  /** Stop when ‖Jᵀr‖∞ ≤ gtol (default 1e-12). */
  gtol?: number;
  /** Iteration limit (default 200). */
  maxIter?: number;
  /** Initial damping factor τ: μ₀ = τ·max diag(JᵀJ) (default 1e-3). */
  tau?: number;
}

/**
 * Result of `leastSquares`, shaped like SciPy's `least_squares` plus the covariance; `T` is the parameters'
 * type (a vector NDArray, or the start value's pytree structure).
 */
export interface LeastSquaresResult<T = NDArray> {
  /** The estimate, shaped like the start value. */
  x: T;
  /** ½‖r(x)‖². */
  cost: number;
  /** r(x). */
  fun: NDArray;
  /** J(x) (sparse when the Jacobian function returned a sparse matrix). */
  jac: NDArray | SparseMatrix;
  /** Jᵀr at the solution (the gradient of the cost), shaped like x. */
  grad: T;
  /**
   * Linearised covariance of the estimate s²(JᵀJ)⁻¹ with s² = ‖r‖²/(m − n), the standard
   * asymptotic covariance of nonlinear least squares (Seber & Wild 2003, §2.1); undefined when m ≤ n or JᵀJ is singular.
   */
  covariance: NDArray | undefined;
  /** Standard errors √diag(covariance) of the parameters (SciPy's `sqrt(diag(pcov))`); undefined with it. */
  standardErrors: NDArray | undefined;
  /** Iterations (accepted and rejected steps). */
  nit: number;
  /** Residual evaluations. */
  nfev: number;
  /** Jacobian evaluations. */
  njev: number;
  /** Whether a convergence test was met. */
  success: boolean;
  /** Why the method stopped. */
  message: string;
  /** 'trf' only: −1 / 0 / +1 for each variable at its lower bound, free, at its upper bound. */
  activeMask?: Int8Array;
}

function vector(v: NDArray, m: number, op: string): Float64Array {
  if (v.size !== m) throw new ValueError(op, `expected ${m} values, got ${v.size}`);
  return Float64Array.from(v.dataSync());
}

/**
 * Nonlinear least squares min ½‖r(x)‖²: Levenberg–Marquardt with Marquardt's diagonal scaling and Nielsen's
 * adaptive damping (accept: μ ← μ·max(1/3, 1 − (2ρ − 1)³); reject: μ ← μν, ν ← 2ν; Madsen, Nielsen & Tingleff 2004),
 * Gauss–Newton with backtracking, or trust-region reflective. The Jacobian comes from autodiff unless given.
 *
 * The parameters may be a vector or a pytree of NDArrays (float32 leaves included): the result's `x` and
 * `grad` then have the start value's structure, while `jac` (a given `jac` too), `covariance` and `bounds`
 * use the flat `ravelPytree` order; a residual of any shape is read flat.
 * @example
 * ```ts
 * const t = linspace(0, 1, 20);
 * const data = mul(2, exp(mul(-3, t)));
 * const fit = leastSquares((p: { a: NDArray; k: NDArray }) => sub(mul(p.a, exp(mul(p.k, t))), data), {
 *   a: array(1),
 *   k: array(-1),
 * });
 * fit.x.k.item(); // ≈ −3
 * ```
 */
export function leastSquares(
  residual: ResidualFn,
  x0: NDArray | ArrayLike<number>,
  options?: LeastSquaresOptions,
): LeastSquaresResult;
export function leastSquares<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options?: LeastSquaresOptions,
): LeastSquaresResult<T>;
export function leastSquares<T>(
  residual: (params: T) => NDArray,
  x0: T | ArrayLike<number>,
  options: LeastSquaresOptions = {},
): LeastSquaresResult<T> {
  if (isVectorStart(x0)) {
    return leastSquaresVector(
      residual as unknown as ResidualFn,
      x0,
      options,
    ) as unknown as LeastSquaresResult<T>;
  }
  const p = flattenParams('leastSquares', x0 as T);
  const res = leastSquaresVector((x) => ravel(residual(p.unravel(x))), p.x0, options);
  return {
    ...res,
    x: p.toTree(res.x.dataSync() as Float64Array),
    grad: p.toTree(res.grad.dataSync() as Float64Array),
  };
}

/** `leastSquares` on a vector. */
function leastSquaresVector(
  residual: ResidualFn,
  x0: NDArray | ArrayLike<number>,
  options: LeastSquaresOptions,
): LeastSquaresResult {
  const start = startVector('leastSquares', x0);
  const n = start.length;
  checkMaxIter('leastSquares', options.maxIter);
  const method = lsqMethod(options);
  if (method === 'trf')
    return leastSquaresTrf(residual, start, options, options.jac ?? autodiffJacobian(residual));
  const jacFn = options.jac ?? autodiffJacobian(residual);
  const steps = levenbergMarquardt$(start, lmSettings(method, options), residualNotFinite);
  let m = -1;
  const answer = (req: LsqRequest): Float64Array => {
    if (req.kind === 'residual') {
      const out = residual(fromTypedArray(req.x.slice()));
      if (m < 0) m = out.size;
      return vector(out, m, 'leastSquares');
    }
    return Float64Array.from(
      checkedJacobian(jacFn(fromTypedArray(req.x.slice())), req.m, n).dataSync(),
    );
  };
  let next = steps.next();
  while (!next.done) next = steps.next(answer(next.value));
  return lmResult(next.value, n);
}

/** The method the options ask for ('trf' by default with bounds, a robust loss or xScale), validated. */
export function lsqMethod(options: LeastSquaresOptions): 'lm' | 'gauss-newton' | 'trf' {
  const robust = options.loss !== undefined && options.loss !== 'linear';
  const method =
    options.method ?? (options.bounds || robust || options.xScale !== undefined ? 'trf' : 'lm');
  if (options.xScale !== undefined && method !== 'trf')
    throw new ValueError('leastSquares', `xScale needs method 'trf', got '${method}'`);
  if (method !== 'trf' && (options.bounds || robust)) {
    throw new ValueError(
      'leastSquares',
      `method '${method}' supports neither bounds nor robust losses; use method 'trf'`,
    );
  }
  return method;
}

/** The settings of the LM / Gauss–Newton loop from the options (SciPy's defaults, tightened). */
export function lmSettings(method: string, options: LeastSquaresOptions): LmSettings {
  return {
    lm: method === 'lm',
    ftol: options.ftol ?? 1e-12,
    xtol: options.xtol ?? 1e-12,
    gtol: options.gtol ?? 1e-12,
    maxIter: options.maxIter ?? 200,
    tau: options.tau ?? 1e-3,
  };
}

/** The error for a residual that is not finite at x0. */
export const residualNotFinite = (): Error =>
  new ValueError('leastSquares', 'the residual at x0 is not finite');

/** A dense (m, n) Jacobian, or a typed error naming what was wrong (a sparse one, a wrong shape). */
export function checkedJacobian(Jn: NDArray | SparseMatrix, m: number, n: number): NDArray {
  if (!('ndim' in Jn)) {
    throw new ValueError('leastSquares', "a sparse Jacobian needs method 'trf'");
  }
  if (Jn.ndim !== 2 || Jn.shape[0] !== m || Jn.shape[1] !== n) {
    throw new ValueError(
      'leastSquares',
      `the Jacobian must have shape (${m}, ${n}), got (${Jn.shape.join(', ')})`,
    );
  }
  return Jn;
}

/** The result of an LM / Gauss–Newton run, with its covariance, on the host. */
export function lmResult(o: LmOutcome, n: number): LeastSquaresResult {
  const covariance = lmCovariance(o, n);
  return {
    standardErrors: standardErrors(covariance),
    x: fromTypedArray(o.x),
    cost: o.cost,
    fun: fromTypedArray(o.r),
    jac: fromTypedArray(o.J, [o.m, n]),
    grad: fromTypedArray(o.Jtr),
    covariance,
    nit: o.nit,
    nfev: o.nfev,
    njev: o.njev,
    success: o.success && Number.isFinite(o.cost),
    message: o.message,
  };
}
