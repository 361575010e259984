/**
 * Forward-difference Jacobian ∂f/∂y with Hairer's per-component increments
 * δⱼ = √(u · max(10⁻⁵, |yⱼ|)), u = 2⁻⁵² (`radau5.f`, Hairer–Wanner II, §IV.8): the increment follows the
 * component's scale, so tiny components (Robertson's y₂ ≈ 10⁻⁵) are not swamped.
 */
import type { OdeRhsInPlace } from './types.js';

/**
 * Fills `jac` (n×n row-major, jac[i·n + j] = ∂fᵢ/∂yⱼ) by forward differences of the in-place `f` at (t, y).
 * `f0` must hold f(t, y). Costs n evaluations of f; `y` is restored on return.
 * @public
 */
export function finiteDifferenceJacobian(
  f: OdeRhsInPlace,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  jac: Float64Array,
  scratch: Float64Array = new Float64Array(y.length),
): void {
  const n = y.length;
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
}
