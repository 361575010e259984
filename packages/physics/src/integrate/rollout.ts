/**
 * Fixed-step maps u ↦ Φ(u, t, dt) and their rollouts. A map can come from an ODE (`eulerStep`, `rk4Step`)
 * or be learned (a neural emulator): `rollout` only needs the map, so both are rolled out, compared and
 * trained against each other the same way.
 */
import { type NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { toInPlaceRhs } from './rhs.js';
import type { OdeRhs } from './types.js';

/**
 * A discrete-time map uₙ₊₁ = Φ(uₙ, tₙ, dt). It must not modify `u` (rollouts keep every state).
 * @public
 */
export type StepMap<U = Float64Array> = (u: U, t: number, dt: number) => U;

/** Options of the map builders. @public */
export interface StepMapOptions {
  /** Form of `f` (default: by `f.length`, as in `solveIVP`). */
  rhsForm?: 'inplace' | 'return';
}

/**
 * The explicit Euler map of y' = f(t, y): Φ(u, t, dt) = u + dt f(t, u). Returns a new array per call.
 * @public
 */
export function eulerStep(f: OdeRhs, options: StepMapOptions = {}): StepMap<Float64Array> {
  let g: ReturnType<typeof toInPlaceRhs> | undefined;
  return (u, t, dt) => {
    const n = u.length;
    g ??= toInPlaceRhs('eulerStep', f, n, options.rhsForm);
    const out = new Float64Array(n);
    g(t, u, out);
    for (let i = 0; i < n; i++) out[i] = u[i] + dt * out[i];
    return out;
  };
}

/**
 * The classical RK4 map of y' = f(t, y) (Kutta 1901): Φ(u, t, dt) = u + dt (k₁ + 2k₂ + 2k₃ + k₄)/6.
 * Returns a new array per call; scratch stages are reused between calls.
 * @public
 */
export function rk4Step(f: OdeRhs, options: StepMapOptions = {}): StepMap<Float64Array> {
  let g: ReturnType<typeof toInPlaceRhs> | undefined;
  let k1 = new Float64Array(0);
  let k2 = k1;
  let k3 = k1;
  let k4 = k1;
  let tmp = k1;
  return (u, t, dt) => {
    const n = u.length;
    if (k1.length !== n) {
      g = toInPlaceRhs('rk4Step', f, n, options.rhsForm);
      k1 = new Float64Array(n);
      k2 = new Float64Array(n);
      k3 = new Float64Array(n);
      k4 = new Float64Array(n);
      tmp = new Float64Array(n);
    }
    const h2 = 0.5 * dt;
    g!(t, u, k1);
    for (let i = 0; i < n; i++) tmp[i] = u[i] + h2 * k1[i];
    g!(t + h2, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = u[i] + h2 * k2[i];
    g!(t + h2, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = u[i] + dt * k3[i];
    g!(t + dt, tmp, k4);
    const out = new Float64Array(n);
    const h6 = dt / 6;
    for (let i = 0; i < n; i++) out[i] = u[i] + h6 * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
    return out;
  };
}

/**
 * One fixed step of y' = f(t, y) from (t, u) with `method` (default `'RK4'`); returns the new state.
 * @public
 */
export function step(
  f: OdeRhs,
  u: ArrayLike<number>,
  t: number,
  dt: number,
  options: StepMapOptions & { method?: 'Euler' | 'RK4' } = {},
): Float64Array {
  const method = options.method ?? 'RK4';
  if (method !== 'Euler' && method !== 'RK4') {
    throw new ValueError('step', `method must be 'Euler' or 'RK4', got '${String(method)}'`);
  }
  const map = method === 'RK4' ? rk4Step(f, options) : eulerStep(f, options);
  return map(Float64Array.from(u), t, dt);
}

/** Options of {@link rollout}. @public */
export interface RolloutOptions {
  /** Number of steps (the result holds steps + 1 states, u0 included). */
  steps: number;
  /** Step size passed to the map. */
  dt: number;
  /** Time of u0 (default 0). */
  t0?: number;
}

/** A rollout: times tₙ = t0 + n·dt and states uₙ, n = 0…steps. @public */
export interface Rollout<U> {
  /** Times t0 + n·dt, length steps + 1. */
  t: Float64Array;
  /** States u0 … u_steps (u0 is the caller's own object). */
  states: U[];
}

/**
 * Applies a map repeatedly, uₙ₊₁ = Φ(uₙ, tₙ, dt), from u0 for `steps` steps (autoregressive rollout).
 * Works for any state type: Float64Array maps from `rk4Step`, or NDArray → NDArray emulators.
 * @example
 * ```ts
 * const { states } = rollout(rk4Step(new Lorenz63().rhs), Float64Array.of(1, 1, 1), { steps: 1000, dt: 0.01 });
 * ```
 * @public
 */
export function rollout<U>(map: StepMap<U>, u0: U, options: RolloutOptions): Rollout<U> {
  const { steps, dt } = options;
  const t0 = options.t0 ?? 0;
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError('rollout', `steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(dt) || dt === 0)
    throw new ValueError('rollout', `dt must be finite and non-zero, got ${dt}`);
  const t = new Float64Array(steps + 1);
  const states: U[] = [u0];
  let u = u0;
  t[0] = t0;
  for (let n = 0; n < steps; n++) {
    const tn = t0 + n * dt;
    u = map(u, tn, dt);
    states.push(u);
    t[n + 1] = t0 + (n + 1) * dt;
  }
  return { t, states };
}

/**
 * Stacks states (vectors of equal length n, or 1-D NDArrays) into an NDArray of shape (n, nt), the layout
 * of `solveIVP`'s `y`.
 * @public
 */
export function stackStates(states: readonly (ArrayLike<number> | NDArray)[]): NDArray {
  const nt = states.length;
  if (nt === 0) throw new ShapeError('stackStates', 'no states to stack');
  const rows = states.map((s) =>
    ArrayBuffer.isView(s) || Array.isArray(s)
      ? (s as ArrayLike<number>)
      : (s as NDArray).dataSync(),
  );
  const n = rows[0].length;
  const out = new Float64Array(n * nt);
  for (let j = 0; j < nt; j++) {
    const r = rows[j];
    if (r.length !== n)
      throw new ShapeError(
        'stackStates',
        `state ${j} has ${r.length} components, state 0 has ${n}`,
      );
    for (let i = 0; i < n; i++) out[i * nt + j] = r[i];
  }
  return fromTypedArray(out, [n, nt]);
}
