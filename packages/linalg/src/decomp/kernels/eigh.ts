/**
 * Symmetric eigendecomposition A = V diag(w) Vᵀ: Householder tridiagonalisation, then the implicit QL
 * algorithm with Wilkinson-like shifts on the tridiagonal matrix (EISPACK `tql2`, Bowdler, Martin, Reinsch &
 * Wilkinson 1968; Golub & Van Loan 4th ed., §8.3), accumulating the rotations of each sweep into the
 * eigenvector matrix in one streaming pass. Eigenvalues are returned ascending, as NumPy does.
 */
import { scaleToUnit } from './scaling.js';
import { formTridiagonalQ, tridiagonalize } from './tridiagonal.js';
import { tridiagonalEigDC } from './tridiagonal-dc.js';
import { tridiagonalQL } from './tridiagonal-ql.js';
import { applyReflectorsBackward } from './wy.js';

/** From this size eigh switches from implicit QL to divide and conquer for the tridiagonal problem. */
const DC_MIN = 64;

/** Eigenvalues ascending (n) and eigenvectors as columns (n×n, row-major) of the symmetric `a` (lower triangle read). */
export function eighKernel(a: Float64Array, n: number): [Float64Array, Float64Array] {
  const unscale = scaleToUnit(a);
  const t = tridiagonalize(a, n);
  if (n > DC_MIN) {
    // divide and conquer on T, then V = Q Z by the blocked reflectors
    const [w, z] = tridiagonalEigDC(t.d, t.e, n);
    applyReflectorsBackward(z, n, n, t, 1);
    for (let j = 0; j < n; j++) w[j] = unscale(w[j]!);
    return [w, z];
  }
  const z = formTridiagonalQ(t, n);
  tridiagonalQL(t.d, t.e, n, z);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => t.d[i]! - t.d[j]!);
  const w = new Float64Array(n);
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    w[j] = unscale(t.d[src]!);
    for (let i = 0; i < n; i++) v[i * n + j] = z[i * n + src]!;
  }
  return [w, v];
}
