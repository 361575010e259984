import { collectGarbage, describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from '../test-utils/probe.js';
import { bucketSize } from './pool.js';

it('bucket sizes are powers of two up to 4 KiB, then quarter steps', () => {
  expect([1, 16, 17, 4096, 4097, 5000, 6000, 8192].map(bucketSize)).toEqual([
    16, 16, 32, 4096, 5120, 5120, 6144, 8192,
  ]);
  for (let b = 1; b < 1e6; b = Math.ceil(b * 1.37))
    expect(bucketSize(b) / Math.max(b, 16)).toBeLessThanOrEqual(2);
});

describeWithGpu(
  'buffer pool, leak counter, scopes',
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('10 000 ops in a loop leave the live-buffer counter where it started', async () => {
      const x = la.fromTypedArray(new Float32Array(64).fill(0.5), [8, 8], { backend: gpu() });
      await x.data();
      await collectGarbage(() => gpu().memoryStats().liveBuffers);
      const start = gpu().memoryStats();
      // the loop body runs in a scope, which frees its intermediates (add before sum, ...) and keeps the result
      let y = la.add(x, 0);
      for (let i = 0; i < 10_000; i++) {
        const prev = y;
        y = la.scope(() => {
          const kind = i % 4;
          if (kind === 0) return la.mul(prev, 0.999);
          if (kind === 1) return la.matmul(prev, x);
          if (kind === 2) return la.tanh(prev);
          return la.broadcastTo(la.sum(la.add(prev, x), { axis: 0, keepdims: true }), [8, 8]);
        });
        prev.dispose();
      }
      const v = await y.data();
      expect(v.every(Number.isFinite)).toBe(true);
      y.dispose();
      const end = gpu().memoryStats();
      expect(end.liveBuffers).toBe(start.liveBuffers);
      expect(end.liveBytes).toBe(start.liveBytes);
      // the pool served almost every allocation (buffers freed inside a batch wait for its submit, so a
      // batch of up to 512 dispatches holds a few hundred at most)
      expect(end.createdBuffers - start.createdBuffers).toBeLessThan(600);
      x.dispose();
      expect(gpu().memoryStats().liveBuffers).toBe(start.liveBuffers - 1);
    });

    it('batches: many ops are one submit until a value is read', async () => {
      const x = la.fromTypedArray(new Float32Array(256).fill(1), [16, 16], { backend: gpu() });
      await x.data();
      const before = gpu().stats();
      const ys = Array.from({ length: 50 }, () => la.matmul(x, x));
      const s = la.sum(ys.reduce((a, b) => la.add(a, b)));
      expect(gpu().stats().submits).toBe(before.submits);
      expect((await s.data())[0]).toBe(50 * 16 * 256);
      expect(gpu().stats().submits - before.submits).toBeLessThanOrEqual(2);
    });

    it('scope frees what it does not return, across await', async () => {
      await collectGarbage(() => gpu().memoryStats().liveBuffers);
      const before = gpu().memoryStats().liveBuffers;
      const kept = await la.scope(async () => {
        const a = la.fromTypedArray(new Float32Array(100).fill(2), [100], { backend: gpu() });
        const b = la.mul(a, a);
        await b.data();
        const c = la.sum(b);
        return { c, list: [la.exp(a)] };
      });
      expect(gpu().memoryStats().liveBuffers).toBeLessThanOrEqual(before + 2);
      expect((await kept.c.data())[0]).toBe(400);
      kept.c.dispose();
      kept.list[0]!.dispose();
      expect(gpu().memoryStats().liveBuffers).toBe(before);
    });

    it('using an array freed by a scope is a BackendError naming the scope', async () => {
      let inner: la.NDArray | undefined;
      la.scope(() => {
        inner = la.fromTypedArray(new Float32Array(4), [4], { backend: gpu() });
      });
      expect(() => la.exp(inner!)).toThrow(/already freed \(by scope\)/);
      inner!.dispose(); // harmless
    });

    it('scalar operands never take a buffer, even when a long chain is split', async () => {
      const x = la.fromTypedArray(new Float32Array(16).fill(1), [16], { backend: gpu() });
      await collectGarbage(() => gpu().memoryStats().liveBuffers);
      const before = gpu().memoryStats().liveBuffers;
      let y = la.mul(x, 1);
      for (let i = 0; i < 200; i++) {
        const t = la.mul(y, 1.0001); // the numbers become 0-d arrays, never disposed
        const next = la.add(t, 0.001);
        t.dispose();
        y.dispose();
        y = next;
      }
      await y.data();
      // only y's own buffer (and at most one split point) is live: no scalar was given a buffer
      expect(gpu().memoryStats().liveBuffers - before).toBeLessThanOrEqual(2);
      y.dispose();
      x.dispose();
    });

    it('pending results keep their inputs alive after the inputs are disposed', async () => {
      const a = la.fromTypedArray(Float32Array.from([1, 2, 3, 4]), [4], { backend: gpu() });
      const b = la.mul(la.neg(a), 2);
      a.dispose();
      expect(Array.from(await b.data())).toEqual([-2, -4, -6, -8]);
      b.dispose();
    });

    it('Backend.materialize computes a pending value now and releases the inputs it held', async () => {
      const backend: la.Backend = gpu(); // called through linalg's interface, as fit does
      const a = la.fromTypedArray(Float32Array.from([1, 2, 3, 4]), [4], { backend: gpu() });
      const c = la.fromTypedArray(Float32Array.from([5, 6, 7, 8]), [4], { backend: gpu() });
      await Promise.all([a.data(), c.data()]);
      await collectGarbage(() => gpu().memoryStats().liveBuffers);
      const held = gpu().memoryStats().liveBuffers;
      const recorded = gpu().stats().dispatches;
      const b = la.scope(() => la.mul(la.add(a, c), 2)); // the scope frees the pending sum
      a.dispose();
      c.dispose();
      // b is fused and pending: no kernel yet, and it holds both inputs' buffers
      expect(gpu().stats().dispatches).toBe(recorded);
      expect(gpu().memoryStats().liveBuffers).toBe(held);
      backend.materialize?.(b);
      // b's kernels ran now; reading it computes nothing more
      const computed = gpu().stats().dispatches;
      expect(computed).toBeGreaterThan(recorded);
      expect(Array.from(await b.data())).toEqual([12, 16, 20, 24]);
      expect(gpu().stats().dispatches).toBe(computed);
      // b has its buffer, and a's and c's were released
      expect(gpu().memoryStats().liveBuffers).toBe(held - 1);
      b.dispose();
      expect(gpu().memoryStats().liveBuffers).toBe(held - 2);
    });

    it('reshape shares storage: one buffer for both arrays, freed with the last', async () => {
      await collectGarbage(() => gpu().memoryStats().liveBuffers);
      const before = gpu().memoryStats().liveBuffers;
      const a = la.fromTypedArray(new Float32Array(12).fill(3), [3, 4], { backend: gpu() });
      const r = la.reshape(a, [4, 3]);
      expect(gpu().memoryStats().liveBuffers).toBe(before + 1);
      a.dispose();
      expect(Array.from(await r.data())).toEqual(new Array(12).fill(3));
      r.dispose();
      expect(gpu().memoryStats().liveBuffers).toBe(before);
    });

    it('float64 is refused with a DTypeError; creation defaults to float32; routines are unsupported', () => {
      expect(() => la.zeros([2], { dtype: 'float64', backend: gpu() })).toThrow(la.DTypeError);
      expect(la.zeros([2], { backend: gpu() }).dtype).toBe('float32');
      const a = la.eye(2, 2, { dtype: 'float32', backend: gpu() });
      expect(() => la.bind('cholesky', [a], {})).toThrow(la.UnsupportedRoutineError);
      expect(gpu().supports('qr')).toBe(false);
    });
  },
);
