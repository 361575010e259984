/**
 * Sparse linear algebra of `@sciml/linalg/sparse` against mathjs (15.2.0, the most downloaded and actively
 * maintained JS library with a sparse matrix type: `SparseMatrix`, CSC storage) and graphology-metrics (2.4.2,
 * the maintained JS graph library's PageRank). Run with `pnpm bench sparse`.
 *
 * - spmv on the 2-D Poisson matrix of a 1000×1000 grid (10⁶ unknowns, 4 996 000 stored entries): our
 *   `CsrMatrix.matvec` (the wasm kernel on a resident copy of the matrix, split over the worker pool) and our
 *   plain TypeScript loop, each against `math.multiply(SparseMatrix, DenseMatrix)`; throughput counts 2·nnz flops.
 * - 2 iterations of unpreconditioned CG on the same system: our `cg` against the same textbook CG written with
 *   mathjs operations (`multiply`, `dot`, `add`, `subtract`), so both run the identical algorithm on their
 *   own kernels; verified by equal residual norms after 2 iterations (the per-iteration cost is what is compared;
 *   20 iterations × 6 runs of the mathjs side did not finish in 15 minutes on a quiet 2-core machine). (mathjs ships no iterative solver; a full
 *   solve takes ~3 000 iterations, which mathjs's spmv makes impractical to time.)
 * - PageRank (d = 0.85) on a 10⁶-node power-law graph (out-degree 1…8, in-degree ∝ rank^(−2/3) by sampling
 *   targets as ⌊n·u³⌋; dangling nodes included): our `pagerank` on a CSR adjacency against graphology-metrics'
 *   `pagerank` on a multi-digraph with the same edges, both stopping at ‖x_{k+1} − x_k‖₁ < 1e-10 (graphology's
 *   test is error < N·tolerance, so it gets tolerance = 1e-10/N); the iteration counts are printed.
 *
 * SCIML_BENCH_SPARSE_NX=200 shrinks the grid and the graph (n = NX²) for a quick smoke test.
 * Set SCIML_BENCH_SPARSE_FULL=1 to also print a full CG solve (rtol 1e-6) of the 10⁶ system, plain and
 * with SSOR and ILU(0), iterations and seconds (ours only; minutes on a loaded machine).
 */
import { createRequire } from 'node:module';
import { MultiDirectedGraph } from 'graphology';
import { Generator } from '@sciml/linalg';
import { spmvReference } from '@sciml/linalg/kernels';
import {
  CsrMatrix,
  cg,
  ilu0,
  pagerank,
  sparseDiags,
  sparseEye,
  sparseKron,
  ssor,
} from '@sciml/linalg/sparse';
import { all, create } from 'mathjs';
import { runBenchmark } from './harness/index.js';

const math = create(all);
// graphology-metrics ships CommonJS whose default export the ESM type declarations do not describe
const pagerankGraphology = createRequire(import.meta.url)(
  'graphology-metrics/centrality/pagerank',
) as (
  graph: MultiDirectedGraph,
  options: { alpha: number; tolerance: number; maxIterations: number; getEdgeWeight: null },
) => Record<string, number>;

// ---------------------------------------------------------------- 2-D Poisson, 10⁶ unknowns
/** Grid side (10⁶ unknowns at 1000); SCIML_BENCH_SPARSE_NX shrinks it for a smoke test. */
const NX = Number(process.env.SCIML_BENCH_SPARSE_NX ?? 1000);
const T = sparseDiags([-1, 2, -1], [-1, 0, 1], [NX, NX]);
const A = sparseKron(sparseEye(NX), T).add(sparseKron(T, sparseEye(NX)));
const N = A.shape[0];
const csc = A.toCsc();
// mathjs's instance type omits the SparseMatrix class; its fromJSON takes the CSC arrays as they are
const Am = (
  math as unknown as { SparseMatrix: { fromJSON(json: object): math.Matrix } }
).SparseMatrix.fromJSON({
  mathjs: 'SparseMatrix',
  values: Array.from(csc.data),
  index: Array.from(csc.indices),
  ptr: Array.from(csc.indptr),
  size: [N, N],
  datatype: 'number',
});
const xVec = Float64Array.from({ length: N }, (_, i) => Math.sin(i));
const xMath = math.matrix(Array.from(xVec), 'dense', 'number');
const yOurs = new Float64Array(N);
const b = A.matvec(Float64Array.from({ length: N }, (_, i) => Math.cos(i / 7)));
const bMath = math.matrix(Array.from(b), 'dense', 'number');
console.error(`  built: Poisson ${NX}×${NX}, n = ${N}, nnz = ${A.nnz}`);

/** A mathjs N×1 result (sparse or dense) as a flat array. */
const toArray = (m: unknown): number[] =>
  ((m as math.Matrix).toArray() as number[][]).map((row) => row[0]!);

/** Textbook CG (Hestenes–Stiefel) from x = 0 in mathjs operations, `iters` steps; returns ‖r‖. */
function mathjsCg(iters: number): number {
  // vectors as dense 1-D mathjs matrices; A·p through the SparseMatrix product (an N×1 sparse result)
  let x = math.zeros([N], 'dense') as math.Matrix;
  let r = bMath;
  let p = r;
  let rr = math.dot(r, r) as number;
  for (let k = 0; k < iters; k++) {
    const Ap = math.matrix(toArray(math.multiply(Am, p)), 'dense', 'number');
    const alpha = rr / (math.dot(p, Ap) as number);
    x = math.add(x, math.multiply(p, alpha)) as math.Matrix;
    r = math.subtract(r, math.multiply(Ap, alpha)) as math.Matrix;
    const rrNew = math.dot(r, r) as number;
    p = math.add(r, math.multiply(p, rrNew / rr)) as math.Matrix;
    rr = rrNew;
  }
  return Math.sqrt(rr);
}
const CG_ITERS = 2;
const oursCg = () => cg(A, b, { maxIter: CG_ITERS, rtol: 0 });

// ---------------------------------------------------------------- PageRank, 10⁶-node power-law graph
const rng = new Generator(24);
const from: number[] = [];
const to: number[] = [];
for (let i = 0; i < N; i++) {
  // every 20th node is dangling; the others link to 1…8 targets biased towards low indices
  if (i % 20 === 0) continue;
  const deg = 1 + Math.floor(rng.nextFloat() * 8);
  for (let k = 0; k < deg; k++) {
    from.push(i);
    to.push(Math.floor(N * rng.nextFloat() ** 3));
  }
}
const graph = CsrMatrix.fromTriplets([N, N], from, to, new Float64Array(from.length).fill(1));
const g = new MultiDirectedGraph();
for (let i = 0; i < N; i++) g.addNode(i);
for (let k = 0; k < from.length; k++) g.addEdge(from[k]!, to[k]!);
console.error(`  built: power-law graph, ${N} nodes, ${from.length} links (${graph.nnz} distinct)`);
const PR_TOL = 1e-10;
const oursPr = () => pagerank(graph, { tol: PR_TOL });
const peerPr = () =>
  pagerankGraphology(g, {
    alpha: 0.85,
    tolerance: PR_TOL / N,
    maxIterations: 1000,
    getEdgeWeight: null,
  });
const prIterations = oursPr().iterations;

await runBenchmark({
  name: 'sparse',
  warmup: 1,
  reps: 3,
  minSampleMs: 0,
  cases: [
    {
      case: `spmv 2-D Poisson n=${N} nnz=${A.nnz} float64`,
      ours: () => A.matvec(xVec, yOurs),
      peer: () => math.multiply(Am, xMath),
      peerName: 'mathjs SparseMatrix multiply',
      work: 2 * A.nnz,
      unit: 'GFLOP/s',
      verify: (ours, peer) => {
        const y = ours as Float64Array;
        const z = toArray(peer);
        for (let i = 0; i < N; i++)
          if (Math.abs(y[i]! - z[i]!) > 1e-12) throw new Error(`spmv differs at ${i}`);
      },
    },
    {
      // the same product through the plain TypeScript loop (what a one-off product runs; from the second product
      // with a matrix, A.matvec above runs the wasm kernel on a resident copy, split over the worker pool)
      case: `spmv TypeScript loop (reference kernel) n=${N} nnz=${A.nnz}`,
      ours: () => {
        spmvReference(N, A, xVec, yOurs);
        return yOurs;
      },
      peer: () => math.multiply(Am, xMath),
      peerName: 'mathjs SparseMatrix multiply',
      work: 2 * A.nnz,
      unit: 'GFLOP/s',
    },
    {
      case: `CG ${CG_ITERS} iterations 2-D Poisson n=${N}`,
      ours: oursCg,
      peer: () => mathjsCg(CG_ITERS),
      peerName: 'textbook CG in mathjs ops',
      verify: (ours, peer) => {
        const mine = (ours as ReturnType<typeof cg>).residualNorm;
        const theirs = peer as number;
        if (Math.abs(mine - theirs) > 1e-8 * theirs)
          throw new Error(`residuals differ: ${mine} vs ${theirs}`);
      },
    },
    {
      case: `PageRank ${N} nodes ${from.length} links (${prIterations} iterations to ‖Δx‖₁ < 1e-10)`,
      ours: oursPr,
      peer: peerPr,
      peerName: 'graphology-metrics pagerank',
      verify: (ours, peer) => {
        const s = (ours as ReturnType<typeof pagerank>).scores.dataSync();
        const p = peer as Record<string, number>;
        let l1 = 0;
        for (let i = 0; i < N; i++) l1 += Math.abs(s[i]! - p[String(i)]!);
        if (l1 > 1e-8) throw new Error(`PageRank vectors differ by ${l1} in ℓ1`);
      },
    },
  ],
});

if (process.env.SCIML_BENCH_SPARSE_FULL === '1') {
  for (const [name, M] of [
    ['none', undefined],
    ['SSOR(1.9)', ssor(A, { omega: 1.9 })],
    ['ILU(0)', ilu0(A)],
  ] as const) {
    const t0 = performance.now();
    const res = cg(A, b, { rtol: 1e-6, M, maxIter: 20_000 });
    console.log(
      `CG to rtol 1e-6, preconditioner ${name}: ${res.iterations} iterations, ${((performance.now() - t0) / 1000).toFixed(1)} s, converged ${res.converged}`,
    );
  }
}
