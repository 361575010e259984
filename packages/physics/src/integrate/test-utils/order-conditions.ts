/**
 * Butcher's order conditions for explicit Runge–Kutta tableaux (Hairer, Nørsett & Wanner I, §II.2): a method has
 * order p when Σ bᵢ Φᵢ(t) = 1/γ(t) for every rooted tree t with at most p nodes. Test helper.
 */
import type { ButcherTableau } from '../tableau.js';

/** A rooted tree as the list of its children's subtrees (Butcher's order theory). */
export type Tree = Tree[];

export function size(t: Tree): number {
  return 1 + t.reduce((s, c) => s + size(c), 0);
}

const treeCache = new Map<number, Tree[]>();

/** All rooted trees with `n` nodes (unordered: children kept in a canonical non-increasing order). */
export function trees(n: number): Tree[] {
  const cached = treeCache.get(n);
  if (cached !== undefined) return cached;
  const out = enumerate(n);
  treeCache.set(n, out);
  return out;
}

function enumerate(n: number): Tree[] {
  if (n === 1) return [[]];
  const out: Tree[] = [];
  const key = (t: Tree): string => `[${t.map(key).sort().join(',')}]`;
  const seen = new Set<string>();
  // children: multisets of trees whose sizes sum to n − 1
  const build = (remaining: number, maxSize: number, acc: Tree[]): void => {
    if (remaining === 0) {
      const k = key(acc);
      if (!seen.has(k)) {
        seen.add(k);
        out.push([...acc]);
      }
      return;
    }
    for (let s = Math.min(remaining, maxSize); s >= 1; s--) {
      for (const sub of trees(s)) build(remaining - s, s, [...acc, sub]);
    }
  };
  build(n - 1, n - 1, []);
  return out;
}

/** Density γ(t) = |t| Π γ(children). */
export function gamma(t: Tree): number {
  return size(t) * t.reduce((p, c) => p * gamma(c), 1);
}

/** Elementary weight vector Φ(t)ᵢ = Πchildren (A Φ(child))ᵢ, so the condition reads Σ bᵢ Φᵢ(t) = 1/γ(t). */
export function phi(tab: ButcherTableau, t: Tree): number[] {
  const s = tab.stages;
  const out = new Array(s).fill(1);
  for (const child of t) {
    const pc = phi(tab, child);
    for (let i = 0; i < s; i++) {
      let acc = 0;
      for (let j = 0; j < i; j++) acc += tab.A[i][j] * pc[j];
      out[i] *= acc;
    }
  }
  return out;
}

/** Largest p such that every order condition up to p holds for weights w (to `tol`). */
export function orderOf(tab: ButcherTableau, w: readonly number[], tol = 1e-13, maxP = 6): number {
  for (let p = 1; p <= maxP; p++) {
    for (const t of trees(p)) {
      const ph = phi(tab, t);
      const lhs = ph.reduce((s, v, i) => s + w[i] * v, 0);
      if (Math.abs(lhs - 1 / gamma(t)) > tol) return p - 1;
    }
  }
  return maxP;
}
