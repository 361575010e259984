/**
 * Uniform 1-D grids for the method of lines. Periodic: n points x_i = a + i·dx, dx = (b − a)/n (the right
 * end is the left end again). Dirichlet: the n interior points x_i = a + (i + 1)·dx, dx = (b − a)/(n + 1);
 * the boundary values are fixed and enter the stencils as ghost values.
 */
import { ValueError } from '@sciml/linalg';

/** Boundary conditions of the 1-D method-of-lines solvers. @public */
export type BoundaryCondition = 'periodic' | 'dirichlet';

/** A uniform 1-D grid. @public */
export interface Grid1D {
  /** Grid points (the unknowns' positions), length n. */
  x: Float64Array;
  /** Spacing. */
  dx: number;
  /** Boundary condition. */
  bc: BoundaryCondition;
  /** Dirichlet values at the left and right ends (0, 0 for periodic grids). */
  boundaryValues: readonly [number, number];
}

/**
 * Builds a uniform grid of `n` unknowns on [a, b].
 * @public
 */
export function grid1D(
  n: number,
  domain: readonly [number, number],
  bc: BoundaryCondition = 'periodic',
  boundaryValues: readonly [number, number] = [0, 0],
): Grid1D {
  const op = 'grid1D';
  const [a, b] = domain;
  if (!Number.isInteger(n) || n < 3) throw new ValueError(op, `n must be an integer ≥ 3, got ${n}`);
  if (!(b > a) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new ValueError(op, `domain must be [a, b] with finite a < b, got [${a}, ${b}]`);
  }
  if (bc !== 'periodic' && bc !== 'dirichlet') {
    throw new ValueError(op, `bc must be 'periodic' or 'dirichlet', got '${String(bc)}'`);
  }
  if (!Number.isFinite(boundaryValues[0]) || !Number.isFinite(boundaryValues[1])) {
    throw new ValueError(op, `boundary values must be finite, got [${boundaryValues.join(', ')}]`);
  }
  const dx = bc === 'periodic' ? (b - a) / n : (b - a) / (n + 1);
  const offset = bc === 'periodic' ? 0 : 1;
  const x = Float64Array.from({ length: n }, (_, i) => a + (i + offset) * dx);
  return {
    x,
    dx,
    bc,
    boundaryValues: bc === 'periodic' ? [0, 0] : [boundaryValues[0], boundaryValues[1]],
  };
}
