/**
 * Jacobians for stability analysis: of a right-hand side (analytic, or central differences), of a map
 * written with @sciml/linalg ops (automatic differentiation), and of the time-T flow of an ODE (the
 * variational equations Φ' = J(y) Φ, Φ(0) = I; Hairer–Nørsett–Wanner I, §I.14).
 */
import { jacobian as autodiffJacobian } from '@sciml/autodiff';
import { ConvergenceError, type NDArray, ShapeError, fromTypedArray } from '@sciml/linalg';
import { toInPlaceJacobian, toInPlaceRhs } from '../integrate/rhs.js';
import { solveIVP, toStateVector } from '../integrate/solve-ivp.js';
import type { OdeJacobian, OdeRhs, OdeRhsInPlace, SolveIVPOptions } from '../integrate/types.js';

/** An in-place Jacobian (n×n row-major), the form the stability routines use internally. */
export type JacobianInPlace = (t: number, y: Float64Array, jac: Float64Array) => void;

/**
 * Central-difference Jacobian of an in-place right-hand side (error O(δ²), δ = ε^(1/3)·max(1, |yⱼ|)).
 * Costs 2n evaluations of f.
 */
export function centralDifferenceJacobian(f: OdeRhsInPlace, n: number): JacobianInPlace {
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  return (t, y, jac) => {
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      const delta = Math.cbrt(Number.EPSILON) * Math.max(1, Math.abs(yj));
      y[j] = yj + delta;
      const up = y[j] - yj;
      f(t, y, fp);
      y[j] = yj - delta;
      const down = yj - y[j];
      f(t, y, fm);
      y[j] = yj;
      for (let i = 0; i < n; i++) jac[i * n + j] = (fp[i] - fm[i]) / (up + down);
    }
  };
}

/** The analytic Jacobian when given, central differences of f otherwise. */
export function resolveJacobian(
  op: string,
  f: OdeRhsInPlace,
  n: number,
  jac?: OdeJacobian,
): JacobianInPlace {
  return jac === undefined ? centralDifferenceJacobian(f, n) : toInPlaceJacobian(op, jac, n);
}

/** Options of {@link rhsJacobian}. @public */
export interface RhsJacobianOptions {
  /** Analytic Jacobian (default: central differences of f). */
  jac?: OdeJacobian;
  /** Form of `f` (default: by `f.length`). */
  rhsForm?: 'inplace' | 'return';
}

/**
 * The Jacobian ∂f/∂y of y' = f(t, y) at (t, y), as an n×n NDArray: the analytic `jac` when given, central
 * differences otherwise. At a fixed point its eigenvalues decide linear stability.
 * @public
 */
export function rhsJacobian(
  f: OdeRhs,
  t: number,
  y: ArrayLike<number> | NDArray,
  options: RhsJacobianOptions = {},
): NDArray {
  const y0 = toStateVector('rhsJacobian', y, f);
  const n = y0.length;
  const J = new Float64Array(n * n);
  resolveJacobian(
    'rhsJacobian',
    toInPlaceRhs('rhsJacobian', f, n, options.rhsForm),
    n,
    options.jac,
  )(t, y0, J);
  return fromTypedArray(J, [n, n]);
}

/**
 * The Jacobian of a map u ↦ Φ(u) written with @sciml/linalg ops (e.g. a neural emulator's step), by
 * automatic differentiation (`jacobian` of @sciml/autodiff): shape (n, n) for u of shape (n,).
 * @public
 */
export function mapJacobian(map: (u: NDArray) => NDArray, u: NDArray): NDArray {
  if (u.ndim !== 1) {
    throw new ShapeError(
      'mapJacobian',
      `u must be a vector (n,), got shape (${u.shape.join(', ')}); flatten the state first`,
    );
  }
  const J = autodiffJacobian(map)(u) as NDArray;
  if (J.ndim !== 2) {
    throw new ShapeError(
      'mapJacobian',
      `the map must return a vector; its Jacobian has shape (${J.shape.join(', ')})`,
    );
  }
  return J;
}

/**
 * An in-place Jacobian for `solveIVP` (the stiff method), `flowJacobian` and the Lyapunov routines from a
 * right-hand side written with @sciml/linalg ops, f(t, y: NDArray) → NDArray, by automatic differentiation.
 * @public
 */
export function autodiffRhsJacobian(fNd: (t: number, y: NDArray) => NDArray): JacobianInPlace {
  return (t, y, jac) => {
    const J = autodiffJacobian((v: NDArray) => fNd(t, v))(
      fromTypedArray(Float64Array.from(y)),
    ) as NDArray;
    jac.set(J.dataSync() as Float64Array);
  };
}

/** Options of {@link flowJacobian}. @public */
export interface FlowJacobianOptions {
  /** Analytic Jacobian of f (default: central differences). */
  jac?: OdeJacobian;
  /** Integrator for the variational system (default `'RK45'`; `'RK4'` needs `dt`). */
  method?: SolveIVPOptions['method'];
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
  /** Step of the fixed-step methods. */
  dt?: number;
  /** Form of `f`. */
  rhsForm?: 'inplace' | 'return';
}

/** The end state of a flow and its Jacobian. @public */
export interface FlowJacobianResult {
  /** y(t1). */
  y: Float64Array;
  /** Φ = ∂y(t1)/∂y(t0), shape (n, n). */
  jacobian: NDArray;
}

/**
 * The Jacobian of the flow map y(t0) ↦ y(t1) of y' = f(t, y) from the variational equations
 * Φ' = J(t, y) Φ, Φ(t0) = I, integrated together with y (n + n² states).
 * @public
 */
export function flowJacobian(
  f: OdeRhs,
  tSpan: readonly [number, number],
  y0: ArrayLike<number> | NDArray,
  options: FlowJacobianOptions = {},
): FlowJacobianResult {
  const op = 'flowJacobian';
  const y = toStateVector(op, y0, f);
  const n = y.length;
  const fIn = toInPlaceRhs(op, f, n, options.rhsForm);
  const jac = resolveJacobian(op, fIn, n, options.jac);
  const J = new Float64Array(n * n);
  const ys = new Float64Array(n);
  // z = [y; Φ row-major]; (Φ')ᵢₖ = Σⱼ Jᵢⱼ Φⱼₖ
  const augmented = (t: number, z: Float64Array, dz: Float64Array): void => {
    for (let i = 0; i < n; i++) ys[i] = z[i];
    fIn(t, ys, dz);
    jac(t, ys, J);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += J[i * n + j] * z[n + j * n + k];
        dz[n + i * n + k] = acc;
      }
    }
  };
  const z0 = new Float64Array(n + n * n);
  z0.set(y);
  for (let i = 0; i < n; i++) z0[n + i * n + i] = 1;
  const r = solveIVP(augmented, tSpan, z0, {
    method: options.method ?? 'RK45',
    rtol: options.rtol ?? 1e-10,
    atol: options.atol ?? 1e-12,
    dt: options.dt,
    tEval: [tSpan[1]],
  });
  if (!r.success) {
    throw new ConvergenceError(
      op,
      `integration of the variational equations failed: ${r.message}`,
      r.nsteps,
    );
  }
  const zEnd = r.y.dataSync() as Float64Array; // (n + n², 1)
  return { y: zEnd.slice(0, n), jacobian: fromTypedArray(zEnd.slice(n), [n, n]) };
}
