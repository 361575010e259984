import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, gpuAndReference, input, rngFor } from '../test-utils/compare.js';
import { probeGpu } from '../test-utils/probe.js';

const seed = freshSeed();

describeWithGpu(
  `data movement vs the CPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);
    const exact = async (shapes: number[][], f: (...x: la.NDArray[]) => la.NDArray) => {
      const { got, want, shape, wantShape } = await gpuAndReference(
        gpu(),
        shapes.map((s) => input(rng, s)),
        f,
      );
      expect(shape).toEqual(wantShape);
      expect(got).toEqual(want);
    };

    it('transpose, broadcastTo and strided slices (negative steps) at awkward sizes', async () => {
      for (const n of [1, 7, 33, 255, 1000]) {
        await exact([[n]], (x) => la.slice(x!, '::-3'));
        await exact([[3, n]], (x) => la.transpose(x!));
        await exact([[n, 1]], (x) => la.broadcastTo(x!, [n, 5]));
      }
      await exact([[7, 33, 5]], (x) => la.transpose(x!, [2, 0, 1]));
      await exact([[7, 33, 5]], (x) => la.slice(x!, '1:6:2', '::-4', 3));
      // a view of a view of a pending result, all one kernel
      await exact([[33, 7]], (x) => la.slice(la.transpose(la.mul(x!, 2)), '2:', '::-1')); // ×2 is exact
    });

    it('reshape shares the buffer of a computed array and reindexes pending ones', async () => {
      // negation is exact in float32, so the values must match bit for bit
      await exact([[33, 7]], (x) => la.reshape(la.neg(x!), [7, 33]));
      await exact([[33, 7]], (x) => la.reshape(la.transpose(la.neg(x!)), [231]));
      await exact([[33, 7]], (x) => la.reshape(la.max(x!, { axis: 1 }), [3, 11]));
    });

    it('pad and concat', async () => {
      for (const n of [1, 7, 255]) {
        await exact([[n, 3]], (x) =>
          la.pad(x!, [
            [2, 1],
            [0, 3],
          ]),
        );
        await exact(
          [
            [n, 3],
            [n, 5],
            [n, 1],
          ],
          (a, b, c) => la.concat([a!, b!, c!], { axis: 1 }),
        );
        await exact(
          [
            [n, 3],
            [2, 3],
          ],
          (a, b) => la.concat([a!, b!], { axis: 0 }),
        );
      }
    });

    it('gather and scatterAdd with repeated and negative indices', async () => {
      const idx = [5, 0, -1, 5, 2, 999 - 1000 + 7];
      const x = input(rng, [7, 33]);
      const { got, want } = await gpuAndReference(gpu(), [x], (a) =>
        la.take(a!, la.array(idx, { dtype: 'int32', backend: a!.backend }), 0),
      );
      expect(got).toEqual(want);
      const u = input(rng, [idx.length, 33]);
      const s = await gpuAndReference(gpu(), [u], (a) =>
        la.scatterAdd(a!, la.array(idx, { dtype: 'int32', backend: a!.backend }), [7, 33], 0),
      );
      expect(Math.max(...s.got.map((v, i) => Math.abs(v - s.want[i]!)))).toBeLessThanOrEqual(1e-6);
      const cols = await gpuAndReference(gpu(), [input(rng, [4, 255])], (a) =>
        la.take(a!, la.array([254, 0, 3], { dtype: 'int32', backend: a!.backend }), 1),
      );
      expect(cols.got).toEqual(cols.want);
    });

    it('an out-of-range index is a ValueError at the next read', async () => {
      const x = la.array([1, 2, 3], { dtype: 'float32', backend: gpu() });
      const bad = la.take(x, la.array([0, 3], { dtype: 'int32', backend: gpu() }), 0);
      await expect(bad.data()).rejects.toThrow(/gather: an index was out of bounds/);
      // the flag is cleared once reported
      expect(
        Array.from(
          await la.take(x, la.array([2, 0], { dtype: 'int32', backend: gpu() }), 0).data(),
        ),
      ).toEqual([3, 1]);
    });
  },
);
