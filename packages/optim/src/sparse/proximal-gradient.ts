import { type NDArray, fromTypedArray } from '@sciml/linalg';
import {
  type SparseOptions,
  type SparseResult,
  adjoint,
  objectiveValue,
  residual,
  toProblem,
} from './problem.js';
import { softThresholdScalar } from './soft-threshold.js';

function smoothPart(r: Float64Array, x: Float64Array, l2: number): number {
  let s = 0;
  for (const v of r) s += v * v;
  let sq = 0;
  for (const v of x) sq += v * v;
  return 0.5 * s + 0.5 * l2 * sq;
}

/**
 * Proximal gradient for ½‖Ax − b‖² + λ‖x‖₁ + (μ/2)‖x‖² with backtracking on the Lipschitz constant:
 * ISTA, or FISTA with Nesterov momentum t_{k+1} = (1 + √(1 + 4t_k²))/2 (Beck & Teboulle 2009, SIAM J. Imaging Sci.)
 * and gradient-based adaptive restart (O'Donoghue & Candès 2015, Found. Comput. Math.).
 */
function proximalGradient(
  A: NDArray,
  b: NDArray,
  options: SparseOptions,
  accelerated: boolean,
): SparseResult {
  const op = accelerated ? 'fista' : 'ista';
  const p = toProblem(op, A, b, options);
  const { n } = p;
  const lambda = options.lambda;
  const l2 = options.l2 ?? 0;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10_000;
  let x = options.x0 ? Float64Array.from(options.x0) : new Float64Array(n);
  let y = x.slice();
  let t = 1;
  let L = 1;
  const r = new Float64Array(p.m);
  const g = new Float64Array(n);
  const xNew = new Float64Array(n);
  for (let k = 1; k <= maxIter; k++) {
    residual(p, y, r);
    adjoint(p, r, g);
    for (let j = 0; j < n; j++) g[j]! += l2 * y[j]!;
    const fy = smoothPart(r, y, l2);
    // backtracking: find L with f(x⁺) ≤ f(y) + ∇f(y)ᵀ(x⁺ − y) + (L/2)‖x⁺ − y‖²
    for (;;) {
      for (let j = 0; j < n; j++) xNew[j] = softThresholdScalar(y[j]! - g[j]! / L, lambda / L);
      const fx = smoothPart(residual(p, xNew), xNew, l2);
      let lin = 0;
      let sq = 0;
      for (let j = 0; j < n; j++) {
        const d = xNew[j]! - y[j]!;
        lin += g[j]! * d;
        sq += d * d;
      }
      if (fx <= fy + lin + 0.5 * L * sq + 1e-12 * Math.abs(fy)) break;
      L *= 2;
    }
    let change = 0;
    let scale = 0;
    for (let j = 0; j < n; j++) {
      change = Math.max(change, Math.abs(xNew[j]! - x[j]!));
      scale = Math.max(scale, Math.abs(xNew[j]!));
    }
    if (accelerated) {
      // adaptive restart (O'Donoghue & Candès 2015): drop the momentum when it points uphill,
      // i.e. when (y − x⁺)ᵀ(x⁺ − x) > 0; this restores linear convergence on strongly convex problems
      let uphill = 0;
      for (let j = 0; j < n; j++) uphill += (y[j]! - xNew[j]!) * (xNew[j]! - x[j]!);
      if (uphill > 0) t = 1;
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const w = (t - 1) / tNext;
      y = Float64Array.from(xNew, (v, j) => v + w * (v - x[j]!));
      t = tNext;
    } else y = xNew.slice();
    x = xNew.slice();
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

/** ISTA: iterative shrinkage-thresholding for LASSO / elastic net (Daubechies, Defrise & De Mol 2004). */
export function ista(A: NDArray, b: NDArray, options: SparseOptions): SparseResult {
  return proximalGradient(A, b, options, false);
}

/** FISTA: accelerated ISTA with O(1/k²) convergence (Beck & Teboulle 2009). */
export function fista(A: NDArray, b: NDArray, options: SparseOptions): SparseResult {
  return proximalGradient(A, b, options, true);
}
