/**
 * Decompositions at n = 100, 200, 500, 1000 (float64), side by side with ml-matrix and jax-js
 * (wasm backend, float64): SVD, symmetric eigendecomposition, QR and LU solve, plus randomized
 * SVD of a rank-20 2000×2000 matrix against our full SVD. Run with `pnpm bench decomp`
 * (`SCIML_DECOMP_SIZES=100,200` for a quick look).
 *
 * Every case also reports the scaled residual of each contender's result, the LAPACK test
 * measure: ‖A − U S Vᵀ‖/(‖A‖ n ε) for SVD, ‖A V − V Λ‖/(‖A‖ n ε) for eigh, ‖A − Q R‖/(‖A‖ n ε)
 * for QR and ‖A x − b‖/(‖A‖ ‖x‖ n ε) for the solve (30 or less is LAPACK-grade). Residuals are
 * printed after the timing table and written to `results/decomp-residuals.json`.
 *
 * jax-js runs SVD and eigh only up to n = 200 (at 500 a single call takes minutes); it has no QR.
 * Timed calls include building the result objects each library returns (NDArrays, ml-matrix
 * Matrices, jax-js arrays read back with `data()`). The tall-skinny QR row also times our own
 * pre-TSQR Householder QR on the same matrix (`householderQrF64`), the "before" of TSQR.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kernels from '@sciml/linalg/kernels';
import { Generator, eigh, fromTypedArray, qr, randomizedSvd, solve, svd } from '@sciml/linalg';
import { EigenvalueDecomposition, Matrix, QrDecomposition, SVD, solve as mlSolve } from 'ml-matrix';
import {
  type BenchCase,
  DEFAULT_OUT_DIR,
  loadJaxJsWasm,
  type Peer,
  runBenchmark,
} from './harness/index.js';

// the kernel API (gemm, sum/dot, tanh, pool control) lives on the @sciml/linalg/kernels subpath

const jax = await loadJaxJsWasm();
const np = jax.numpy;
await kernels.kernelPoolReady();

const SIZES = (process.env.SCIML_DECOMP_SIZES ?? '100,200,500,1000').split(',').map(Number);
const JAX_MAX = 200;
const EPS = Number.EPSILON;
const rng = new Generator(2026);

function gaussian(length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextNormal();
  return out;
}

function toMatrix(a: Float64Array, m: number, n: number): Matrix {
  const out = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.set(i, j, a[i * n + j]!);
  return out;
}

function fromMatrix(x: Matrix): Float64Array {
  return Float64Array.from(x.to1DArray());
}

function frob(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** C = A·B (A m×k, B k×n) through our wasm GEMM. */
function mm(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  kernels.gemmF64(m, n, k, a, b, c, false, transB);
  return c;
}

const residuals: { case: string; contender: string; residual: number }[] = [];
function record(name: string, contender: string, residual: number): void {
  residuals.push({ case: name, contender, residual });
}

/** ‖A − U diag(s) Vt‖ / (‖A‖ m ε) for the m×n A (m ≥ n), U m×n, Vt n×n row-major. */
function svdResidual(
  a: Float64Array,
  m: number,
  n: number,
  u: Float64Array,
  s: ArrayLike<number>,
  vt: Float64Array,
): number {
  const us = u.map((v, e) => v * s[e % n]!);
  const rec = mm(us, vt, m, n, n);
  return frob(rec.map((v, e) => v - a[e]!)) / (frob(a) * m * EPS);
}

function eighResidual(a: Float64Array, n: number, w: ArrayLike<number>, v: Float64Array): number {
  const av = mm(a, v, n, n, n);
  return frob(av.map((x, e) => x - v[e]! * w[e % n]!)) / (frob(a) * n * EPS);
}

/** ‖A − Q R‖ / (‖A‖ m ε) for the m×n A (m ≥ n), Q m×n, R n×n row-major. */
function qrResidual(
  a: Float64Array,
  m: number,
  n: number,
  q: Float64Array,
  r: Float64Array,
): number {
  const rec = mm(q, r, m, n, n);
  return frob(rec.map((v, e) => v - a[e]!)) / (frob(a) * m * EPS);
}

function solveResidual(a: Float64Array, n: number, x: ArrayLike<number>, b: Float64Array): number {
  const ax = mm(a, Float64Array.from(x), n, n, 1);
  return frob(ax.map((v, i) => v - b[i]!)) / (frob(a) * frob(x) * n * EPS);
}

/** A verify hook that records both residuals and rejects a contender whose result is wrong. */
function checked(
  name: string,
  residualOf: (result: unknown) => number,
): (ours: unknown, peer: unknown, peerName: string) => void {
  let oursDone = false;
  return (ours, peer, peerName) => {
    if (!oursDone) {
      record(name, '@sciml', residualOf(ours));
      oursDone = true;
    }
    const r = residualOf(peer);
    record(name, peerName, r);
    if (!(r < 1e6)) throw new Error(`${name}: ${peerName} residual ${r}; not the same computation`);
  };
}

interface Factors {
  u?: Float64Array;
  s?: ArrayLike<number>;
  vt?: Float64Array;
  x?: ArrayLike<number>;
}

/** qr (ours) against ml-matrix's QrDecomposition of the same m×n matrix (m ≥ n), residuals recorded. */
function qrCase(
  name: string,
  a: Float64Array,
  m: number,
  n: number,
  A: ReturnType<typeof fromTypedArray>,
  mA: Matrix,
  extraPeers: Peer[] = [],
): BenchCase {
  return {
    case: name,
    ours: () => {
      const r = qr(A);
      return { u: r.Q.dataSync(), vt: r.R.dataSync() };
    },
    peers: [
      {
        name: 'ml-matrix QrDecomposition',
        run: () => {
          const d = new QrDecomposition(mA);
          return { u: fromMatrix(d.orthogonalMatrix), vt: fromMatrix(d.upperTriangularMatrix) };
        },
      },
      ...extraPeers,
    ],
    verify: checked(name, (f) => {
      const { u, vt } = f as Factors;
      return qrResidual(a, m, n, u!, vt!);
    }),
  };
}

const cases: BenchCase[] = [];
for (const n of SIZES) {
  const a = gaussian(n * n);
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sym[i * n + j] = (a[i * n + j]! + a[j * n + i]!) / 2;
  const b = gaussian(n);
  const A = fromTypedArray(a, [n, n]);
  const S = fromTypedArray(sym, [n, n]);
  const B = fromTypedArray(b, [n]);
  const mA = toMatrix(a, n, n);
  const mS = toMatrix(sym, n, n);
  const mB = Matrix.columnVector(Array.from(b));
  const jA = np.array(a, { dtype: np.float64 }).reshape([n, n]);
  const jS = np.array(sym, { dtype: np.float64 }).reshape([n, n]);
  const jB = np.array(b, { dtype: np.float64 }).reshape([n, 1]);
  const useJax = n <= JAX_MAX;

  // SVD: full U, S, Vᵀ
  const svdName = `svd ${n}x${n}`;
  const svdPeers: Peer[] = [
    {
      name: 'ml-matrix SVD',
      run: () => {
        const d = new SVD(mA);
        return {
          u: fromMatrix(d.leftSingularVectors),
          s: d.diagonal,
          vt: fromMatrix(d.rightSingularVectors.transpose()),
        };
      },
    },
  ];
  if (useJax) {
    svdPeers.push({
      name: 'jax-js wasm linalg.svd',
      run: async () => {
        const [u, s, vh] = np.linalg.svd(jA.ref) as unknown as [jaxArray, jaxArray, jaxArray];
        return {
          u: (await u.data()) as Float64Array,
          s: await s.data(),
          vt: (await vh.data()) as Float64Array,
        };
      },
    });
  }
  cases.push({
    case: svdName,
    ours: () => {
      const r = svd(A);
      return { u: r.U.dataSync(), s: r.S.dataSync(), vt: r.Vt.dataSync() };
    },
    peers: svdPeers,
    verify: checked(svdName, (f) => {
      const { u, s, vt } = f as Factors;
      return svdResidual(a, n, n, u!, s!, vt!);
    }),
  });

  // eigh: values ascending and vectors
  const eighName = `eigh ${n}x${n}`;
  const eighPeers: Peer[] = [
    {
      name: 'ml-matrix EigenvalueDecomposition (symmetric)',
      run: () => {
        const d = new EigenvalueDecomposition(mS, { assumeSymmetric: true });
        return { s: d.realEigenvalues, u: fromMatrix(d.eigenvectorMatrix) };
      },
    },
  ];
  if (useJax) {
    eighPeers.push({
      name: 'jax-js wasm linalg.eigh',
      run: async () => {
        const [w, v] = np.linalg.eigh(jS.ref) as unknown as [jaxArray, jaxArray];
        return { s: await w.data(), u: (await v.data()) as Float64Array };
      },
    });
  }
  cases.push({
    case: eighName,
    ours: () => {
      const r = eigh(S);
      return { s: r.values.dataSync(), u: r.vectors.dataSync() };
    },
    peers: eighPeers,
    verify: checked(eighName, (f) => {
      const { s, u } = f as Factors;
      return eighResidual(sym, n, s!, u!);
    }),
  });

  // QR (square, so reduced = complete)
  cases.push(qrCase(`qr ${n}x${n}`, a, n, n, A, mA));

  // LU solve of one right-hand side
  const solveName = `lu-solve ${n}x${n}`;
  cases.push({
    case: solveName,
    ours: () => ({ x: solve(A, B).dataSync() }),
    peers: [
      { name: 'ml-matrix solve (LU)', run: () => ({ x: mlSolve(mA, mB).to1DArray() }) },
      {
        name: 'jax-js wasm linalg.solve',
        run: async () => ({ x: await np.linalg.solve(jA.ref, jB.ref).data() }),
      },
    ],
    verify: checked(solveName, (f) => solveResidual(a, n, (f as Factors).x!, b)),
  });
}

// Randomized SVD of a rank-20 2000×2000 matrix against our full (thin) SVD of the same matrix
{
  const n = Number(process.env.SCIML_DECOMP_RSVD_N ?? 2000);
  const k = 20;
  const left = gaussian(n * k);
  const right = gaussian(k * n);
  const lowRank = mm(left, right, n, k, n);
  const L = fromTypedArray(lowRank, [n, n]);
  const name = `randomized svd rank-${k} ${n}x${n} (k=${k}, p=10, q=2) vs full svd`;
  const relErr = (f: Factors): number => {
    const s = f.s!;
    const kk = s.length;
    const us = new Float64Array(n * kk);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < kk; j++) us[i * kk + j] = f.u![i * kk + j]! * s[j]!;
    const rec = mm(us, f.vt!, n, kk, n);
    return frob(rec.map((v, e) => v - lowRank[e]!)) / frob(lowRank);
  };
  cases.push({
    case: name,
    ours: () => {
      const r = randomizedSvd(L, k, { rng: 1 });
      return { u: r.U.dataSync(), s: r.S.dataSync(), vt: r.Vt.dataSync() };
    },
    peers: [
      {
        name: `@sciml svd (thin, all ${n} triplets, truncated to ${k})`,
        run: () => {
          const r = svd(L, { fullMatrices: false });
          const u = r.U.dataSync();
          const uk = new Float64Array(n * k);
          for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) uk[i * k + j] = u[i * n + j]!;
          return { u: uk, s: r.S.dataSync().slice(0, k), vt: r.Vt.dataSync().slice(0, k * n) };
        },
      },
    ],
    verify: (ours, peer, peerName) => {
      const e = relErr(ours as Factors);
      record(name, '@sciml randomizedSvd (relative error)', e);
      record(name, `${peerName} (relative error)`, relErr(peer as Factors));
      if (!(e < 1e-8)) throw new Error(`${name}: randomized SVD relative error ${e} exceeds 1e-8`);
    },
  });
}

// Tall-skinny QR and thin SVD (TSQR path), the shape of a SINDy library: 10⁵ samples × 10 features
{
  const [m, n] = (process.env.SCIML_DECOMP_TALL ?? '100000x10').split('x').map(Number) as [
    number,
    number,
  ];
  const a = gaussian(m * n);
  const A = fromTypedArray(a, [m, n]);
  const mA = toMatrix(a, m, n);
  // the same matrix through the plain Householder path that `qr` took before TSQR (dgeqrf + dorgqr), so the
  // TSQR speed-up is measured in this run rather than quoted
  const householder: Peer = {
    name: '@sciml Householder QR before TSQR (kernels.householderQrF64)',
    run: () => {
      const r = kernels.householderQrF64(a, m, n);
      return { u: r.Q, vt: r.R };
    },
  };
  cases.push(qrCase(`qr ${m}x${n} (tall-skinny, reduced)`, a, m, n, A, mA, [householder]));
  const svdName = `svd ${m}x${n} (tall-skinny, thin)`;
  cases.push({
    case: svdName,
    ours: () => {
      const r = svd(A, { fullMatrices: false });
      return { u: r.U.dataSync(), s: r.S.dataSync(), vt: r.Vt.dataSync() };
    },
    peers: [
      {
        name: 'ml-matrix SVD',
        run: () => {
          const d = new SVD(mA, { autoTranspose: false });
          return {
            u: fromMatrix(d.leftSingularVectors),
            s: d.diagonal,
            vt: fromMatrix(d.rightSingularVectors.transpose()),
          };
        },
      },
    ],
    verify: checked(svdName, (r) => {
      const { u, s, vt } = r as Factors;
      return svdResidual(a, m, n, u!, s!, vt!);
    }),
  });
}

type jaxArray = { data(): Promise<ArrayLike<number>> };

await runBenchmark({ name: 'decomp', cases, warmup: 1, reps: 3, minSampleMs: 0 });

console.log('Scaled residuals (≤ 30 is LAPACK-grade; lower is better):');
for (const r of residuals)
  console.log(`  ${r.case.padEnd(36)} ${r.contender.padEnd(50)} ${r.residual.toPrecision(3)}`);
if (process.env.SCIML_BENCH_WRITE !== '0') {
  const outDir = process.env.SCIML_BENCH_OUT_DIR || DEFAULT_OUT_DIR;
  writeFileSync(
    join(outDir, 'decomp-residuals.json'),
    `${JSON.stringify({ date: new Date().toISOString(), residuals }, null, 2)}\n`,
  );
}
await kernels.shutdownKernelPool();
process.exit(0); // jax-js keeps handles open
