import {
  type NDArray,
  SingularMatrixError,
  ValueError,
  choSolve,
  cholesky,
  fromTypedArray,
  inv,
  ravel,
} from '@sciml/linalg';
import type { SparseMatrix } from '@sciml/linalg/sparse';
import { autodiffJacobian } from '../autodiff.js';
import { checkMaxIter } from '../minimize/common.js';
import type { Bounds } from '../minimize/lbfgsb.js';
import { flattenParams, isVectorStart } from '../pytree.js';
import type { RobustLoss } from './loss.js';
import { standardErrors } from './covariance.js';
import { leastSquaresTrf } from './trf.js';
import { startVector } from '../start.js';
import { blindDerivativeMessage, changesAlongProbe } from '../stationarity.js';

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

interface Evaluated {
  r: Float64Array;
  cost: number;
}

function vector(v: NDArray, m: number, op: string): Float64Array {
  if (v.size !== m) throw new ValueError(op, `expected ${m} values, got ${v.size}`);
  return Float64Array.from(v.dataSync());
}

/** JᵀJ (n×n) and Jᵀr (n). */
function normalEquations(
  J: Float64Array,
  r: Float64Array,
  m: number,
  n: number,
): { JtJ: Float64Array; Jtr: Float64Array } {
  const JtJ = new Float64Array(n * n);
  const Jtr = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let a = 0; a < n; a++) {
      const ja = J[row + a]!;
      if (ja === 0) continue;
      Jtr[a]! += ja * r[i]!;
      for (let b = a; b < n; b++) JtJ[a * n + b]! += ja * J[row + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) JtJ[a * n + b] = JtJ[b * n + a]!;
  return { JtJ, Jtr };
}

/** Solves (JᵀJ + μ diag(JᵀJ)) δ = −Jᵀr by Cholesky; undefined when the damped matrix is not positive definite. */
function dampedStep(
  JtJ: Float64Array,
  Jtr: Float64Array,
  mu: number,
  n: number,
): Float64Array | undefined {
  const A = JtJ.slice();
  // Marquardt's scaling by the diagonal (kept ≥ a tiny floor so zero columns stay regular)
  for (let i = 0; i < n; i++) A[i * n + i]! += mu * Math.max(JtJ[i * n + i]!, 1e-12);
  try {
    const L = cholesky(fromTypedArray(A, [n, n]));
    return Float64Array.from(
      choSolve(L, fromTypedArray(Float64Array.from(Jtr, (v) => -v))).dataSync(),
    );
  } catch (e) {
    if (e instanceof SingularMatrixError) return undefined;
    throw e;
  }
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
  const robust = options.loss !== undefined && options.loss !== 'linear';
  const method =
    options.method ?? (options.bounds || robust || options.xScale !== undefined ? 'trf' : 'lm');
  if (options.xScale !== undefined && method !== 'trf')
    throw new ValueError('leastSquares', `xScale needs method 'trf', got '${method}'`);
  if (method === 'trf')
    return leastSquaresTrf(residual, start, options, options.jac ?? autodiffJacobian(residual));
  if (options.bounds || robust) {
    throw new ValueError(
      'leastSquares',
      `method '${method}' supports neither bounds nor robust losses; use method 'trf'`,
    );
  }
  const jacFn = options.jac ?? autodiffJacobian(residual);
  const ftol = options.ftol ?? 1e-12;
  const xtol = options.xtol ?? 1e-12;
  const gtol = options.gtol ?? 1e-12;
  const maxIter = options.maxIter ?? 200;
  let nfev = 0;
  let njev = 0;
  let m = -1;
  const evaluate = (x: Float64Array): Evaluated => {
    nfev++;
    const out = residual(fromTypedArray(x.slice()));
    if (m < 0) m = out.size;
    const r = vector(out, m, 'leastSquares');
    let s = 0;
    for (const v of r) s += v * v;
    return { r, cost: 0.5 * s };
  };
  const jacobian = (x: Float64Array): Float64Array => {
    njev++;
    const Jn = jacFn(fromTypedArray(x.slice()));
    if (!('ndim' in Jn)) {
      throw new ValueError('leastSquares', "a sparse Jacobian needs method 'trf'");
    }
    if (Jn.ndim !== 2 || Jn.shape[0] !== m || Jn.shape[1] !== n) {
      throw new ValueError(
        'leastSquares',
        `the Jacobian must have shape (${m}, ${n}), got (${Jn.shape.join(', ')})`,
      );
    }
    return Float64Array.from(Jn.dataSync());
  };

  let x: Float64Array = start.slice();
  let cur = evaluate(x);
  if (!Number.isFinite(cur.cost))
    throw new ValueError('leastSquares', 'the residual at x0 is not finite');
  let J = jacobian(x);
  let { JtJ, Jtr } = normalEquations(J, cur.r, m, n);
  let mu =
    (options.tau ?? 1e-3) *
    Math.max(...Array.from({ length: n }, (_, i) => JtJ[i * n + i]!), 1e-300);
  let nu = 2;
  let message = 'maximum number of iterations reached';
  let success = false;
  let nit = 0;
  const gradNorm = () => Jtr.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  // a Jacobian of exact zeros where the residual is not zero: make sure r is really flat in x
  const blind =
    J.every((v) => v === 0) && cur.r.some((v) => v !== 0)
      ? changesAlongProbe((xp) => evaluate(xp).r, x)
      : undefined;
  if (blind !== undefined) message = blindDerivativeMessage('Jacobian', blind);
  for (; blind === undefined && nit < maxIter; nit++) {
    if (gradNorm() <= gtol) {
      message = 'gradient norm below gtol';
      success = true;
      break;
    }
    const lm = (options.method ?? 'lm') === 'lm';
    let step = dampedStep(JtJ, Jtr, lm ? mu : 0, n);
    if (!step) {
      if (!lm) {
        message = 'JᵀJ is singular: Gauss–Newton cannot continue (use method "lm")';
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) {
        message = 'damping overflowed: the damped normal equations stay singular';
        break;
      }
      continue;
    }
    let trial = Float64Array.from(x, (v, i) => v + step![i]!);
    let next = evaluate(trial);
    if (!lm) {
      // Gauss–Newton: halve the step until the cost decreases
      let t = 1;
      while (!(next.cost < cur.cost) && t > 1e-10) {
        t /= 2;
        step = step.map((v) => v / 2);
        trial = Float64Array.from(x, (v, i) => v + step![i]!);
        next = evaluate(trial);
      }
      if (!(next.cost < cur.cost)) {
        message = 'no decrease along the Gauss–Newton direction';
        success = gradNorm() <= Math.sqrt(gtol);
        break;
      }
    }
    // gain ratio ρ = actual / predicted reduction, predicted = ½ δᵀ(μ D δ − Jᵀr)
    let predicted = 0;
    for (let i = 0; i < n; i++)
      predicted +=
        0.5 * step[i]! * ((lm ? mu * Math.max(JtJ[i * n + i]!, 1e-12) : 0) * step[i]! - Jtr[i]!);
    const rho = Number.isFinite(next.cost)
      ? (cur.cost - next.cost) / Math.max(predicted, 1e-300)
      : -1;
    const xNorm = Math.hypot(...x);
    const stepNorm = Math.hypot(...step);
    if (!lm || rho > 0) {
      const reduction = (cur.cost - next.cost) / Math.max(cur.cost, 1e-300);
      x = trial;
      cur = next;
      J = jacobian(x);
      ({ JtJ, Jtr } = normalEquations(J, cur.r, m, n));
      if (lm) {
        mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
      }
      if (stepNorm <= xtol * (xNorm + xtol)) {
        message = 'step size below xtol';
        success = true;
        nit++;
        break;
      }
      if (reduction >= 0 && reduction <= ftol) {
        message = 'relative cost reduction below ftol';
        success = true;
        nit++;
        break;
      }
    } else {
      // a rejected step that is already below xtol (or a predicted decrease below ftol) means no
      // representable improvement is left: converged, as in MINPACK's lmder
      if (stepNorm <= xtol * (xNorm + xtol) || predicted <= ftol * cur.cost) {
        message =
          stepNorm <= xtol * (xNorm + xtol)
            ? 'step size below xtol'
            : 'relative cost reduction below ftol';
        success = true;
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) {
        message = 'damping overflowed: no acceptable step';
        break;
      }
    }
  }
  let covariance: NDArray | undefined;
  if (m > n) {
    try {
      const s2 = (2 * cur.cost) / (m - n);
      const Cinv = inv(fromTypedArray(JtJ.slice(), [n, n]));
      covariance = fromTypedArray(
        Float64Array.from(Cinv.dataSync(), (v) => v * s2),
        [n, n],
      );
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
    }
  }
  return {
    standardErrors: standardErrors(covariance),
    x: fromTypedArray(x),
    cost: cur.cost,
    fun: fromTypedArray(cur.r),
    jac: fromTypedArray(J, [m, n]),
    grad: fromTypedArray(Jtr),
    covariance,
    nit,
    nfev,
    njev,
    success: success && Number.isFinite(cur.cost),
    message,
  };
}
