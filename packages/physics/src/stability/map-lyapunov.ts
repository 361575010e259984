/**
 * The largest Lyapunov exponent of a discrete map uₙ₊₁ = Φ(uₙ) — an ODE's time-step map or a learned
 * emulator — by Benettin's method: push a tangent vector through the map's Jacobian, vₙ₊₁ = J(uₙ) vₙ,
 * renormalise each step and average the logs of the stretch factors. For a map that advances time by dt,
 * λ_flow = λ_map / dt.
 */
import { ConvergenceError, type NDArray, ShapeError, ValueError } from '@sciml/linalg';
import { toStateVector } from '../integrate/solve-ivp.js';

/** Options of {@link mapLyapunovExponent}. @public */
export interface MapLyapunovOptions {
  /** Jacobian of the map at u, n×n row-major (default: central differences of the map, 2n calls). */
  jacobian?: (u: Float64Array) => ArrayLike<number>;
  /** Iterations averaged (default 10 000). */
  steps?: number;
  /** Iterations discarded first (default 100). */
  transient?: number;
  /** Time advanced by one application of the map: the exponent is reported per unit time (default 1). */
  dt?: number;
}

/** Result of {@link mapLyapunovExponent}. @public */
export interface MapLyapunovResult {
  /** The largest exponent, per unit time (per iteration when dt = 1). */
  exponent: number;
  /** Running estimate after each iteration. */
  history: Float64Array;
  /** State after the last iteration. */
  u: Float64Array;
}

/**
 * The largest Lyapunov exponent of the map u ↦ Φ(u) from u0 (Benettin's method). The logistic map
 * x ↦ 4x(1 − x) gives ln 2; the Hénon map (a = 1.4, b = 0.3) about 0.419.
 * @public
 */
export function mapLyapunovExponent(
  map: (u: Float64Array) => ArrayLike<number>,
  u0: ArrayLike<number> | NDArray,
  options: MapLyapunovOptions = {},
): MapLyapunovResult {
  const op = 'mapLyapunovExponent';
  let u = toStateVector(op, u0);
  const n = u.length;
  const steps = options.steps ?? 10_000;
  const transient = options.transient ?? 100;
  const dt = options.dt ?? 1;
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(op, `steps must be a positive integer, got ${steps}`);
  if (!Number.isInteger(transient) || transient < 0) {
    throw new ValueError(op, `transient must be a non-negative integer, got ${transient}`);
  }
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(op, `dt must be positive and finite, got ${dt}`);
  const apply = (x: Float64Array): Float64Array => {
    const r = map(x);
    if (r.length !== n)
      throw new ShapeError(op, `the map returned ${r.length} values for a state of ${n}`);
    return Float64Array.from(r);
  };
  const jac = options.jacobian ?? centralMapJacobian(apply, n);
  for (let s = 0; s < transient; s++) u = apply(u);
  const v = new Float64Array(n).fill(1 / Math.sqrt(n));
  const w = new Float64Array(n);
  const history = new Float64Array(steps);
  let sum = 0;
  for (let s = 0; s < steps; s++) {
    const J = jac(u);
    if (J.length !== n * n)
      throw new ShapeError(op, `the Jacobian has ${J.length} entries, expected ${n}×${n}`);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += J[i * n + j] * v[j];
      w[i] = acc;
      norm += acc * acc;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new ConvergenceError(
        op,
        `the tangent vector became ${norm === 0 ? 'zero' : 'non-finite'} at iteration ${s}`,
        s,
      );
    }
    sum += Math.log(norm);
    for (let i = 0; i < n; i++) w[i] /= norm;
    v.set(w);
    u = apply(u);
    history[s] = sum / ((s + 1) * dt);
  }
  return { exponent: sum / (steps * dt), history, u };
}

/** Central differences of a map, δ = ε^(1/3)·max(1, |uⱼ|). */
function centralMapJacobian(apply: (x: Float64Array) => Float64Array, n: number) {
  return (u: Float64Array): Float64Array => {
    const J = new Float64Array(n * n);
    const x = Float64Array.from(u);
    for (let j = 0; j < n; j++) {
      const d = Math.cbrt(Number.EPSILON) * Math.max(1, Math.abs(u[j]));
      x[j] = u[j] + d;
      const up = apply(x);
      x[j] = u[j] - d;
      const dn = apply(x);
      x[j] = u[j];
      for (let i = 0; i < n; i++) J[i * n + j] = (up[i] - dn[i]) / (2 * d);
    }
    return J;
  };
}
