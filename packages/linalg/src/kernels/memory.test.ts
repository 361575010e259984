import { fullGc as gc } from '@sciml/config/test-helpers';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random/generator.js';
import { gemmF32, gemmF64 } from './gemm.js';
import { kernelMemoryBytes, kernelPoolReady } from './status.js';
import { initKernels } from './wasm-module.js';

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('wasm memory across repeated calls', () => {
  it('uses the WebAssembly kernels in Node', async () => {
    expect(await initKernels()).toBe(true);
  });

  it('keeps memory.buffer.byteLength constant over 10 000 small matmuls and frees the JS heap', () => {
    const rng = new Generator(3);
    const n = 24; // above WASM_MIN_WORK, so every call goes through the wasm arena
    const a = Float64Array.from({ length: n * n }, () => rng.nextFloat());
    const b = Float64Array.from({ length: n * n }, () => rng.nextFloat());
    const c = new Float64Array(n * n);
    const a32 = Float32Array.from(a);
    const b32 = Float32Array.from(b);
    const c32 = new Float32Array(n * n);
    gemmF64(n, n, n, a, b, c);
    gemmF32(n, n, n, a32, b32, c32);
    const bytes = kernelMemoryBytes();
    expect(bytes).toBeGreaterThan(0);
    const heap = settledHeap();
    const external = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 10_000; i++) {
      gemmF64(n, n, n, a, b, c);
      gemmF32(n, n, n, a32, b32, c32);
    }
    expect(kernelMemoryBytes()).toBe(bytes);
    // per-call garbage (typed-array views) is collectable: the heap returns to within 1 MiB
    expect(settledHeap() - heap).toBeLessThan(1 << 20);
    expect(process.memoryUsage().arrayBuffers - external).toBeLessThan(1 << 20);
  });

  it('grows once for a larger product and then reuses that arena for smaller ones', async () => {
    // with the workers booted, every 200³ product splits the same way (a split needs per-thread scratch)
    await kernelPoolReady();
    const n = 200;
    const a = new Float64Array(n * n).fill(1);
    const c = new Float64Array(n * n);
    gemmF64(n, n, n, a, a, c);
    // a product too small for the worker pool runs in the plain memory, which grows once for it too
    gemmF64(50, 50, 50, a.subarray(0, 2500), a.subarray(0, 2500), c.subarray(0, 2500));
    gemmF64(n, n, n, a, a, c);
    const bytes = kernelMemoryBytes();
    expect(c[0]).toBe(n);
    for (let i = 0; i < 50; i++) gemmF64(n, n, n, a, a, c);
    for (let i = 0; i < 50; i++)
      gemmF64(50, 50, 50, a.subarray(0, 2500), a.subarray(0, 2500), c.subarray(0, 2500));
    expect(kernelMemoryBytes()).toBe(bytes);
  });
});
