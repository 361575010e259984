import { ConvergenceError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';

/** A directed graph in compressed sparse row form: the out-links of node i are `indices[indptr[i] … indptr[i+1])`. */
export interface CsrGraph {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** Optional positive edge weights (default 1). */
  weights?: Float64Array;
}

/** Builds a CSR graph from an edge list [from, to] (or [from, to, weight]); duplicate edges add their weights. */
export function csrFromEdges(
  n: number,
  edges: readonly (readonly [number, number] | readonly [number, number, number])[],
): CsrGraph {
  if (!Number.isInteger(n) || n <= 0)
    throw new ValueError('csrFromEdges', `n must be a positive integer, got ${n}`);
  const counts = new Int32Array(n + 1);
  for (const e of edges) {
    const [u, v] = e;
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= n || v >= n) {
      throw new ValueError('csrFromEdges', `edge [${u}, ${v}] refers to a node outside 0…${n - 1}`);
    }
    if (e.length === 3 && !(e[2]! > 0))
      throw new ValueError('csrFromEdges', `edge weights must be positive, got ${e[2]}`);
    counts[u + 1]!++;
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const indices = new Int32Array(edges.length);
  const weights = new Float64Array(edges.length);
  const fill = counts.slice(0, n);
  for (const e of edges) {
    const at = fill[e[0]]!++;
    indices[at] = e[1];
    weights[at] = e.length === 3 ? e[2]! : 1;
  }
  return { n, indptr: counts, indices, weights };
}

/** Options of {@link pagerank}. */
export interface PageRankOptions {
  /** Damping factor d (probability of following a link; default 0.85). */
  damping?: number;
  /** Stop when ‖x_{k+1} − x_k‖₁ < tol (default 1e-12). */
  tol?: number;
  /** Iteration limit (default 1000). */
  maxIter?: number;
  /** Teleportation distribution (default uniform); normalised to sum 1. */
  personalization?: ArrayLike<number>;
}

/**
 * PageRank (Brin & Page 1998): the stationary distribution of the Google matrix G = dPᵀ + (1 − d)v1ᵀ, where P
 * row-normalises the out-links and dangling nodes (no out-links) jump according to v, by the power method
 * x ← d(Pᵀx + (Σ_dangling x)v) + (1 − d)v (Langville & Meyer, Google's PageRank and Beyond, ch. 4).
 */
export function pagerank(
  graph: CsrGraph,
  options: PageRankOptions = {},
): { scores: NDArray; iterations: number } {
  const { n, indptr, indices } = graph;
  const d = options.damping ?? 0.85;
  if (!(d >= 0 && d < 1)) throw new ValueError('pagerank', `damping must lie in [0, 1), got ${d}`);
  const tol = options.tol ?? 1e-12;
  const w = graph.weights ?? new Float64Array(indices.length).fill(1);
  const v = new Float64Array(n).fill(1 / n);
  if (options.personalization) {
    const p = options.personalization;
    if (p.length !== n)
      throw new ValueError('pagerank', `personalization has ${p.length} entries for ${n} nodes`);
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (!(p[i]! >= 0))
        throw new ValueError('pagerank', 'personalization entries must be non-negative');
      s += p[i]!;
    }
    if (!(s > 0)) throw new ValueError('pagerank', 'personalization must have a positive sum');
    for (let i = 0; i < n; i++) v[i] = p[i]! / s;
  }
  const outWeight = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) outWeight[i]! += w[k]!;
  let x = v.slice();
  const next = new Float64Array(n);
  const maxIter = options.maxIter ?? 1000;
  for (let it = 1; it <= maxIter; it++) {
    next.fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) {
        dangling += x[i]!;
        continue;
      }
      const share = x[i]! / outWeight[i]!;
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) next[indices[k]!]! += share * w[k]!;
    }
    let diff = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      next[i] = d * (next[i]! + dangling * v[i]!) + (1 - d) * v[i]!;
      total += next[i]!;
    }
    // renormalise against rounding drift so the result stays a distribution
    for (let i = 0; i < n; i++) {
      next[i]! /= total;
      diff += Math.abs(next[i]! - x[i]!);
    }
    x = next.slice();
    if (diff < tol) return { scores: fromTypedArray(x), iterations: it };
  }
  throw new ConvergenceError(
    'pagerank',
    `no convergence to ${tol} in ${maxIter} iterations; raise maxIter or lower the damping`,
    maxIter,
  );
}
