import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { MATMUL_TILES, tileName } from '../index.js';
import { freshSeed, gpuAndReference, input, rngFor } from '../test-utils/compare.js';
import { probeGpu, relError } from '../test-utils/probe.js';

const seed = freshSeed();

describeWithGpu(
  `matmul vs float64 CPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);
    const mm = (transA: boolean, transB: boolean) => (a: la.NDArray, b: la.NDArray) =>
      la.matmul(a, b, { transA, transB });

    it.each([1, 7, 33, 255, 1000])('square n = %i: ‖out − ref‖/‖ref‖ ≤ 1e-5', async (n) => {
      const { got, want } = await gpuAndReference(
        gpu(),
        [input(rng, [n, n]), input(rng, [n, n])],
        mm(false, false),
      );
      expect(relError(got, want)).toBeLessThanOrEqual(1e-5);
    });

    it.each([
      [1, 1000, 7],
      [33, 1, 255],
      [255, 33, 1],
      [7, 255, 1000],
      [65, 17, 129],
    ])('(%i × %i) @ (… × %i), all four transpositions', async (m, k, n) => {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const a = input(rng, tA ? [k, m] : [m, k]);
        const b = input(rng, tB ? [n, k] : [k, n]);
        const { got, want } = await gpuAndReference(gpu(), [a, b], mm(tA, tB));
        expect(relError(got, want)).toBeLessThanOrEqual(1e-5);
      }
    });

    it('batched with broadcast batch axes', async () => {
      const a = input(rng, [2, 1, 33, 7]);
      const b = input(rng, [3, 7, 9]);
      const { got, want, shape } = await gpuAndReference(gpu(), [a, b], mm(false, false));
      expect(shape).toEqual([2, 3, 33, 9]);
      expect(relError(got, want)).toBeLessThanOrEqual(1e-5);
      const t = await gpuAndReference(
        gpu(),
        [input(rng, [4, 12, 5]), input(rng, [4, 8, 12])],
        mm(true, true),
      );
      expect(relError(t.got, t.want)).toBeLessThanOrEqual(1e-5);
    });

    it('every candidate tile gives the same product (vec4 and scalar loads)', async () => {
      const before = gpu().matmulTile;
      for (const tile of MATMUL_TILES) {
        gpu().setMatmulTile(tile);
        for (const [m, k, n] of [
          [130, 64, 68],
          [37, 29, 41],
        ] as const) {
          const { got, want } = await gpuAndReference(
            gpu(),
            [input(rng, [m, k]), input(rng, [k, n])],
            mm(false, false),
          );
          expect(relError(got, want), tileName(tile)).toBeLessThanOrEqual(1e-5);
        }
      }
      gpu().setMatmulTile(before);
    });

    it('a zero inner dimension gives zeros; vectors are promoted and squeezed', async () => {
      const z = la.matmul(
        la.zeros([3, 0], { dtype: 'float32', backend: gpu() }),
        la.zeros([0, 2], { dtype: 'float32', backend: gpu() }),
      );
      expect(Array.from(await z.data())).toEqual([0, 0, 0, 0, 0, 0]);
      const { got, want, shape } = await gpuAndReference(
        gpu(),
        [input(rng, [33]), input(rng, [33, 7])],
        mm(false, false),
      );
      expect(shape).toEqual([7]);
      expect(relError(got, want)).toBeLessThanOrEqual(1e-5);
    });
  },
);
