/**
 * The 1-D heat equation u_t = ν u_xx by the method of lines with the second-order central difference
 * (u_{i+1} − 2u_i + u_{i−1})/dx² (LeVeque, Finite Difference Methods for ODEs and PDEs, §9.1).
 * A Fourier mode sin(kx) decays as e^(−νk²t) exactly, and as e^(−ν(4/dx²) sin²(k dx/2) t) on the grid.
 */
import { ValueError } from '@sciml/linalg';
import type { OdeRhsInPlace } from '../integrate/types.js';
import { type BoundaryCondition, type Grid1D, grid1D } from './grid.js';
import { type MolOptions, type PdeSolution, initialValues, integrateMol } from './mol.js';

/** Options of {@link heatEquation1D}. @public */
export interface HeatEquationOptions extends MolOptions {
  /** Diffusivity ν > 0. */
  nu: number;
  /** Number of unknowns (grid points). */
  nx: number;
  /** Spatial domain [a, b] (default [0, 2π]). */
  domain?: readonly [number, number];
  /** Boundary condition (default `'periodic'`). */
  bc?: BoundaryCondition;
  /** Dirichlet values at a and b (default [0, 0]). */
  boundaryValues?: readonly [number, number];
  /** Initial condition: a function of x or the nx grid values. */
  u0: ((x: number) => number) | ArrayLike<number>;
}

/**
 * The semi-discrete heat operator F(u) = ν D₂ u on a grid, in place (with its constant tridiagonal
 * Jacobian), for use with `solveIVP` or as a training target.
 * @public
 */
export function heatRhs(
  grid: Grid1D,
  nu: number,
): { rhs: OdeRhsInPlace; jacobian: (t: number, u: Float64Array, J: Float64Array) => void } {
  if (!(nu > 0) || !Number.isFinite(nu))
    throw new ValueError('heatRhs', `nu must be positive and finite, got ${nu}`);
  const n = grid.x.length;
  const c = nu / (grid.dx * grid.dx);
  const periodic = grid.bc === 'periodic';
  const [gl, gr] = grid.boundaryValues;
  const rhs: OdeRhsInPlace = (_t, u, du) => {
    const left = periodic ? u[n - 1] : gl;
    const right = periodic ? u[0] : gr;
    du[0] = c * (u[1] - 2 * u[0] + left);
    for (let i = 1; i < n - 1; i++) du[i] = c * (u[i + 1] - 2 * u[i] + u[i - 1]);
    du[n - 1] = c * (right - 2 * u[n - 1] + u[n - 2]);
  };
  const jacobian = (_t: number, _u: Float64Array, J: Float64Array): void => {
    J.fill(0, 0, n * n);
    for (let i = 0; i < n; i++) {
      J[i * n + i] = -2 * c;
      if (i > 0) J[i * n + i - 1] = c;
      else if (periodic) J[i * n + n - 1] += c;
      if (i < n - 1) J[i * n + i + 1] = c;
      else if (periodic) J[i * n] += c;
    }
  };
  return { rhs, jacobian };
}

/**
 * Solves u_t = ν u_xx on [a, b] with periodic or Dirichlet boundaries by the method of lines; returns the
 * grid, the output times and the snapshot matrix u (nx × nt).
 * @example
 * ```ts
 * const sol = heatEquation1D({ nu: 0.1, nx: 64, u0: Math.sin, tSpan: [0, 1] });
 * sol.u.shape; // [64, 101]; column j ≈ e^(−0.1 t_j) sin(x)
 * ```
 * @public
 */
export function heatEquation1D(options: HeatEquationOptions): PdeSolution {
  const grid = grid1D(
    options.nx,
    options.domain ?? [0, 2 * Math.PI],
    options.bc ?? 'periodic',
    options.boundaryValues,
  );
  const { rhs, jacobian } = heatRhs(grid, options.nu);
  return integrateMol(
    'heatEquation1D',
    rhs,
    jacobian,
    grid,
    initialValues('heatEquation1D', grid, options.u0),
    options,
  );
}
