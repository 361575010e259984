import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { currentPool, setKernelThreads, shutdownKernelPool } from './pool.js';
import {
  type CsrKernelArrays,
  SPMV_MIN_NNZ,
  SPMV_PARALLEL_MIN_NNZ,
  spmmF64,
  spmmReference,
  spmvF64,
  spmvReference,
} from './spmv.js';
import { kernelPoolReady } from './status.js';
import { getRuntime } from './wasm-module.js';

/**
 * A random m×n CSR matrix with about `perRow` entries per row (sorted, distinct columns) where a
 * fraction `emptyFrac` of the rows store nothing; returns the arrays and a dense copy.
 */
function randomCsr(m: number, n: number, perRow: number, emptyFrac: number, rng: Generator) {
  const indptr = new Int32Array(m + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < m; i++) {
    if (rng.nextFloat() >= emptyFrac) {
      const row = new Set<number>();
      const count = 1 + Math.floor(rng.nextFloat() * 2 * perRow);
      for (let t = 0; t < count; t++) row.add(Math.floor(rng.nextFloat() * n));
      for (const j of [...row].sort((p, q) => p - q)) {
        cols.push(j);
        vals.push(2 * rng.nextFloat() - 1);
      }
    }
    indptr[i + 1] = cols.length;
  }
  const a: CsrKernelArrays = {
    indptr,
    indices: Int32Array.from(cols),
    data: Float64Array.from(vals),
  };
  return a;
}

function randomVec(n: number, rng: Generator): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);
}

/** y = A x by an independent dense triple loop (columns summed in storage order). */
function denseProduct(m: number, a: CsrKernelArrays, x: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++)
    for (let p = a.indptr[i]!; p < a.indptr[i + 1]!; p++) y[i]! += a.data[p]! * x[a.indices[p]!]!;
  return y;
}

/** Count of positions where a and b differ bitwise (toEqual on long arrays is slow). */
function mismatches(a: Float64Array, b: Float64Array): number {
  let bad = a.length === b.length ? 0 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}

afterAll(async () => {
  await shutdownKernelPool();
  setKernelThreads(Math.min(8, availableParallelism()));
});

describe('spmv/spmm wasm kernels', () => {
  it('the wasm kernels are loaded', () => {
    expect(getRuntime()?.exports.spmv_f64).toBeTypeOf('function');
  });

  it.each([
    [500, 400, 6, 0.3],
    [3000, 3000, 3, 0.0],
    [2000, 50, 20, 0.9],
    [7, 9, 400, 0.5],
    [9, 20_000, 1500, 0.4],
  ])(
    'spmv m=%i n=%i (~%i per row, %f empty rows): bitwise equal to the TS loop on every call',
    (m, n, perRow, empty) => {
      setKernelThreads(1);
      const rng = new Generator(m + n);
      const a = randomCsr(m, n, perRow, empty, rng);
      const x = randomVec(n, rng);
      const ref = new Float64Array(m);
      spmvReference(m, a, x, ref);
      const dense = denseProduct(m, a, x);
      expect(mismatches(ref, dense)).toBe(0);
      // call 1 runs in TS, calls 2 and 3 on the resident wasm copy (the third reuses it)
      const rt = getRuntime()!;
      const residentBefore = rt.base;
      for (let call = 0; call < 3; call++) {
        const y = new Float64Array(m).fill(Number.NaN);
        spmvF64(m, a, x, y);
        expect(mismatches(y, ref)).toBe(0);
        if (call === 0) expect(rt.base).toBe(residentBefore);
      }
      // the matrix now lives in the kernels memory (12 bytes per entry + row pointers), unless it
      // is small enough for the TypeScript loop
      if (a.data.length >= SPMV_MIN_NNZ) {
        expect(rt.base - residentBefore).toBeGreaterThanOrEqual(a.data.length * 12);
      } else {
        expect(rt.base).toBe(residentBefore);
      }
      // a second x through the same resident matrix
      const x2 = randomVec(n, rng);
      const y2 = new Float64Array(m);
      spmvF64(m, a, x2, y2);
      expect(mismatches(y2, denseProduct(m, a, x2))).toBe(0);
    },
  );

  it.each([1, 2, 3, 8])('spmm with k=%i columns: bitwise equal to the TS loop', (k) => {
    setKernelThreads(1);
    const rng = new Generator(10 + k);
    const [m, n] = [700, 500];
    const a = randomCsr(m, n, 8, 0.25, rng);
    const b = randomVec(n * k, rng);
    const ref = new Float64Array(m * k);
    spmmReference(m, k, a, b, ref);
    for (let c = 0; c < k; c++) {
      const col = Float64Array.from({ length: n }, (_, j) => b[j * k + c]!);
      const yc = denseProduct(m, a, col);
      for (let i = 0; i < m; i++) expect(ref[i * k + c]).toBeCloseTo(yc[i]!, 13);
    }
    for (let call = 0; call < 2; call++) {
      const out = new Float64Array(m * k).fill(Number.NaN);
      spmmF64(m, k, a, b, out);
      expect(mismatches(out, ref)).toBe(0);
    }
  });

  it('many matrices at once stay correct (resident blocks are keyed per matrix)', () => {
    setKernelThreads(1);
    const rng = new Generator(5);
    const mats = Array.from({ length: 6 }, () => randomCsr(400, 400, 10, 0.1, rng));
    const x = randomVec(400, rng);
    for (let round = 0; round < 3; round++) {
      for (const a of mats) {
        const y = new Float64Array(400);
        spmvF64(400, a, x, y);
        expect(mismatches(y, denseProduct(400, a, x))).toBe(0);
      }
    }
  });

  it('large products split over the worker pool in nnz-balanced row blocks, bitwise equal', async () => {
    setKernelThreads(Math.max(3, Math.min(4, availableParallelism())));
    const threads = await kernelPoolReady();
    expect(threads).toBeGreaterThan(1);
    const rng = new Generator(99);
    const m = 60_000;
    // rows of 1…20 entries, a third of them empty
    const a = randomCsr(m, m, 10, 0.35, rng);
    expect(a.data.length).toBeGreaterThanOrEqual(SPMV_PARALLEL_MIN_NNZ);
    const x = randomVec(m, rng);
    const ref = new Float64Array(m);
    spmvReference(m, a, x, ref);
    const pool = currentPool()!;
    const k = 3;
    const b = randomVec(m * k, rng);
    const refB = new Float64Array(m * k);
    spmmReference(m, k, a, b, refB);
    const before = pool.workerTasks;
    for (let call = 0; call < 4; call++) {
      const y = new Float64Array(m);
      spmvF64(m, a, x, y);
      expect(mismatches(y, ref)).toBe(0);
      const out = new Float64Array(m * k);
      spmmF64(m, k, a, b, out);
      expect(mismatches(out, refB)).toBe(0);
    }
    // the workers claimed blocks (on a busy machine possibly few, never a wrong one)
    expect(pool.workerTasks).toBeGreaterThanOrEqual(before);
  });
});
