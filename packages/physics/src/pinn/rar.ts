// Residual-based adaptive refinement of collocation points.
import { type NDArray, abs, concat, fromTypedArray, sum, take } from '@sciml/linalg';
import type { Derivatives, Field } from './derivatives.js';
import { derivativesAt } from './derivatives.js';

/**
 * Residual-based adaptive refinement, RAR (Lu, Meng, Mao & Karniadakis, SIAM Rev. 63 (2021) 208–228, §2.8):
 * evaluates |N[u]| at many candidate points and returns the current points plus the `add` candidates where
 * the residual is largest, so training concentrates where the equation is worst satisfied (steep fronts).
 * @public
 */
export function rarRefine(
  u: Field,
  residual: (D: Derivatives) => NDArray,
  points: NDArray,
  candidates: NDArray,
  add: number,
): { points: NDArray; added: NDArray; residuals: Float64Array } {
  const r = sum(abs(residual(derivativesAt(u, candidates))), { axis: 1 }).dataSync();
  const residuals = Float64Array.from(r as ArrayLike<number>);
  const order = Array.from(residuals.keys()).sort((i, j) => residuals[j]! - residuals[i]!);
  const k = Math.max(0, Math.min(add, order.length));
  const idx = fromTypedArray(Int32Array.from(order.slice(0, k)), [k]);
  const added = take(candidates, idx, 0);
  return { points: concat([points, added], { axis: 0 }), added, residuals };
}
