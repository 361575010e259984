/**
 * Viscous Burgers' equation u_t + (u²/2)_x = ν u_xx by the method of lines, in conservation form: the
 * semi-discrete update is −(F_{i+½} − F_{i−½})/dx + ν D₂u, so Σ uᵢ dx is conserved on periodic grids.
 * Numerical fluxes: `'central'`, F_{i+½} = (u_i² + u_{i+1}²)/4 (second order; needs the cell Reynolds number
 * |u| dx/ν ≲ 2), or `'rusanov'`, the local Lax–Friedrichs flux F = (f_i + f_{i+1})/2 − max(|u_i|, |u_{i+1}|)
 * (u_{i+1} − u_i)/2 (first order, robust for steep fronts; LeVeque, Finite Volume Methods, §12.5).
 */
import { ValueError } from '@sciml/linalg';
import type { OdeRhsInPlace } from '../integrate/types.js';
import { type BoundaryCondition, type Grid1D, grid1D } from './grid.js';
import { type MolOptions, type PdeSolution, initialValues, integrateMol } from './mol.js';

/** Numerical flux of the Burgers solver. @public */
export type BurgersFlux = 'central' | 'rusanov';

/** Options of {@link burgers1D}. @public */
export interface BurgersOptions extends MolOptions {
  /** Viscosity ν ≥ 0. */
  nu: number;
  /** Number of unknowns. */
  nx: number;
  /** Spatial domain (default [−1, 1], the PINN benchmark's). */
  domain?: readonly [number, number];
  /** Boundary condition (default `'periodic'`). */
  bc?: BoundaryCondition;
  /** Dirichlet values (default [0, 0]). */
  boundaryValues?: readonly [number, number];
  /** Numerical flux (default `'central'`). */
  flux?: BurgersFlux;
  /** Initial condition: a function of x or the nx grid values. */
  u0: ((x: number) => number) | ArrayLike<number>;
}

/**
 * The semi-discrete Burgers operator on a grid, in place; with the central flux also its Jacobian.
 * @public
 */
export function burgersRhs(
  grid: Grid1D,
  nu: number,
  flux: BurgersFlux = 'central',
): { rhs: OdeRhsInPlace; jacobian?: (t: number, u: Float64Array, J: Float64Array) => void } {
  if (!(nu >= 0) || !Number.isFinite(nu))
    throw new ValueError('burgersRhs', `nu must be ≥ 0 and finite, got ${nu}`);
  if (flux !== 'central' && flux !== 'rusanov') {
    throw new ValueError(
      'burgersRhs',
      `flux must be 'central' or 'rusanov', got '${String(flux)}'`,
    );
  }
  const n = grid.x.length;
  const dx = grid.dx;
  const c = nu / (dx * dx);
  const periodic = grid.bc === 'periodic';
  const [gl, gr] = grid.boundaryValues;
  // F[i] is the flux through the face between cell i − 1 and cell i (i = 0 … n)
  const F = new Float64Array(n + 1);
  const at = (u: Float64Array, i: number): number =>
    i < 0 ? (periodic ? u[n - 1] : gl) : i >= n ? (periodic ? u[0] : gr) : u[i];
  const faceFlux =
    flux === 'central'
      ? (a: number, b: number) => 0.25 * (a * a + b * b)
      : (a: number, b: number) =>
          0.25 * (a * a + b * b) - 0.5 * Math.max(Math.abs(a), Math.abs(b)) * (b - a);
  const rhs: OdeRhsInPlace = (_t, u, du) => {
    for (let i = 0; i <= n; i++) F[i] = faceFlux(at(u, i - 1), at(u, i));
    for (let i = 0; i < n; i++) {
      const lap = at(u, i + 1) - 2 * u[i] + at(u, i - 1);
      du[i] = -(F[i + 1] - F[i]) / dx + c * lap;
    }
  };
  if (flux !== 'central') return { rhs };
  // d/du of −(u_{i+1}² − u_{i−1}²)/(4dx) + c(u_{i+1} − 2u_i + u_{i−1})
  const jacobian = (_t: number, u: Float64Array, J: Float64Array): void => {
    J.fill(0, 0, n * n);
    for (let i = 0; i < n; i++) {
      J[i * n + i] = -2 * c;
      const ip = i + 1 < n ? i + 1 : periodic ? 0 : -1;
      const im = i - 1 >= 0 ? i - 1 : periodic ? n - 1 : -1;
      if (ip >= 0) J[i * n + ip] += -u[ip] / (2 * dx) + c;
      if (im >= 0) J[i * n + im] += u[im] / (2 * dx) + c;
    }
  };
  return { rhs, jacobian };
}

/**
 * Solves viscous Burgers' equation on a 1-D grid by the method of lines (periodic or Dirichlet); returns the
 * snapshot matrix u (nx × nt).
 * @public
 */
export function burgers1D(options: BurgersOptions): PdeSolution {
  const grid = grid1D(
    options.nx,
    options.domain ?? [-1, 1],
    options.bc ?? 'periodic',
    options.boundaryValues,
  );
  const { rhs, jacobian } = burgersRhs(grid, options.nu, options.flux ?? 'central');
  return integrateMol(
    'burgers1D',
    rhs,
    jacobian,
    grid,
    initialValues('burgers1D', grid, options.u0),
    options,
  );
}
