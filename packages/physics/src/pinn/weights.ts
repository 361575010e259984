// Adaptive loss weights of a physics-informed network: learning-rate annealing from gradient statistics.
import { type PyTree, treeLeaves } from '@sciml/autodiff';
import { ValueError } from '@sciml/linalg';

/** max |g| and mean |g| over every entry of a gradient pytree. */
function gradStats(g: PyTree): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let n = 0;
  for (const leaf of treeLeaves(g)) {
    const data = leaf.dataSync() as ArrayLike<number>;
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]!);
      if (a > max) max = a;
      sum += a;
      n++;
    }
  }
  return { max, mean: n > 0 ? sum / n : 0 };
}

/**
 * One learning-rate-annealing update of loss weights (Wang, Teng & Perdikaris, SIAM J. Sci. Comput. 43
 * (2021) A3055–A3081, Algorithm 1): λ̂_k = max|∇θ L_pde| / mean|∇θ L_k|, then λ_k ← (1 − α)·λ_k + α·λ̂_k,
 * so each term's gradient is brought to the scale of the residual's. A term whose gradient is zero keeps its
 * weight (nothing to balance).
 * @param residualGrad - ∇θ of the PDE residual loss (a pytree).
 * @param termGrads - ∇θ of each other (unweighted) loss term.
 * @param weights - the current weights λ_k of those terms.
 * @param alpha - the moving-average factor α ∈ (0, 1].
 * @returns the new weights.
 * @public
 */
export function annealedWeights(
  residualGrad: PyTree,
  termGrads: readonly PyTree[],
  weights: readonly number[],
  alpha = 0.9,
): number[] {
  const op = 'annealedWeights';
  if (termGrads.length !== weights.length)
    throw new ValueError(
      op,
      `need one weight per term, got ${weights.length} for ${termGrads.length}`,
    );
  if (!(alpha > 0 && alpha <= 1))
    throw new ValueError(op, `alpha must lie in (0, 1], got ${alpha}`);
  const top = gradStats(residualGrad).max;
  return termGrads.map((g, k) => {
    const m = gradStats(g).mean;
    const w = weights[k]!;
    if (!(m > 0) || !Number.isFinite(top)) return w;
    return (1 - alpha) * w + alpha * (top / m);
  });
}
