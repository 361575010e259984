import { ConvergenceError, ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import type { SparseMatrix } from './coo.js';

/** Options of {@link pagerank}. @public */
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
 * PageRank (Brin & Page 1998) of the directed graph whose adjacency matrix is `graph` (entry (i, j) = weight of
 * the link i → j, non-negative; build it with `CsrMatrix.fromTriplets([n, n], from, to, weights)`, where
 * repeated links add up): the stationary distribution of the Google matrix G = dPᵀ + (1 − d)v1ᵀ, where P
 * row-normalises the out-links and dangling nodes (no out-links) jump according to v, by the power method
 * x ← d(Pᵀx + (Σ_dangling x)v) + (1 − d)v (Langville & Meyer, Google's PageRank and Beyond, ch. 4). Each
 * iteration is one transposed CSR product, O(nnz).
 * @example
 * ```ts
 * const links = CsrMatrix.fromTriplets([3, 3], [0, 1, 2], [1, 2, 0], [1, 1, 1]);
 * const { scores } = pagerank(links); // a 3-cycle: [1/3, 1/3, 1/3]
 * ```
 * @public
 */
export function pagerank(
  graph: SparseMatrix,
  options: PageRankOptions = {},
): { scores: NDArray; iterations: number } {
  const A = graph.toCsr();
  const [n, cols] = A.shape;
  if (n !== cols || n === 0)
    throw new ShapeError(
      'pagerank',
      `the adjacency matrix must be square and non-empty, got ${n}×${cols}`,
    );
  const d = options.damping ?? 0.85;
  if (!(d >= 0 && d < 1)) throw new ValueError('pagerank', `damping must lie in [0, 1), got ${d}`);
  const tol = options.tol ?? 1e-12;
  for (let k = 0; k < A.nnz; k++) {
    if (!(A.data[k]! >= 0))
      throw new ValueError(
        'pagerank',
        `link weights must be non-negative and finite, got ${A.data[k]}`,
      );
  }
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
  const outWeight = A.matvec(new Float64Array(n).fill(1));
  let x = v.slice();
  const share = new Float64Array(n);
  const next = new Float64Array(n);
  const maxIter = options.maxIter ?? 1000;
  for (let it = 1; it <= maxIter; it++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) {
        dangling += x[i]!;
        share[i] = 0;
      } else share[i] = x[i]! / outWeight[i]!;
    }
    A.rmatvec(share, next);
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
