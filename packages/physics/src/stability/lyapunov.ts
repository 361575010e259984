/**
 * Lyapunov exponents by Benettin's method (G. Benettin, L. Galgani, A. Giorgilli & J.-M. Strelcyn,
 * Meccanica 15 (1980) 9–30): integrate the state together with tangent vectors v' = J(t, y) v (the
 * variational equations) by fixed-step RK4, and every `renormEvery` steps re-orthonormalise the tangent
 * vectors (modified Gram–Schmidt, i.e. a QR step), accumulating the logs of the stretch factors.
 * λᵢ = lim (1/T) Σ log Rᵢᵢ. For Lorenz-63 at (10, 28, 8/3): λ ≈ (0.906, 0, −14.57), Σλ = −(σ + 1 + β).
 */
import { ConvergenceError, type NDArray, ValueError, withOpName } from '@sciml/linalg';
import { toInPlaceRhs } from '../integrate/rhs.js';
import { toStateVector } from '../integrate/solve-ivp.js';
import type { OdeJacobian, OdeRhs } from '../integrate/types.js';
import { resolveJacobian } from './jacobians.js';

/** Options of the Lyapunov routines. @public */
export interface LyapunovOptions {
  /** Analytic Jacobian ∂f/∂y (default: central differences of f, 2n evaluations per stage). */
  jac?: OdeJacobian;
  /** RK4 step (default 0.01). */
  dt?: number;
  /** Averaging time after the transient (default 200). */
  time?: number;
  /** Time integrated first and discarded, to reach the attractor (default 10). */
  transient?: number;
  /** Steps between re-orthonormalisations (default 10). */
  renormEvery?: number;
  /** Number of exponents (default: all n for `lyapunovSpectrum`). */
  count?: number;
  /** Form of `f`. */
  rhsForm?: 'inplace' | 'return';
}

/** Lyapunov exponents and their running estimates. @public */
export interface LyapunovResult {
  /** The exponents, largest first (per unit time). */
  exponents: Float64Array;
  /** Running estimate of the largest exponent after each renormalisation (for convergence plots). */
  history: Float64Array;
  /** Times of the history entries (from the end of the transient). */
  times: Float64Array;
  /** State at the end. */
  y: Float64Array;
}

/**
 * The leading `count` Lyapunov exponents of y' = f(t, y) from y0 (Benettin's method with QR
 * re-orthonormalisation). Deterministic: tangent vectors start as the first columns of the identity.
 * @public
 */
export function lyapunovSpectrum(
  f: OdeRhs,
  y0: ArrayLike<number> | NDArray,
  options: LyapunovOptions = {},
): LyapunovResult {
  const op = 'lyapunovSpectrum';
  const y = toStateVector(op, y0, f);
  const n = y.length;
  const p = options.count ?? n;
  const dt = options.dt ?? 0.01;
  const time = options.time ?? 200;
  const transient = options.transient ?? 10;
  const every = options.renormEvery ?? 10;
  if (!Number.isInteger(p) || p < 1 || p > n)
    throw new ValueError(op, `count must be an integer in [1, ${n}], got ${p}`);
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(op, `dt must be positive and finite, got ${dt}`);
  if (!(time > 0)) throw new ValueError(op, `time must be positive, got ${time}`);
  if (!(transient >= 0)) throw new ValueError(op, `transient must be ≥ 0, got ${transient}`);
  if (!Number.isInteger(every) || every < 1)
    throw new ValueError(op, `renormEvery must be a positive integer, got ${every}`);
  const fIn = toInPlaceRhs(op, f, n, options.rhsForm);
  const jac = resolveJacobian(op, fIn, n, options.jac);

  // state z = [y; V] with V n×p row-major (columns are the tangent vectors)
  const m = n + n * p;
  const J = new Float64Array(n * n);
  const ys = new Float64Array(n);
  const rhs = (t: number, z: Float64Array, dz: Float64Array): void => {
    for (let i = 0; i < n; i++) ys[i] = z[i];
    fIn(t, ys, dz);
    jac(t, ys, J);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < p; k++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += J[i * n + j] * z[n + j * p + k];
        dz[n + i * p + k] = acc;
      }
    }
  };
  const rk4 = rk4InPlace(m);
  const stateOnly = rk4InPlace(n);

  let t = 0;
  const nTransient = Math.round(transient / dt);
  for (let s = 0; s < nTransient; s++, t += dt) stateOnly(fIn, t, y, dt);

  const z = new Float64Array(m);
  z.set(y);
  for (let k = 0; k < p; k++) z[n + k * p + k] = 1;
  const nSteps = Math.max(every, Math.round(time / dt));
  const nRenorm = Math.floor(nSteps / every);
  const sums = new Float64Array(p);
  const history = new Float64Array(nRenorm);
  const times = new Float64Array(nRenorm);
  for (let r = 0; r < nRenorm; r++) {
    for (let s = 0; s < every; s++, t += dt) rk4(rhs, t, z, dt);
    gramSchmidtLogs(z, n, p, sums, op);
    const elapsed = (r + 1) * every * dt;
    history[r] = sums[0] / elapsed;
    times[r] = elapsed;
  }
  const total = nRenorm * every * dt;
  const exponents = Float64Array.from(sums, (s) => s / total);
  return { exponents, history, times, y: z.slice(0, n) };
}

/**
 * The largest Lyapunov exponent of y' = f(t, y) (Benettin's method with one tangent vector). Lorenz-63 at
 * the standard parameters gives ≈ 0.906.
 * @example
 * ```ts
 * const sys = new Lorenz63();
 * largestLyapunovExponent(sys.rhs, [1, 1, 1], { jac: sys.jacobian, time: 200 }).exponents[0]; // ≈ 0.906
 * ```
 * @public
 */
export function largestLyapunovExponent(
  f: OdeRhs,
  y0: ArrayLike<number> | NDArray,
  options: Omit<LyapunovOptions, 'count'> = {},
): LyapunovResult {
  return withOpName('largestLyapunovExponent', () =>
    lyapunovSpectrum(f, y0, { ...options, count: 1 }),
  );
}

/**
 * Modified Gram–Schmidt on the p columns of V (stored after the n state entries of z, row-major n×p):
 * normalises them in place and adds log‖·‖ of each orthogonalised column (the diagonal of R) to `sums`.
 */
function gramSchmidtLogs(
  z: Float64Array,
  n: number,
  p: number,
  sums: Float64Array,
  op: string,
): void {
  for (let k = 0; k < p; k++) {
    for (let q = 0; q < k; q++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += z[n + i * p + k] * z[n + i * p + q];
      for (let i = 0; i < n; i++) z[n + i * p + k] -= dot * z[n + i * p + q];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += z[n + i * p + k] ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new ConvergenceError(
        op,
        `tangent vector ${k} became ${norm === 0 ? 'zero' : 'non-finite'}; reduce renormEvery or dt`,
        0,
      );
    }
    sums[k] += Math.log(norm);
    for (let i = 0; i < n; i++) z[n + i * p + k] /= norm;
  }
}

/** An allocation-free classical RK4 step on a state of length m, in place. */
function rk4InPlace(m: number) {
  const k1 = new Float64Array(m);
  const k2 = new Float64Array(m);
  const k3 = new Float64Array(m);
  const k4 = new Float64Array(m);
  const tmp = new Float64Array(m);
  return (
    f: (t: number, y: Float64Array, dy: Float64Array) => void,
    t: number,
    y: Float64Array,
    h: number,
  ): void => {
    const h2 = 0.5 * h;
    f(t, y, k1);
    for (let i = 0; i < m; i++) tmp[i] = y[i] + h2 * k1[i];
    f(t + h2, tmp, k2);
    for (let i = 0; i < m; i++) tmp[i] = y[i] + h2 * k2[i];
    f(t + h2, tmp, k3);
    for (let i = 0; i < m; i++) tmp[i] = y[i] + h * k3[i];
    f(t + h, tmp, k4);
    const h6 = h / 6;
    for (let i = 0; i < m; i++) y[i] += h6 * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
  };
}
