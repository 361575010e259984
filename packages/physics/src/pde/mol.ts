/**
 * Method of lines: a semi-discrete PDE is an ODE system u' = F(t, u) on the grid values, integrated by
 * `solveIVP`. The result keeps the snapshot matrix u (nx × nt), ready for SVD/POD, and the grid.
 */
import { type NDArray, ValueError } from '@sciml/linalg';
import { solveIVP } from '../integrate/solve-ivp.js';
import type { OdeMethod, OdeRhsInPlace } from '../integrate/types.js';
import type { Grid1D } from './grid.js';

/** Time-integration options shared by the 1-D PDE solvers. @public */
export interface MolOptions {
  /** Time interval [t0, t1]. */
  tSpan: readonly [number, number];
  /** Output times (default: 101 equally spaced times over tSpan). */
  tEval?: ArrayLike<number>;
  /** Integrator (default `'RK45'`; `'Rosenbrock23'` for fine grids, where diffusion makes the system stiff). */
  method?: OdeMethod;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9). */
  atol?: number;
  /** Step of the fixed-step methods. */
  dt?: number;
}

/** A PDE solution on a grid. @public */
export interface PdeSolution {
  /** Grid points, length nx. */
  x: Float64Array;
  /** Output times, length nt. */
  t: Float64Array;
  /** Snapshot matrix u(xᵢ, tⱼ), shape (nx, nt): columns are snapshots (the layout POD takes). */
  u: NDArray;
  /** The grid (spacing, boundary condition). */
  grid: Grid1D;
  /** Right-hand-side evaluations. */
  nfev: number;
  /** Accepted time steps. */
  nsteps: number;
}

/** Initial values on the grid from a function of x or from an array of length nx. */
export function initialValues(
  op: string,
  grid: Grid1D,
  u0: ((x: number) => number) | ArrayLike<number>,
): Float64Array {
  const n = grid.x.length;
  const u = typeof u0 === 'function' ? Float64Array.from(grid.x, u0) : Float64Array.from(u0);
  if (u.length !== n)
    throw new ValueError(op, `u0 has ${u.length} values for a grid of ${n} points`);
  return u;
}

/** Integrates u' = F(t, u) from u0 and packages the snapshots. */
export function integrateMol(
  op: string,
  rhs: OdeRhsInPlace,
  jac: ((t: number, u: Float64Array, J: Float64Array) => void) | undefined,
  grid: Grid1D,
  u0: Float64Array,
  options: MolOptions,
): PdeSolution {
  const [t0, t1] = options.tSpan;
  const tEval = options.tEval ?? Array.from({ length: 101 }, (_, j) => t0 + ((t1 - t0) * j) / 100);
  const r = solveIVP(rhs, [t0, t1], u0, {
    method: options.method ?? 'RK45',
    rtol: options.rtol ?? 1e-6,
    atol: options.atol ?? 1e-9,
    dt: options.dt,
    tEval,
    jac,
  });
  if (!r.success) throw new ValueError(op, `time integration failed: ${r.message}`);
  return { x: grid.x, t: r.t, u: r.y, grid, nfev: r.nfev, nsteps: r.nsteps };
}
