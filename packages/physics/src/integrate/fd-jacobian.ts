/**
 * Forward-difference Jacobian ∂f/∂y with Hairer's per-component increments
 * δⱼ = √(u · max(10⁻⁵, |yⱼ|)), u = 2⁻⁵² (`radau5.f`, Hairer–Wanner II, §IV.8): the increment follows the
 * component's scale, so tiny components (Robertson's y₂ ≈ 10⁻⁵) are not swamped.
 *
 * For a banded Jacobian (method-of-lines PDEs) the columns are grouped as Curtis, Powell & Reid ("On the
 * estimation of sparse Jacobian matrices", IMA J. Appl. Math. 13, 1974) do: columns j ≡ g (mod lband + uband + 1)
 * touch disjoint rows, so one evaluation of f with all of them perturbed gives them all — lband + uband + 1
 * evaluations instead of n, and the same numbers as the dense differences when fᵢ reads only its band.
 */
import type { OdeRhsInPlace } from './types.js';

/**
 * Band of a Jacobian: ∂fᵢ/∂yⱼ = 0 unless −uband ≤ i − j ≤ lband (SciPy's `lband`/`uband` of LSODA).
 * @public
 */
export interface JacobianBand {
  /** Number of sub-diagonals (below the diagonal). */
  lband: number;
  /** Number of super-diagonals (above the diagonal). */
  uband: number;
}

/**
 * Fills `jac` (n×n row-major, jac[i·n + j] = ∂fᵢ/∂yⱼ) by forward differences of the in-place `f` at (t, y).
 * `f0` must hold f(t, y). With `band`, only the band is filled (the rest is zero) from lband + uband + 1
 * grouped evaluations (Curtis–Powell–Reid); without, from n. `y` is restored on return. Returns the number
 * of evaluations of f.
 * @public
 */
export function finiteDifferenceJacobian(
  f: OdeRhsInPlace,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  jac: Float64Array,
  scratch: Float64Array = new Float64Array(y.length),
  band?: JacobianBand,
): number {
  const n = y.length;
  const width = band === undefined ? n : band.lband + band.uband + 1;
  if (band === undefined || width >= n) {
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      const delta = Math.sqrt(Number.EPSILON * Math.max(1e-5, Math.abs(yj)));
      y[j] = yj + delta;
      // the increment actually represented in floating point
      const dj = y[j] - yj;
      f(t, y, scratch);
      y[j] = yj;
      for (let i = 0; i < n; i++) jac[i * n + j] = (scratch[i] - f0[i]) / dj;
    }
    return n;
  }
  const { lband, uband } = band;
  const jb = new Float64Array(width * n);
  bandedDifferences(f, t, y, f0, jb, scratch, lband, uband);
  jac.fill(0);
  for (let j = 0; j < n; j++) {
    const hi = Math.min(n - 1, j + lband);
    for (let i = Math.max(0, j - uband); i <= hi; i++) jac[i * n + j] = jb[(uband + i - j) * n + j];
  }
  return width;
}

/**
 * The banded forward differences (Curtis–Powell–Reid groups of columns j ≡ g mod l + u + 1) into band storage
 * jb[(u + i − j)·n + j] = ∂fᵢ/∂yⱼ (LAPACK/SciPy layout, (l + u + 1)·n numbers; l + u + 1 < n). `y` is restored
 * on return. Returns the evaluations of f, l + u + 1.
 */
export function bandedDifferences(
  f: OdeRhsInPlace,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  jb: Float64Array,
  scratch: Float64Array,
  lband: number,
  uband: number,
): number {
  const n = y.length;
  const width = lband + uband + 1;
  const saved = Float64Array.from(y);
  const dj = new Float64Array(n);
  for (let g = 0; g < width; g++) {
    for (let j = g; j < n; j += width) {
      const yj = saved[j];
      y[j] = yj + Math.sqrt(Number.EPSILON * Math.max(1e-5, Math.abs(yj)));
      dj[j] = y[j] - yj;
    }
    f(t, y, scratch);
    for (let j = g; j < n; j += width) {
      y[j] = saved[j];
      const hi = Math.min(n - 1, j + lband);
      for (let i = Math.max(0, j - uband); i <= hi; i++)
        jb[(uband + i - j) * n + j] = (scratch[i] - f0[i]) / dj[j];
    }
  }
  return width;
}
