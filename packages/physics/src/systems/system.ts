import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { solveIVP, toStateVector } from '../integrate/solve-ivp.js';
import { withStateDim } from '../integrate/state-dim.js';
import type { OdeResult, OdeRhsInPlace, SolveIVPOptions } from '../integrate/types.js';

/**
 * A continuous-time dynamical system y' = f(t, y): its in-place right-hand side, analytic Jacobian and a
 * published initial state. `rhs` and `jacobian` are bound (arrow) functions, safe to pass on their own.
 * @public
 */
export interface DynamicalSystem {
  /** Short name, e.g. `'Lorenz-63'`. */
  readonly name: string;
  /** State dimension n. */
  readonly dim: number;
  /** f(t, y) written into `dydt` (allocation-free). */
  readonly rhs: OdeRhsInPlace;
  /** ∂f/∂y at (t, y) written into `jac`, n×n row-major. */
  readonly jacobian: (t: number, y: Float64Array, jac: Float64Array) => void;
  /** A standard initial state from the literature (a fresh array). */
  initialState(): Float64Array;
}

/**
 * Records a system's state dimension on its `rhs` and `jacobian`, so `solveIVP` and the stability tools
 * reject a `y0` of another length up front. Every built-in system calls it at the end of its constructor.
 */
export function registerSystem(system: DynamicalSystem): void {
  withStateDim(system.rhs, system.dim, system.name);
  withStateDim(system.jacobian, system.dim, system.name);
}

/**
 * Integrates a system with `solveIVP` (its analytic Jacobian is passed for the stiff method).
 * `y0` defaults to the system's `initialState()`.
 * @public
 */
export function simulate(
  system: DynamicalSystem,
  tSpan: readonly [number, number],
  y0?: ArrayLike<number> | NDArray,
  options: SolveIVPOptions = {},
): OdeResult {
  return solveIVP(system.rhs, tSpan, y0 ?? system.initialState(), {
    jac: system.jacobian,
    ...options,
  });
}

/** Options of {@link sampleTrajectory}. @public */
export interface SampleTrajectoryOptions {
  /** Initial state (default: the system's `initialState()`). */
  y0?: ArrayLike<number> | NDArray;
  /** Start time (default 0). */
  t0?: number;
  /** Sampling interval (required). */
  dt: number;
  /** Number of samples (required). */
  samples: number;
  /** Time integrated and discarded first, so the samples lie on the attractor (default 0). */
  transient?: number;
  /** Integrator (default `'RK45'` with rtol 1e-10, atol 1e-12, sampled through its dense output). */
  method?: SolveIVPOptions['method'];
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
}

/** Samples of a trajectory with the exact derivatives at the samples. @public */
export interface TrajectorySamples {
  /** Sample times, length m (starting at t0 + transient). */
  t: Float64Array;
  /** States, shape (m, n): one row per sample (the layout regression methods such as SINDy take). */
  x: NDArray;
  /** f(t, x) at each sample, shape (m, n): the exact derivatives, for testing derivative estimators. */
  dxdt: NDArray;
}

/**
 * Data for system identification: `samples` states of a trajectory every `dt` (after a discarded
 * `transient`), integrated accurately, with the true derivatives f(t, x) at each sample. Rows are samples
 * (shape (m, n)), unlike `solveIVP`'s (n, nt).
 * @public
 */
export function sampleTrajectory(
  system: DynamicalSystem,
  options: SampleTrajectoryOptions,
): TrajectorySamples {
  const op = 'sampleTrajectory';
  const { dt, samples } = options;
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(op, `dt must be positive and finite, got ${dt}`);
  if (!Number.isInteger(samples) || samples < 2)
    throw new ValueError(op, `samples must be an integer ≥ 2, got ${samples}`);
  const transient = options.transient ?? 0;
  if (!(transient >= 0)) throw new ValueError(op, `transient must be ≥ 0, got ${transient}`);
  const t0 = options.t0 ?? 0;
  const n = system.dim;
  const tol = {
    rtol: options.rtol ?? 1e-10,
    atol: options.atol ?? 1e-12,
    method: options.method ?? 'RK45',
  };
  let y = toStateVector(op, options.y0 ?? system.initialState());
  if (y.length !== n)
    throw new ValueError(op, `y0 has ${y.length} components, ${system.name} has ${n}`);
  if (transient > 0) {
    const warm = solveIVP(system.rhs, [t0, t0 + transient], y, {
      ...tol,
      dt,
      tEval: [t0 + transient],
    });
    y = Float64Array.from({ length: n }, (_, i) => warm.y.get(i, 0));
  }
  const tStart = t0 + transient;
  const t = new Float64Array(samples);
  for (let j = 0; j < samples; j++) t[j] = tStart + j * dt;
  const sol = solveIVP(system.rhs, [tStart, t[samples - 1]], y, { ...tol, dt, tEval: t });
  if (!sol.success) throw new ValueError(op, `integration failed: ${sol.message}`);
  const traj = sol.y.dataSync() as Float64Array; // (n, m)
  const x = new Float64Array(samples * n);
  const dxdt = new Float64Array(samples * n);
  const row = new Float64Array(n);
  const der = new Float64Array(n);
  for (let j = 0; j < samples; j++) {
    for (let i = 0; i < n; i++) row[i] = traj[i * samples + j];
    system.rhs(t[j], row, der);
    x.set(row, j * n);
    dxdt.set(der, j * n);
  }
  return { t, x: fromTypedArray(x, [samples, n]), dxdt: fromTypedArray(dxdt, [samples, n]) };
}
