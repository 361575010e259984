import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { gemmF32, gemmF64, PARALLEL_MIN_WORK } from './gemm.js';
import { gemmReference } from './gemm-reference.js';
import { currentPool, kernelThreads, setKernelThreads, shutdownKernelPool } from './pool.js';
import { kernelPoolReady } from './status.js';

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
      const before = currentPool()!.workerTasks;
      gemmF64(m, n, k, a, b, parallel, transA, transB);
      expect(currentPool()!.workerTasks - before).toBe(threads - 1);

      const ref = new Float64Array(m * n);
      gemmReference(m, n, k, a, b, ref, transA, transB);
      let worst = 0;
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(parallel[i]! - ref[i]!));
      expect(worst).toBeLessThan(1e-12 * k);

      await shutdownKernelPool();
      setKernelThreads(1);
      const single = new Float64Array(m * n);
      gemmF64(m, n, k, a, b, single, transA, transB);
      expect(currentPool()).toBeNull();
      expect(single).toEqual(parallel);
      await shutdownKernelPool();
    },
  );

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
});
