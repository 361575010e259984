/**
 * The convolution and pooling primitives (and the softmax compositions) on the GPU against the CPU in
 * float64 on the same float32-rounded inputs, forward and through autodiff (which runs convTranspose,
 * convWeightGrad, gather and scatterAdd on the GPU): relative error ‖gpu − cpu‖ / ‖cpu‖ ≤ 1e-5.
 */
import { grad } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, gpuAndReference, input, rngFor } from './test-utils/compare.js';
import { probeGpu, relError } from './test-utils/probe.js';

const seed = freshSeed();
const TOL = 1e-5;

describeWithGpu(
  `conv and pooling primitives on the GPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);

    async function agree(shapes: number[][], f: (...xs: la.NDArray[]) => la.NDArray) {
      const inputs = shapes.map((s) => input(rng, s));
      const r = await gpuAndReference(gpu(), inputs, f);
      expect(r.shape).toEqual(r.wantShape);
      expect(relError(r.got, r.want)).toBeLessThanOrEqual(TOL);
    }

    const geometry: la.ConvOptions = {
      stride: [2, 1],
      padding: 'same',
      dilation: [1, 2],
      groups: 2,
    };

    it('conv2d with groups, stride, same padding and dilation', async () => {
      await agree(
        [
          [3, 6, 11, 9],
          [8, 3, 3, 3],
        ],
        (x, w) => la.conv2d(x!, w!, geometry),
      );
    });

    it('gradients of a conv2d loss in x and w (convTranspose and convWeightGrad kernels)', async () => {
      const r = input(rng, [3, 8, 6, 9]);
      for (const arg of [0, 1]) {
        await agree(
          [
            [3, 6, 11, 9],
            [8, 3, 3, 3],
          ],
          (x, w) => {
            const weights = la.fromTypedArray(
              x!.dtype === 'float32' ? Float32Array.from(r.values) : Float64Array.from(r.values),
              r.shape,
              { backend: x!.backend },
            );
            const loss = (xx: la.NDArray, ww: la.NDArray) =>
              la.sum(la.mul(la.sin(la.conv2d(xx, ww, geometry)), weights));
            return grad(loss, { argnums: arg })(x!, w!) as la.NDArray;
          },
        );
      }
    });

    it('conv1d and convTranspose1d with stride 2 and outputPadding', async () => {
      await agree(
        [
          [2, 4, 17],
          [6, 4, 5],
        ],
        (x, w) => la.conv1d(x!, w!, { stride: 2, padding: 2 }),
      );
      await agree(
        [
          [2, 6, 9],
          [6, 2, 4],
        ],
        (y, w) =>
          la.convTranspose1d(y!, w!, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
      );
    });

    it('maxPool2d and avgPool2d, forward and gradient', async () => {
      const opts = { kernelSize: 3, stride: 2, padding: 1 };
      await agree([[2, 3, 9, 8]], (x) => la.maxPool2d(x!, opts));
      await agree([[2, 3, 9, 8]], (x) => la.avgPool2d(x!, { ...opts, countIncludePad: false }));
      await agree([[2, 3, 9, 8]], (x) =>
        grad((z: la.NDArray) => la.sum(la.square(la.maxPool2d(z, opts))))(x!),
      );
      await agree([[2, 3, 9, 8]], (x) =>
        grad((z: la.NDArray) =>
          la.sum(la.square(la.avgPool2d(z, { ...opts, countIncludePad: false }))),
        )(x!),
      );
    });

    it('softmax and logSoftmax along an inner axis', async () => {
      await agree([[4, 7, 5]], (x) => la.softmax(la.mul(x!, 30), { axis: 1 }));
      await agree([[4, 7, 5]], (x) => la.logSoftmax(la.mul(x!, 30), { axis: 1 }));
    });
  },
);
