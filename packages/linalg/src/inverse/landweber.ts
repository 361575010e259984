import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { svdvals } from '../decomp/svd.js';
import { fromTypedArray } from '../ops/creation.js';

/** Options of {@link landweber}. */
export interface LandweberOptions {
  /** Step ω ∈ (0, 2/σ₁²); default 1/σ₁². */
  omega?: number;
  /** Number of iterations: the regularisation parameter (default 100). */
  iterations?: number;
  /** Stop early when ‖A x_k − b‖ ≤ τδ for this noise norm δ (discrepancy principle). */
  noiseNorm?: number;
  /** Safety factor τ ≥ 1 for the discrepancy stop (default 1.01). */
  tau?: number;
}

/** Landweber iterates and their residual history. */
export interface LandweberResult {
  x: NDArray;
  /** Iterations performed. */
  iterations: number;
  /** ‖A x_k − b‖ for k = 0 … iterations. */
  residualNorms: number[];
  /** Step used. */
  omega: number;
}

/**
 * Landweber iteration x_{k+1} = x_k + ω Aᵀ(b − A x_k) from x₀ = 0: gradient descent on ½‖Ax − b‖², where the
 * iteration count is the regularisation parameter (semi-convergence; Hansen, Discrete Inverse Problems §6.1).
 * With `noiseNorm` it stops by the discrepancy principle.
 */
export function landweber(A: NDArray, b: NDArray, options: LandweberOptions = {}): LandweberResult {
  if (A.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== A.shape[0]) {
    throw new ShapeError(
      'landweber',
      `needs A (m, n) and b (m,), got ${formatShape(A.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [m, n] = A.shape as [number, number];
  const a = A.dataSync();
  const bv = b.dataSync();
  const sigma1 = svdvals(A).dataSync()[0] ?? 0;
  const omega = options.omega ?? (sigma1 > 0 ? 1 / (sigma1 * sigma1) : 1);
  if (!(omega > 0) || (sigma1 > 0 && omega >= 2 / (sigma1 * sigma1))) {
    throw new ValueError(
      'landweber',
      `omega must lie in (0, 2/σ₁²) = (0, ${(2 / sigma1 ** 2).toExponential(3)}), got ${omega}`,
    );
  }
  const maxIter = options.iterations ?? 100;
  const stopAt = options.noiseNorm !== undefined ? options.noiseNorm * (options.tau ?? 1.01) : -1;
  const x = new Float64Array(n);
  const r = Float64Array.from(bv);
  const norm = () => Math.sqrt(r.reduce((s, v) => s + v * v, 0));
  const residualNorms = [norm()];
  let k = 0;
  while (k < maxIter && residualNorms[k]! > stopAt) {
    // x += ω Aᵀ r, then r = b − A x
    for (let i = 0; i < m; i++) {
      const ri = omega * r[i]!;
      for (let j = 0; j < n; j++) x[j]! += a[i * n + j]! * ri;
    }
    for (let i = 0; i < m; i++) {
      let s = bv[i]!;
      for (let j = 0; j < n; j++) s -= a[i * n + j]! * x[j]!;
      r[i] = s;
    }
    k++;
    residualNorms.push(norm());
  }
  return { x: fromTypedArray(x), iterations: k, residualNorms, omega };
}
