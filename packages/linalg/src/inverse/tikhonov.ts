import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { lstsq } from '../decomp/lstsq.js';
import { fromTypedArray, zeros } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { concat } from '../ops/shape.js';
import { filteredSolution, svdSystem, tikhonovFilterFactors } from './svd-filter.js';

/** Options of {@link tikhonov}. */
export interface TikhonovOptions {
  /** Regularisation operator L (p×n); default the identity (ridge regression). See `differenceOperator`. */
  L?: NDArray;
}

/**
 * Tikhonov regularisation: argmin ‖A x − b‖² + α²‖L x‖², solved stably as the augmented least-squares problem
 * [A; αL] x ≈ [b; 0] (Aster, Borchers & Thurber, Parameter Estimation and Inverse Problems, eqs. 4.4 and 4.27).
 * With L = I (default) this is ridge regression, computed by SVD filtering with fᵢ = σᵢ²/(σᵢ² + α²).
 */
export function tikhonov(
  A: NDArray,
  b: NDArray,
  alpha: number,
  options: TikhonovOptions = {},
): NDArray {
  if (!(alpha >= 0) || !Number.isFinite(alpha))
    throw new ValueError('tikhonov', `alpha must be finite and ≥ 0, got ${alpha}`);
  if (A.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== A.shape[0]) {
    throw new ShapeError(
      'tikhonov',
      `needs A (m, n) and b (m,), got ${formatShape(A.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const { L } = options;
  if (!L) {
    const sys = svdSystem(A, b);
    return filteredSolution(sys, tikhonovFilterFactors(sys.s, alpha));
  }
  if (L.ndim !== 2 || L.shape[1] !== A.shape[1]) {
    throw new ShapeError(
      'tikhonov',
      `L must have ${A.shape[1]} columns like A, got ${formatShape(L.shape)}`,
    );
  }
  const augmented = concat([A, mul(L, alpha)], { axis: 0 });
  const rhs = concat([b, zeros([L.shape[0]!])], { axis: 0 });
  return lstsq(augmented, rhs).x;
}

/** Ridge regression argmin ‖A x − b‖² + α²‖x‖² (Tikhonov with L = I). */
export function ridge(A: NDArray, b: NDArray, alpha: number): NDArray {
  return tikhonov(A, b, alpha);
}

/**
 * Model-resolution matrix R = A^♯A of the Tikhonov (L = I) estimate, R = V diag(fᵢ) Vᵀ: row i shows how the
 * estimate of parameter i averages the true model (Aster et al. §4.4); R → I as α → 0 for full column rank.
 */
export function resolutionMatrix(A: NDArray, alpha: number): NDArray {
  const b = zeros([A.shape[0]!]);
  const sys = svdSystem(A, b);
  const f = tikhonovFilterFactors(sys.s, alpha);
  const { n, Vt } = sys;
  const R = new Float64Array(n * n);
  for (let i = 0; i < sys.s.length; i++) {
    const row = i * n;
    for (let p = 0; p < n; p++) {
      const c = f[i]! * Vt[row + p]!;
      if (c === 0) continue;
      for (let q = 0; q < n; q++) R[p * n + q]! += c * Vt[row + q]!;
    }
  }
  return fromTypedArray(R, [n, n]);
}
