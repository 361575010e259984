// Model problems shared by the solver tests (not exported from the package).
import { sparseDiags, sparseEye, sparseKron } from '../construct.js';
import type { CsrMatrix } from '../csr.js';

/** 1-D Dirichlet Laplacian tridiag(−1, 2, −1) of order n; eigenvalues 2 − 2cos(jπ/(n+1)). */
export function laplace1d(n: number): CsrMatrix {
  return sparseDiags([-1, 2, -1], [-1, 0, 1], [n, n]);
}

/** 2-D five-point Laplacian on an nx×ny grid (x fastest): I_y⊗T_x + T_y⊗I_x. */
export function poisson2d(nx: number, ny = nx): CsrMatrix {
  return sparseKron(sparseEye(ny), laplace1d(nx)).add(sparseKron(laplace1d(ny), sparseEye(nx)));
}

/**
 * 2-D convection–diffusion −Δu + w·∇u (times h²) with central differences and wind (wx, wy): the stencil is
 * 4 at the centre and −1 ± (h·w/2) at the neighbours, nonsymmetric for w ≠ 0; cell Péclet number h|w|/2 < 1
 * keeps it an M-matrix.
 */
export function convectionDiffusion(nx: number, peclet: number): CsrMatrix {
  const side = (p: number) => sparseDiags([-1 - p, 2, -1 + p], [-1, 0, 1], [nx, nx]);
  return sparseKron(sparseEye(nx), side(peclet)).add(sparseKron(side(peclet / 2), sparseEye(nx)));
}
