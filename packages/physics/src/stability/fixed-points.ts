/**
 * Fixed points and their linear stability: Newton's method for f(y*) = 0, and the eigenvalues of the
 * Jacobian there (general real `eig` from @sciml/linalg). For a flow y' = f(y), y* is asymptotically stable
 * when every eigenvalue has Re λ < 0; for a map u ↦ Φ(u), when every |λ| < 1 (Hartman–Grobman; Strogatz,
 * Nonlinear Dynamics and Chaos, §6.3).
 */
import {
  ConvergenceError,
  type NDArray,
  ValueError,
  eig,
  fromTypedArray,
  solve,
} from '@sciml/linalg';
import { toInPlaceRhs } from '../integrate/rhs.js';
import { toStateVector } from '../integrate/solve-ivp.js';
import type { OdeJacobian, OdeRhs } from '../integrate/types.js';
import { resolveJacobian } from './jacobians.js';

/** Linear stability of a fixed point. @public */
export interface FixedPointStability {
  /** The fixed point. */
  point: Float64Array;
  /** Jacobian there, (n, n). */
  jacobian: NDArray;
  /** Eigenvalues: real parts (conjugate pairs adjacent, positive imaginary part first). */
  eigenvaluesRe: Float64Array;
  /** Eigenvalues: imaginary parts. */
  eigenvaluesIm: Float64Array;
  /**
   * `'stable'` (all Re λ < 0 for a flow, all |λ| < 1 for a map), `'unstable'` (all outside), `'saddle'`
   * (some inside, some outside), `'marginal'` (none outside, some on the boundary within `tol`).
   */
  classification: 'stable' | 'unstable' | 'saddle' | 'marginal';
}

/** Options of {@link fixedPointStability}. @public */
export interface FixedPointStabilityOptions {
  /** Analytic Jacobian (default: central differences). */
  jac?: OdeJacobian;
  /** Time at which to evaluate a non-autonomous f (default 0). */
  t?: number;
  /** `'flow'` for y' = f(y) (default), `'map'` for uₙ₊₁ = f(uₙ). */
  kind?: 'flow' | 'map';
  /** Eigenvalues within `tol` of the stability boundary count as marginal (default 1e-9). */
  tol?: number;
  /** Form of `f`. */
  rhsForm?: 'inplace' | 'return';
}

/**
 * Eigenvalues of the Jacobian at a fixed point y* and the linear stability they imply.
 * @example
 * ```ts
 * const sys = new Lorenz63();
 * fixedPointStability(sys.rhs, sys.fixedPoints()[1], { jac: sys.jacobian }).classification; // 'saddle'
 * ```
 * @public
 */
export function fixedPointStability(
  f: OdeRhs,
  point: ArrayLike<number> | NDArray,
  options: FixedPointStabilityOptions = {},
): FixedPointStability {
  const op = 'fixedPointStability';
  const y = toStateVector(op, point, f);
  const n = y.length;
  const kind = options.kind ?? 'flow';
  if (kind !== 'flow' && kind !== 'map')
    throw new ValueError(op, `kind must be 'flow' or 'map', got '${String(kind)}'`);
  const tol = options.tol ?? 1e-9;
  const J = new Float64Array(n * n);
  resolveJacobian(
    op,
    toInPlaceRhs(op, f, n, options.rhsForm),
    n,
    options.jac,
  )(options.t ?? 0, y, J);
  const jacobian = fromTypedArray(J, [n, n]);
  const { valuesRe, valuesIm } = eig(jacobian);
  const re = Float64Array.from(valuesRe.dataSync());
  const im = Float64Array.from(valuesIm.dataSync());
  // signed distance to the stability boundary: Re λ for flows, |λ| − 1 for maps
  let inside = 0;
  let outside = 0;
  let boundary = 0;
  for (let i = 0; i < n; i++) {
    const d = kind === 'flow' ? re[i] : Math.hypot(re[i], im[i]) - 1;
    if (d < -tol) inside++;
    else if (d > tol) outside++;
    else boundary++;
  }
  const classification =
    outside === 0
      ? boundary === 0
        ? 'stable'
        : 'marginal'
      : inside === 0 && boundary === 0
        ? 'unstable'
        : 'saddle';
  return { point: y, jacobian, eigenvaluesRe: re, eigenvaluesIm: im, classification };
}

/** Options of {@link findFixedPoint}. @public */
export interface FindFixedPointOptions {
  /** Analytic Jacobian (default: central differences). */
  jac?: OdeJacobian;
  /** Time for a non-autonomous f (default 0). */
  t?: number;
  /** Stop when ‖f(y)‖∞ ≤ tol (default 1e-10). */
  tol?: number;
  /** Newton iterations allowed (default 50). */
  maxIter?: number;
  /** Form of `f`. */
  rhsForm?: 'inplace' | 'return';
}

/**
 * A zero of f near y0 by Newton's method, J(yₖ) δ = −f(yₖ), yₖ₊₁ = yₖ + δ, with step halving while
 * ‖f‖ does not decrease. Throws `ConvergenceError` when it does not converge.
 * @public
 */
export function findFixedPoint(
  f: OdeRhs,
  y0: ArrayLike<number> | NDArray,
  options: FindFixedPointOptions = {},
): Float64Array {
  const op = 'findFixedPoint';
  const y = toStateVector(op, y0, f);
  const n = y.length;
  const t = options.t ?? 0;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 50;
  const fIn = toInPlaceRhs(op, f, n, options.rhsForm);
  const jac = resolveJacobian(op, fIn, n, options.jac);
  const fy = new Float64Array(n);
  const J = new Float64Array(n * n);
  const trial = new Float64Array(n);
  const norm = (v: Float64Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  fIn(t, y, fy);
  let r = norm(fy);
  for (let it = 0; it < maxIter; it++) {
    if (r <= tol) return y;
    jac(t, y, J);
    const minusF = Float64Array.from(fy, (v) => -v);
    const delta = solve(
      fromTypedArray(Float64Array.from(J), [n, n]),
      fromTypedArray(minusF),
    ).dataSync();
    // damped Newton: halve the step until the residual decreases (at most 30 halvings)
    let lambda = 1;
    for (let k = 0; k < 30; k++) {
      for (let i = 0; i < n; i++) trial[i] = y[i] + lambda * delta[i];
      fIn(t, trial, fy);
      if (norm(fy) < r) break;
      lambda *= 0.5;
    }
    y.set(trial);
    r = norm(fy);
  }
  if (r <= tol) return y;
  throw new ConvergenceError(
    op,
    `Newton did not reach ‖f‖∞ ≤ ${tol} in ${maxIter} iterations (‖f‖∞ = ${r}); start closer, or raise maxIter`,
    maxIter,
  );
}
