/**
 * jit and vmap on the GPU backend (lavapipe in CI): the compiled program runs through bind on the device
 * (the backend's lazy fusion applies) and gives the eager GPU numbers; vmap equals a loop over examples;
 * jit(grad) of an MLP loss equals grad.
 */
import { grad, jit, vmap } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, rngFor } from './test-utils/compare.js';
import { probeGpu, relError } from './test-utils/probe.js';

const seed = freshSeed();

describeWithGpu(
  `jit and vmap on the GPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);
    const on = (shape: readonly number[]) =>
      la.fromTypedArray(
        new Float32Array(shape.reduce((a, d) => a * d, 1)).map(() => rng.nextFloat() - 0.5),
        shape,
        { backend: gpu() },
      );

    it('jit(f) equals eager f for elementwise chains, reductions and matmul', async () => {
      const fs: [string, (a: la.NDArray, b: la.NDArray) => la.NDArray][] = [
        ['tanh(a·b + 1)', (a, b) => la.tanh(la.add(la.mul(a, b), 1))],
        ['sum over rows of exp', (a, b) => la.sum(la.exp(la.sub(a, b)), { axis: 1 })],
        ['matmul then sigmoid', (a, b) => la.sigmoid(la.matmul(a, la.transpose(b)))],
        ['where / maximum', (a, b) => la.where(la.greater(a, b), la.maximum(a, 0), la.neg(b))],
      ];
      const a = on([6, 5]);
      const b = on([6, 5]);
      for (const [name, f] of fs) {
        const jf = jit(f);
        const got = jf(a, b);
        expect(got.backend.name, name).toBe(gpu().name);
        expect(
          relError(Array.from(await got.data()), Array.from(await f(a, b).data())),
          name,
        ).toBeLessThan(1e-6);
        jf(a, b);
        expect(jf.stats.traces, name).toBe(1);
        expect(jf.stats.lowering, name).toMatch(
          /^op-by-op: the .* backend runs the program through bind/,
        );
      }
    });

    it('vmap(f) equals a loop over examples, and jit(grad) equals grad', async () => {
      const w = on([5, 3]);
      const f = (x: la.NDArray) => la.tanh(la.matmul(la.reshape(x, [1, 5]), w));
      const xs = on([4, 5]);
      const batched = await vmap(f)(xs).data();
      const loop: number[] = [];
      for (let i = 0; i < 4; i++) loop.push(...(await f(la.slice(xs, i)).data()));
      expect(relError(Array.from(batched), loop)).toBeLessThan(1e-6);
      const loss = (v: la.NDArray) => la.sum(la.mul(f(la.slice(xs, 0)), la.sum(v)));
      const v = on([3]);
      expect(
        relError(
          Array.from(await jit(grad(loss))(v).data()),
          Array.from(await grad(loss)(v).data()),
        ),
      ).toBeLessThan(1e-6);
    });
  },
);
