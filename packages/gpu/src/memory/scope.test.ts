import { collectGarbage, describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { Optimizer, adam } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from '../test-utils/probe.js';

/** Resolves after the current macrotask, so concurrent jobs really interleave. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describeWithGpu(
  'linalg scopes on the gpu',
  () => probeGpu({ name: 'webgpu-scope-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const live = () => la.memoryStats(gpu()).device!.liveBuffers;

    it('creation and Generator default to float32 here', () => {
      const on = { backend: gpu() };
      for (const x of [
        la.zeros([3], on),
        la.linspace(0, 1, 5, on),
        new la.Generator(1).normal([4], on),
      ]) {
        expect(x.dtype).toBe('float32');
        x.dispose();
      }
      expect(() => la.toBackend(la.zeros([2]), gpu())).toThrow(la.DTypeError);
    });

    it('toBackend moves cpu data here and toBackendAsync back', async () => {
      const x = la.array([
        [1.5, 2],
        [3, -4],
      ]);
      const g = la.toBackend(x, gpu(), { dtype: 'float32' });
      expect(Array.from(await g.data())).toEqual([1.5, 2, 3, -4]);
      const back = await la.scope(() => la.toBackendAsync(la.mul(g, 2), 'cpu'));
      expect([back.backend.name, back.toNested()]).toEqual([
        'cpu',
        [
          [3, 4],
          [6, -8],
        ],
      ]);
      g.dispose();
    });

    it('two concurrent async jobs, each in its own scope, never free each other’s arrays', async () => {
      await collectGarbage(live);
      const before = live();
      const one = la.ones([64], { backend: gpu() });
      const job = (steps: number) =>
        la.scope(async () => {
          let x: la.NDArray = la.full([64], 1, { backend: gpu() });
          for (let i = 0; i < steps; i++) {
            await tick();
            x = la.add(la.mul(x, 2), one); // x ← 2x + 1
            await x.data(); // materialise: every step holds a real buffer
          }
          return x;
        });
      const [a, b] = await Promise.all([job(3), job(7)]);
      expect((await a.data())[0]).toBe(15);
      expect((await b.data())[0]).toBe(255);
      a.dispose();
      b.dispose();
      one.dispose();
      expect(live()).toBe(before);
    });

    it('an Adam state lives across scopes: steps in scopes match steps without, buffers stay flat', async () => {
      const target = la.array([1, -2, 3, 0.5], { dtype: 'float32', backend: gpu() });
      const run = async (scoped: boolean, steps: number) => {
        const opt = new Optimizer(adam({ lr: 0.1 }));
        let params: { w: la.NDArray } = { w: la.zeros([4], { backend: gpu() }) };
        const counts: number[] = [];
        for (let i = 0; i < steps; i++) {
          // a collection mid-run, the worst moment for a count that leaned on garbage staying put
          if (i === 3) await collectGarbage();
          const prev = params;
          const body = () => opt.step(prev, { w: la.sub(prev.w, target) });
          params = scoped ? la.scope(body) : body();
          if (scoped) prev.w.dispose();
          await params.w.data();
          counts.push(live());
        }
        const w = Array.from(await params.w.data());
        opt.dispose();
        params.w.dispose();
        return { w, counts };
      };
      const plain = await run(false, 6);
      // the plain run disposes nothing: its buffers go when its arrays are collected, so settle that first
      await collectGarbage(live);
      const scoped = await run(true, 6);
      expect(scoped.w).toEqual(plain.w);
      // with scopes the live-buffer count is the same after step 2 and step 6
      expect(scoped.counts[5]).toBe(scoped.counts[1]);
      target.dispose();
    });
  },
);
