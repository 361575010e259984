import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import {
  type Conv2dOptions,
  gpuConv2d,
  gpuConv2dBackpropFilter,
  gpuConv2dBackpropInput,
  gpuLogSoftmax,
  gpuLogsumexp,
  gpuSoftmax,
} from './index.js';
import { freshSeed, input, rngFor } from './test-utils/compare.js';
import { maxScaledError, probeGpu, relError } from './test-utils/probe.js';

/** Naive float64 convolution (the reference). */
function conv2dRef(
  x: Float64Array,
  xs: number[],
  w: Float64Array,
  ws: number[],
  s: number,
  p: number,
  d: number,
): { y: Float64Array; shape: number[] } {
  const [n, c, h, wd] = xs as [number, number, number, number];
  const [o, , kh, kw] = ws as [number, number, number, number];
  const oh = Math.floor((h + 2 * p - d * (kh - 1) - 1) / s) + 1;
  const ow = Math.floor((wd + 2 * p - d * (kw - 1) - 1) / s) + 1;
  const y = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = 0;
          for (let ch = 0; ch < c; ch++)
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const hh = i * s - p + u * d;
                const ww = j * s - p + v * d;
                if (hh >= 0 && hh < h && ww >= 0 && ww < wd)
                  acc +=
                    x[((b * c + ch) * h + hh) * wd + ww]! * w[((f * c + ch) * kh + u) * kw + v]!;
              }
          y[((b * o + f) * oh + i) * ow + j] = acc;
        }
  return { y, shape: [n, o, oh, ow] };
}

const dotf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const seed = freshSeed();

describeWithGpu(
  `conv2d and softmax kernels (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);
    const onGpu = (v: Float64Array, shape: number[]) =>
      la.fromTypedArray(Float32Array.from(v), shape, { backend: gpu() });

    it.each([
      [[1, 1, 7, 7], [1, 1, 3, 3], 1, 0, 1],
      [[2, 3, 33, 17], [5, 3, 3, 3], 1, 1, 1],
      [[2, 4, 16, 15], [3, 4, 5, 3], 2, 2, 1],
      [[1, 2, 20, 20], [4, 2, 3, 3], 3, 1, 2],
    ])(
      'x %j, w %j, stride %i, padding %i, dilation %i: forward matches float64, gradients satisfy the adjoint identity',
      async (xs, ws, s, p, d) => {
        const opts: Conv2dOptions = { stride: s, padding: p, dilation: d };
        const x = input(rng, xs);
        const w = input(rng, ws);
        const ref = conv2dRef(x.values, xs, w.values, ws, s, p, d);
        const X = onGpu(x.values, xs);
        const Wt = onGpu(w.values, ws);
        const Y = gpuConv2d(X, Wt, opts);
        expect(Y.shape).toEqual(ref.shape);
        const y = await Y.data();
        expect(relError(Array.from(y), ref.y)).toBeLessThan(1e-6);
        // ⟨conv(x, w), dy⟩ = ⟨x, conv_x^T(dy)⟩ = ⟨w, conv_w^T(dy)⟩ — the defining property of both backprops
        const dy = input(rng, ref.shape);
        const DY = onGpu(dy.values, ref.shape);
        const dx = await gpuConv2dBackpropInput(DY, Wt, xs, opts).data();
        const dw = await gpuConv2dBackpropFilter(X, DY, ws, opts).data();
        const lhs = dotf(ref.y, dy.values);
        const scale = Math.sqrt(dotf(ref.y, ref.y) * dotf(dy.values, dy.values));
        expect(Math.abs(dotf(x.values, dx) - lhs)).toBeLessThan(1e-5 * scale);
        expect(Math.abs(dotf(w.values, dw) - lhs)).toBeLessThan(1e-5 * scale);
      },
    );

    it('softmax, log-softmax and logsumexp along any axis match the CPU in float64', async () => {
      for (const [shape, axis] of [
        [[7, 33], -1],
        [[33, 7], 0],
        [[3, 255, 2], 1],
        [[1000], 0],
      ] as const) {
        const x = input(rng, [...shape], -30, 30);
        const cpu = la.fromTypedArray(Float64Array.from(x.values), [...shape]);
        const X = onGpu(x.values, [...shape]);
        const lse = la.logsumexp(cpu, { axis, keepdims: true });
        const sm = la.exp(la.sub(cpu, lse));
        expect(
          maxScaledError(Array.from(await gpuSoftmax(X, axis).data()), Array.from(sm.dataSync())),
        ).toBeLessThan(1e-5);
        expect(
          maxScaledError(
            Array.from(await gpuLogSoftmax(X, axis).data()),
            Array.from(la.sub(cpu, lse).dataSync()),
          ),
        ).toBeLessThan(1e-5);
        const g = gpuLogsumexp(X, { axis });
        expect(g.shape).toEqual(la.logsumexp(cpu, { axis }).shape);
        expect(maxScaledError(Array.from(await g.data()), Array.from(lse.dataSync()))).toBeLessThan(
          1e-5,
        );
      }
    });

    it('rejects shapes that do not fit, with the shapes in the message', () => {
      const x = la.zeros([1, 3, 4, 4], { dtype: 'float32', backend: gpu() });
      const w = la.zeros([2, 2, 3, 3], { dtype: 'float32', backend: gpu() });
      expect(() => gpuConv2d(x, w)).toThrow(/3 channels but the filter expects 2/);
      expect(() =>
        gpuConv2d(x, la.zeros([2, 3, 5, 5], { dtype: 'float32', backend: gpu() })),
      ).toThrow(la.ShapeError);
    });
  },
);
