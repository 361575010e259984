import { type PyTree, treeLeaves, treeMap } from '@sciml/autodiff';
import { clip, mul, sum } from '@sciml/linalg';

/** Clips every gradient entry into [−c, c]. */
export function clipByValue<T extends PyTree>(grads: T, c: number): T {
  return treeMap((g) => clip(g, -c, c), grads);
}

/** Global ℓ2 norm √(Σ‖g_i‖²) over all leaves of a gradient pytree. */
export function globalNorm(grads: PyTree): number {
  let s = 0;
  for (const g of treeLeaves(grads)) s += sum(mul(g, g)).item();
  return Math.sqrt(s);
}

/** Rescales the whole gradient pytree so its global norm is at most `maxNorm` (Pascanu et al. 2013). */
export function clipByGlobalNorm<T extends PyTree>(grads: T, maxNorm: number): T {
  const n = globalNorm(grads);
  if (n <= maxNorm || n === 0) return grads;
  const factor = maxNorm / n;
  return treeMap((g) => mul(g, factor), grads);
}
