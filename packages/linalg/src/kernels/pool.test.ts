import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { gemmF32, gemmF64, PARALLEL_MIN_WORK } from './gemm.js';
import { gemmReference } from './gemm-reference.js';
import {
  currentPool,
  type GemmArgs,
  getPool,
  kernelThreads,
  OP_GEMM_F64,
  setKernelThreads,
  shutdownKernelPool,
} from './pool.js';
import { kernelPoolReady, kernelPoolStats } from './status.js';
import { getPlainRuntime, getRuntime } from './wasm-module.js';

function random(n: number, rng: Generator): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);
}

afterAll(async () => {
  await shutdownKernelPool();
  setKernelThreads(availableParallelism());
});

describe('gemm on the worker pool', () => {
  // Worker threads split rows (m ≥ n) or columns (m < n) of C; both must match the reference
  // and be bitwise identical to the single-threaded kernel (same operation order per element).
  it.each([
    [300, 170, 150, false, false],
    [90, 310, 160, true, false],
    [257, 255, 129, false, true],
  ])(
    'm=%i n=%i k=%i (transA %s, transB %s) matches the reference and the 1-thread result',
    async (m, n, k, transA, transB) => {
      expect(m * n * k).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
      setKernelThreads(Math.max(2, availableParallelism()));
      const threads = await kernelPoolReady();
      expect(threads).toBe(kernelThreads());
      expect(currentPool()?.readyCount()).toBe(threads - 1);

      const rng = new Generator(m);
      const a = random(m * k, rng);
      const b = random(k * n, rng);
      const parallel = new Float64Array(m * n);
      gemmF64(m, n, k, a, b, parallel, transA, transB);

      const ref = new Float64Array(m * n);
      gemmReference(m, n, k, a, b, ref, transA, transB);
      let worst = 0;
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(parallel[i]! - ref[i]!));
      expect(worst).toBeLessThan(1e-12 * k);
      // the stats a browser page shows to prove it is multi-threaded
      expect(kernelPoolStats().threads).toBe(threads);

      await shutdownKernelPool();
      setKernelThreads(1);
      const single = new Float64Array(m * n);
      gemmF64(m, n, k, a, b, single, transA, transB);
      expect(currentPool()).toBeNull();
      expect(kernelPoolStats()).toEqual({ threads: 1, workerTasks: 0 });
      expect(single).toEqual(parallel);
      await shutdownKernelPool();
    },
  );

  it('lets the workers claim blocks while the calling thread is slow, and the result stays exact', async () => {
    setKernelThreads(2);
    await kernelPoolReady();
    const rt = getRuntime()!;
    const pool = currentPool()!;
    const m = 64;
    const n = 32;
    const k = 16;
    // A = ones, B = ones at arena offsets 0 and m·k·8; C follows; each block's C rows must hold k
    const ptrB = m * k * 8;
    const ptrC = ptrB + k * n * 8;
    const ptrScratch = ptrC + m * n * 8;
    const scratchBytes = rt.exports.gemm_f64_scratch_bytes();
    expect(rt.reserve(ptrScratch + 2 * scratchBytes)).toBe(true);
    rt.f64(0, m * k + k * n).fill(1);
    rt.f64(ptrC, m * n).fill(Number.NaN);
    const before = pool.workerTasks;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const whole: GemmArgs = [m, n, k, 0, k, 1, ptrB, n, 1, ptrC, n, ptrScratch];
    const split = { byCols: false, chunk: 8, count: 8, bytes: 8, scratchBytes };
    pool.runGemm(OP_GEMM_F64, whole, split, 1, (args) => {
      Atomics.wait(pause, 0, 0, 50); // a descheduled caller: the worker takes the other blocks
      rt.exports.gemm_f64(...(args as GemmArgs));
    });
    expect(pool.workerTasks - before).toBeGreaterThan(0);
    expect(Array.from(new Set(rt.f64(ptrC, m * n)))).toEqual([k]);
    await shutdownKernelPool();
  });

  it('shares one packed B across NC panels (n > 2048) in a row split', async () => {
    setKernelThreads(2);
    await kernelPoolReady();
    const m = 2100;
    const n = 2050;
    const k = 5;
    expect(m * n * k).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
    const rng = new Generator(11);
    const a = Float32Array.from(random(m * k, rng));
    const b = Float32Array.from(random(k * n, rng));
    const c = new Float32Array(m * n);
    gemmF32(m, n, k, a, b, c, false, true);
    const ref = new Float64Array(m * n);
    gemmReference(m, n, k, Float64Array.from(a), Float64Array.from(b), ref, false, true);
    let worst = 0;
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(c[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-6 * k);
    await shutdownKernelPool();
  });

  it('float32 through the pool matches the float64 reference to float32 accuracy', async () => {
    setKernelThreads(2);
    await kernelPoolReady();
    const m = 260;
    const n = 250;
    const k = 200;
    const rng = new Generator(9);
    const a = Float32Array.from(random(m * k, rng));
    const b = Float32Array.from(random(k * n, rng));
    const c = new Float32Array(m * n);
    gemmF32(m, n, k, a, b, c);
    const ref = new Float64Array(m * n);
    gemmReference(m, n, k, Float64Array.from(a), Float64Array.from(b), ref);
    let worst = 0;
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(c[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-5 * Math.sqrt(k) * 4);
    await shutdownKernelPool();
  });

  it('is never handed to a runtime on another memory (the plain one of single-threaded calls)', async () => {
    setKernelThreads(Math.max(2, availableParallelism()));
    await kernelPoolReady();
    const shared = getRuntime()!;
    const plain = getPlainRuntime()!;
    expect(plain.memory).not.toBe(shared.memory);
    expect(getPool(shared)).toBe(currentPool());
    // a job's pointers are offsets into the memory the workers were started on
    expect(getPool(plain)).toBeNull();
  });

  it('runs a product too small for the pool in the plain memory (copies into it cost a third)', () => {
    const n = 100; // 10⁶ multiply-adds: below PARALLEL_MIN_WORK
    const rng = new Generator(11);
    const a = random(n * n, rng);
    const c = new Float64Array(n * n);
    const ref = new Float64Array(n * n);
    const plain = getPlainRuntime()!;
    gemmF64(n, n, n, a, a, c);
    // fill the plain arena with NaN: the next product must copy its operands there (A first, at the base)
    new Uint8Array(plain.memory.buffer).fill(0xff, plain.base, plain.byteLength);
    gemmF64(n, n, n, a, a, c);
    expect(new Float64Array(plain.memory.buffer, plain.base, n * n)).toEqual(a);
    gemmReference(n, n, n, a, a, ref, false, false);
    for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(ref[i]!, 12);
  });
});
