import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, gpuAndReference, input, rngFor } from '../test-utils/compare.js';
import { maxScaledError, probeGpu } from '../test-utils/probe.js';
import { reduceGeometry } from './reduce.js';

const seed = freshSeed();

describeWithGpu(
  `reductions vs float64 CPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);

    const cases: [number[], number | number[] | undefined][] = [
      [[1], undefined],
      [[7], 0],
      [[33, 7], 1],
      [[33, 7], 0],
      [
        [255, 3, 5],
        [0, 2],
      ],
      [[1000], undefined],
      [[7, 1000], 1],
      [[1000, 7], 0],
      [
        [3, 1, 33, 2],
        [1, 3],
      ],
      [[300_000], undefined], // long reduction: two passes
      [[2, 70_000], 1],
      [[5000, 4], 1], // many short reductions: one thread per output
    ];

    it.each(cases)('sum, max, min over %j axis %j', async (shape, axis) => {
      const x = input(rng, shape, -1, 1);
      const n = shape.reduce((p, d) => p * d, 1);
      for (const f of [la.sum, la.max, la.min] as const) {
        const {
          got,
          want,
          shape: s,
          wantShape,
        } = await gpuAndReference(gpu(), [x], (a) => f(a!, { axis }));
        expect(s).toEqual(wantShape);
        // float32 summation error grows like ε·n at worst; max/min are exact
        const tol = f === la.sum ? 1.2e-7 * Math.min(n, 4096) : 0;
        expect(maxScaledError(got, want)).toBeLessThanOrEqual(tol);
      }
    });

    it('prod and keepdims', async () => {
      const x = input(rng, [33, 5, 7], 0.9, 1.1);
      const { got, want, shape } = await gpuAndReference(gpu(), [x], (a) =>
        la.prod(a!, { axis: [0, 2], keepdims: true }),
      );
      expect(shape).toEqual([1, 5, 1]);
      expect(maxScaledError(got, want)).toBeLessThanOrEqual(1e-5);
    });

    it('max/min propagate NaN; empty sums are zero', async () => {
      const x = la.array([1, Number.NaN, 3, 4], {
        dtype: 'float32',
        backend: gpu(),
        shape: [2, 2],
      });
      expect(Array.from(await la.max(x, { axis: 1 }).data())).toEqual([Number.NaN, 4]);
      const e = la.zeros([3, 0], { dtype: 'float32', backend: gpu() });
      expect(Array.from(await la.sum(e, { axis: 1 }).data())).toEqual([0, 0, 0]);
    });

    it('argmax/argmin along each axis, first occurrence, NaN wins', async () => {
      for (const [shape, axis] of [
        [[1000], 0],
        [[33, 7], 1],
        [[33, 7], 0],
        [[4, 255, 3], 1],
      ] as const) {
        const x = input(rng, [...shape]);
        for (const f of [la.argmax, la.argmin]) {
          const { got, want } = await gpuAndReference(gpu(), [x], (a) =>
            la.astype(f(a!, { axis }), 'float32'),
          );
          expect(got).toEqual(want);
        }
      }
      const t = la.array([2, 5, 5, Number.NaN, 1], { dtype: 'float32', backend: gpu() });
      expect(Array.from(await la.argmax(t).data())).toEqual([3]);
      const u = la.array([2, 5, 5, 1], { dtype: 'float32', backend: gpu() });
      expect(Array.from(await la.argmax(u).data())).toEqual([1]);
    });

    it('int32 and bool reductions', async () => {
      const i = la.array(
        [
          [1, -2, 3],
          [4, 5, -6],
        ],
        { dtype: 'int32', backend: gpu() },
      );
      expect(Array.from(await la.sum(i, { axis: 0 }).data())).toEqual([5, 3, -3]);
      expect(Array.from(await la.max(i, { axis: 1 }).data())).toEqual([3, 5]);
      const b = la.greater(la.array([0.5, -1, 2, 3], { dtype: 'float32', backend: gpu() }), 0);
      expect(Array.from(await la.sum(b).data())).toEqual([3]);
    });
  },
);

it('merges adjacent kept and reduced axes', () => {
  const g = reduceGeometry([2, 3, 4, 5], [2, 3]);
  expect(g).toMatchObject({
    keptDims: [6],
    keptStrides: [20],
    redDims: [20],
    redStrides: [1],
    outCount: 6,
    redCount: 20,
  });
  // axes 0 and 2 are adjacent in memory once the size-1 axis between them is dropped
  const h = reduceGeometry([2, 1, 3, 4], [0, 2]);
  expect(h).toMatchObject({ keptDims: [4], redDims: [6], redStrides: [4] });
  const k = reduceGeometry([2, 3, 4], [0, 2]);
  expect(k).toMatchObject({
    keptDims: [3],
    keptStrides: [4],
    redDims: [2, 4],
    redStrides: [12, 1],
  });
});

describeWithGpu(
  'long sums without subgroups',
  () => probeGpu({ name: 'webgpu-nosubgroups', subgroups: false }),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('the shared-memory tree gives the same sums as the float64 reference', async () => {
      const rng = rngFor(seed + 2);
      for (const [shape, axis] of [
        [[300_000], undefined],
        [[3, 20_000], 1],
      ] as const) {
        const { got, want } = await gpuAndReference(gpu(), [input(rng, [...shape])], (a) =>
          la.sum(a!, { axis }),
        );
        expect(maxScaledError(got, want)).toBeLessThanOrEqual(1.2e-7 * 4096);
      }
    });
  },
);
