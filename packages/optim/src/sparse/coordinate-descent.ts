import { type NDArray, fromTypedArray } from '@sciml/linalg';
import {
  type SparseOptions,
  type SparseResult,
  objectiveValue,
  residual,
  toProblem,
} from './problem.js';
import { softThresholdScalar } from './soft-threshold.js';

/**
 * Cyclic coordinate descent for ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖²: each coordinate is updated in closed form
 * x_j ← S_λ(a_jᵀ r_{−j}) / (‖a_j‖² + μ), keeping the residual current (Friedman, Hastie & Tibshirani 2010, J. Stat. Softw.).
 */
export function coordinateDescent(A: NDArray, b: NDArray, options: SparseOptions): SparseResult {
  const p = toProblem('coordinateDescent', A, b, options);
  const { m, n } = p;
  const lambda = options.lambda;
  const l2 = options.l2 ?? 0;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10_000;
  // columns contiguous for the inner loops
  const cols = new Float64Array(m * n);
  const colNorm = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[j * m + i] = p.A[i * n + j]!;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += cols[j * m + i]! ** 2;
    colNorm[j] = s;
  }
  const x = options.x0 ? Float64Array.from(options.x0) : new Float64Array(n);
  const r = residual(p, x); // r = Ax − b
  for (let k = 1; k <= maxIter; k++) {
    let change = 0;
    let scale = 0;
    for (let j = 0; j < n; j++) {
      const denom = colNorm[j]! + l2;
      if (denom === 0) continue;
      const off = j * m;
      let rho = 0;
      for (let i = 0; i < m; i++) rho += cols[off + i]! * r[i]!;
      // a_jᵀ(b − A x + a_j x_j) = −a_jᵀr + ‖a_j‖² x_j
      const old = x[j]!;
      const z = -rho + colNorm[j]! * old;
      const updated = softThresholdScalar(z, lambda) / denom;
      if (updated !== old) {
        const d = updated - old;
        for (let i = 0; i < m; i++) r[i]! += d * cols[off + i]!;
        x[j] = updated;
        change = Math.max(change, Math.abs(d));
      }
      scale = Math.max(scale, Math.abs(updated));
    }
    if (change <= tol * Math.max(scale, 1e-300)) {
      return {
        x: fromTypedArray(x),
        objective: objectiveValue(p, x, lambda, l2),
        nit: k,
        success: true,
      };
    }
  }
  return {
    x: fromTypedArray(x),
    objective: objectiveValue(p, x, lambda, l2),
    nit: maxIter,
    success: false,
  };
}
