import { describeWithGpu } from '@sciml/config/test-helpers';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, gpuAndReference, input, rngFor } from '../test-utils/compare.js';
import { maxScaledError, probeGpu } from '../test-utils/probe.js';

const SIZES = [1, 7, 33, 255, 1000];
const seed = freshSeed();

type Unary = (x: la.NDArray) => la.NDArray;
/** Unary ops with the input range they are tested on and a float32 tolerance (scaled by max(1, |ref|)). */
const UNARY: [string, Unary, number, number, number][] = [
  ['neg', la.neg, -4, 4, 0],
  ['abs', la.abs, -4, 4, 0],
  ['sign', la.sign, -4, 4, 0],
  ['floor', la.floor, -40, 40, 0],
  ['exp', la.exp, -10, 10, 2e-6],
  ['log', la.log, 1e-3, 100, 2e-6],
  ['log1p', la.log1p, -0.9, 3, 2e-6],
  ['expm1', la.expm1, -3, 3, 2e-6],
  ['sqrt', la.sqrt, 0, 100, 2e-6],
  ['sin', la.sin, -6, 6, 2e-6],
  ['cos', la.cos, -6, 6, 2e-6],
  ['tanh', la.tanh, -12, 12, 2e-6],
  ['sigmoid', la.sigmoid, -90, 90, 2e-6],
];

describeWithGpu(
  `elementwise kernels vs float64 CPU (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);

    it.each(UNARY)('%s at sizes 1…1000', async (_name, f, lo, hi, tol) => {
      for (const n of SIZES) {
        const { got, want } = await gpuAndReference(gpu(), [input(rng, [n], lo, hi)], f);
        expect(maxScaledError(got, want)).toBeLessThanOrEqual(tol);
      }
    });

    it('small arguments keep full relative accuracy in expm1, log1p, tanh', async () => {
      const tiny = {
        values: Float64Array.from([1e-8, -3e-7, 2e-5, -1e-3].map(Math.fround)),
        shape: [4],
      };
      for (const f of [la.expm1, la.log1p, la.tanh]) {
        const { got, want } = await gpuAndReference(gpu(), [tiny], f);
        const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!) / Math.abs(want[i]!)));
        expect(worst).toBeLessThan(1e-6);
      }
    });

    it.each([
      ['add', la.add],
      ['sub', la.sub],
      ['mul', la.mul],
      ['div', la.div],
      ['maximum', la.maximum],
      ['minimum', la.minimum],
    ] as const)('%s with broadcasting, shapes not multiples of the workgroup', async (_n, f) => {
      const pairs: [number[], number[]][] = [
        [[1000], [1000]],
        [[33, 7], [7]],
        [
          [255, 1],
          [1, 33],
        ],
        [
          [7, 1, 33],
          [1, 7, 1],
        ],
        [[1], [255]],
      ];
      for (const [sa, sb] of pairs) {
        const { got, want, shape, wantShape } = await gpuAndReference(
          gpu(),
          [input(rng, sa), input(rng, sb, 0.5, 2)],
          f,
        );
        expect(shape).toEqual(wantShape);
        expect(maxScaledError(got, want)).toBeLessThanOrEqual(2e-7);
      }
    });

    it('pow with negative bases, integer and fractional exponents', async () => {
      const a = { values: Float64Array.from([-2, -2, -2, 0, 0, 3, 1.5, 2]), shape: [8] };
      const b = { values: Float64Array.from([2, 3, 0.5, 0, 2, -2, 0.3, 10]), shape: [8] };
      const { got, want } = await gpuAndReference(gpu(), [a, b], la.pow);
      expect(maxScaledError(got, want)).toBeLessThanOrEqual(2e-6);
      expect(got[2]).toBeNaN();
    });

    it('maximum, minimum and sign propagate NaN as on the CPU', async () => {
      const a = { values: Float64Array.from([Number.NaN, 1, Number.NaN]), shape: [3] };
      const b = { values: Float64Array.from([0, Number.NaN, 2]), shape: [3] };
      for (const f of [la.maximum, la.minimum]) {
        const { got } = await gpuAndReference(gpu(), [a, b], f);
        expect(got.every(Number.isNaN)).toBe(true);
      }
      const { got } = await gpuAndReference(gpu(), [a], la.sign);
      expect(got[0]).toBeNaN();
    });

    it('comparisons, where and casts match the CPU at size 1000', async () => {
      const x = input(rng, [1000], -3, 3);
      const y = input(rng, [1000], -3, 3);
      for (const f of [la.less, la.lessEqual, la.greater, la.greaterEqual, la.equal, la.notEqual]) {
        const { got, want } = await gpuAndReference(gpu(), [x, y], (a, b) => f(a!, b!));
        expect(got).toEqual(want);
      }
      const w = await gpuAndReference(gpu(), [x, y], (a, b) =>
        la.where(la.greater(a!, b!), a!, la.mul(b!, 2)),
      );
      expect(maxScaledError(w.got, w.want)).toBe(0);
      const c = await gpuAndReference(gpu(), [x], (a) =>
        la.astype(la.astype(la.mul(a!, 10), 'int32'), 'bool'),
      );
      expect(c.got).toEqual(c.want);
    });

    it('int32 arithmetic truncates and wraps like the CPU', async () => {
      const a = la.array([7, -7, 5, 0, 2147483647], { dtype: 'int32', backend: gpu() });
      const b = la.array([2, 2, 0, 3, 1], { dtype: 'int32', backend: gpu() });
      expect(Array.from(await la.div(a, b).data())).toEqual([3, -3, 0, 0, 2147483647]);
      expect(Array.from(await la.add(a, b).data())).toEqual([9, -5, 5, 3, -2147483648]);
      expect(Array.from(await la.pow(a, b).data())).toEqual([49, 49, 1, 0, 2147483647]);
    });

    it('a fused chain equals the unfused kernels and runs as one kernel', async () => {
      const x = input(rng, [33, 7], -2, 2);
      const chain = (a: la.NDArray) =>
        la.tanh(la.add(la.mul(la.exp(la.neg(a)), 0.5), la.sin(la.transpose(la.transpose(a)))));
      const fused = await gpuAndReference(gpu(), [x], chain);
      expect(maxScaledError(fused.got, fused.want)).toBeLessThanOrEqual(2e-6);
      const before = gpu().stats().dispatches;
      const a = la.fromTypedArray(Float32Array.from(x.values), x.shape, { backend: gpu() });
      const y = chain(a);
      await y.data();
      // poisoned outputs add one fill dispatch per kernel: one kernel = 2 dispatches
      expect(gpu().stats().dispatches - before).toBe(2);
      a.dispose();
      y.dispose();
    });
  },
);

describeWithGpu(
  'elementwise without fusion',
  () => probeGpu({ name: 'webgpu-nofusion', fusion: false }),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('gives the same values kernel by kernel', async () => {
      const rng = rngFor(seed + 1);
      const x = input(rng, [255], -2, 2);
      const { got, want } = await gpuAndReference(gpu(), [x], (a) =>
        la.sigmoid(la.mul(la.slice(a, '::-1'), la.cos(a))),
      );
      expect(maxScaledError(got, want)).toBeLessThanOrEqual(2e-6);
    });
  },
);
