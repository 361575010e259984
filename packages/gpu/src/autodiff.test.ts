import { grad, treeLeaves } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, rngFor } from './test-utils/compare.js';
import { probeGpu, relError } from './test-utils/probe.js';

type Params = {
  w1: la.NDArray;
  b1: la.NDArray;
  w2: la.NDArray;
  b2: la.NDArray;
};

/** Two-layer MLP with a softmax cross-entropy loss (logsumexp) plus a squared-error term. */
function loss(p: Params, x: la.NDArray, y: la.NDArray): la.NDArray {
  const h = la.tanh(la.add(la.matmul(x, p.w1), p.b1));
  const logits = la.add(la.matmul(h, p.w2), p.b2);
  const lse = la.logsumexp(logits, { axis: 1, keepdims: true });
  const xent = la.neg(la.mean(la.sum(la.mul(y, la.sub(logits, lse)), { axis: 1 })));
  const reg = la.mean(la.square(la.sigmoid(logits)));
  return la.add(xent, la.mul(reg, 0.1));
}

const seed = freshSeed();

describeWithGpu(
  `autodiff on the GPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('an MLP loss has the same gradients on CPU (float64) and GPU (float32)', async () => {
      const rng = rngFor(seed);
      const shapes = { w1: [8, 33], b1: [33], w2: [33, 5], b2: [5] } as const;
      const host = (shape: readonly number[]) => {
        const v = new Float64Array(shape.reduce((a, d) => a * d, 1)).map(() =>
          Math.fround(rng.nextFloat() - 0.5),
        );
        return v;
      };
      const values = {
        w1: host(shapes.w1),
        b1: host(shapes.b1),
        w2: host(shapes.w2),
        b2: host(shapes.b2),
      };
      const xv = host([17, 8]);
      const labels = Array.from({ length: 17 }, () => rng.nextInt(0, 5));
      const yv = new Float64Array(17 * 5);
      labels.forEach((c, i) => {
        yv[i * 5 + c] = 1;
      });
      const on = (backend: la.Backend | undefined, dtype: 'float32' | 'float64') => {
        const mk = (v: Float64Array, shape: readonly number[]) =>
          la.fromTypedArray(
            dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v),
            shape,
            { backend },
          );
        const p: Params = {
          w1: mk(values.w1, shapes.w1),
          b1: mk(values.b1, shapes.b1),
          w2: mk(values.w2, shapes.w2),
          b2: mk(values.b2, shapes.b2),
        };
        return { p, x: mk(xv, [17, 8]), y: mk(yv, [17, 5]) };
      };
      const cpu = on(undefined, 'float64');
      const gCpu = grad(loss)(cpu.p, cpu.x, cpu.y);
      const onGpu = on(gpu(), 'float32');
      const gGpu = grad(loss)(onGpu.p, onGpu.x, onGpu.y);
      const want = treeLeaves(gCpu) as la.NDArray[];
      const got = treeLeaves(gGpu) as la.NDArray[];
      expect(got.map((g) => g.backend.name)).toEqual(got.map(() => gpu().name));
      for (let i = 0; i < want.length; i++) {
        const w = Array.from(want[i]!.dataSync());
        const g = Array.from(await got[i]!.data());
        // float32 forward and backward passes: relative error a few hundred ulps at most
        expect(relError(g, w)).toBeLessThan(1e-5);
      }
      const value = await loss(onGpu.p, onGpu.x, onGpu.y).data();
      expect(Math.abs(value[0]! - loss(cpu.p, cpu.x, cpu.y).dataSync()[0]!)).toBeLessThan(1e-5);
    });
  },
);
