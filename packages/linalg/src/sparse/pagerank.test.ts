import { describe, expect, it } from 'vitest';
import { ValueError } from '../core/errors.js';
import { solve } from '../decomp/lu.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { sum } from '../ops/reduce.js';
import { CsrMatrix } from './csr.js';
import { pagerank } from './pagerank.js';

/** A graph's adjacency matrix from an edge list (the CSR builder PageRank used to carry is CsrMatrix.fromTriplets). */
function adjacency(n: number, edges: readonly [number, number][]): CsrMatrix {
  return CsrMatrix.fromTriplets(
    [n, n],
    edges.map((e) => e[0]),
    edges.map((e) => e[1]),
    edges.map(() => 1),
  );
}

describe('PageRank', () => {
  // 0→1, 0→2, 1→2, 2→0, 3→2, node 4 dangling, 3→4
  const edges: [number, number][] = [
    [0, 1],
    [0, 2],
    [1, 2],
    [2, 0],
    [3, 2],
    [3, 4],
  ];
  const n = 5;

  /** Solves (I − d(Pᵀ + v·dangᵀ)) x = (1 − d) v densely. */
  function dense(d: number, v: number[]): number[] {
    const P = new Float64Array(n * n);
    const out = new Array(n).fill(0);
    for (const [a] of edges) out[a]++;
    for (const [a, b] of edges) P[b * n + a]! += 1 / out[a];
    const M = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const dangling = out[j] === 0 ? v[i]! : 0;
        M[i * n + j] = (i === j ? 1 : 0) - d * (P[i * n + j]! + dangling);
      }
    }
    return Array.from(
      solve(fromTypedArray(M, [n, n]), array(v.map((x) => (1 - d) * x))).dataSync(),
    );
  }

  it('equals the stationary vector of the Google matrix to 1e-10, dangling node included', () => {
    const { scores } = pagerank(adjacency(n, edges));
    const ref = dense(0.85, new Array(n).fill(1 / n));
    const s = scores.dataSync();
    ref.forEach((r, i) => {
      expect(Math.abs(s[i]! - r)).toBeLessThan(1e-10);
    });
    expect(sum(scores).item()).toBeCloseTo(1, 14);
  });

  it('supports personalised teleportation and rejects bad input', () => {
    const v = [0.5, 0, 0, 0.5, 0];
    const { scores } = pagerank(adjacency(n, edges), { personalization: v, damping: 0.7 });
    const ref = dense(0.7, v);
    ref.forEach((r, i) => {
      expect(Math.abs(scores.dataSync()[i]! - r)).toBeLessThan(1e-10);
    });
    expect(() => adjacency(3, [[0, 3]])).toThrow(/outside/);
    expect(() => pagerank(adjacency(n, edges), { damping: 1 })).toThrow(ValueError);
  });
});

describe('PageRank on a CSR graph', () => {
  it('sums repeated links as weights and rejects negative weights', () => {
    // two parallel links 0→1 weigh 2 against one 0→2: node 1 receives twice node 2's share from node 0
    const g = CsrMatrix.fromTriplets([3, 3], [0, 0, 0, 1, 2], [1, 1, 2, 0, 0], [1, 1, 1, 1, 1]);
    const h = CsrMatrix.fromTriplets([3, 3], [0, 0, 1, 2], [1, 2, 0, 0], [2, 1, 1, 1]);
    const a = pagerank(g).scores.dataSync();
    const b = pagerank(h).scores.dataSync();
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i]!, 14);
    expect(() => pagerank(CsrMatrix.fromTriplets([2, 2], [0], [1], [-1]))).toThrow(ValueError);
  });
});
