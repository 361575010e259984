import { describe, expect, it } from 'vitest';
import { bind } from '../core/dispatch.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { fixtureValues } from '../testing/fixtures.js';
import { referenceAvgPool2d, referenceMaxPool2d } from '../testing/nn-reference.js';
import { arange, array, ones } from './creation.js';
import {
  avgPool1d,
  avgPool2d,
  globalAvgPool,
  globalMaxPool,
  maxPool1d,
  maxPool2d,
} from './pool.js';
import { reshape } from './shape.js';

type Shape4 = [number, number, number, number];
const pairs = (
  t: number,
  b: number,
  l: number,
  r: number,
): [[number, number], [number, number]] => [
  [t, b],
  [l, r],
];

describe.each(['float64', 'float32'] as const)('pooling against the direct loop (%s)', (dtype) => {
  const xs: Shape4 = [2, 3, 7, 9];
  const xv = fixtureValues(2 * 3 * 7 * 9, 31);
  const x = array(xv, { shape: xs, dtype });
  const tol = dtype === 'float64' ? 1e-14 : 1e-6;
  const geometries = [
    {
      what: '2×2 tiles of an odd size (last row/column dropped)',
      window: [2, 2],
      stride: [2, 2],
      padding: pairs(0, 0, 0, 0),
    },
    { what: '3×3 stride 2 padding 1', window: [3, 3], stride: [2, 2], padding: pairs(1, 1, 1, 1) },
    {
      what: '2×3 overlapping stride (1, 2), asymmetric padding',
      window: [2, 3],
      stride: [1, 2],
      padding: pairs(1, 0, 0, 2),
    },
  ] as const;

  it.each(geometries.map((g) => [g.what, g] as const))('maxPool2d: %s', (_w, g) => {
    const ref = referenceMaxPool2d(xv, xs, {
      window: [...g.window],
      stride: [...g.stride],
      padding: g.padding,
    });
    const y = maxPool2d(x, { kernelSize: g.window, stride: g.stride, padding: g.padding });
    expect(y.shape).toEqual(ref.shape);
    y.dataSync().forEach((v, i) => {
      expect(Math.abs(v - ref.values[i]!)).toBeLessThanOrEqual(tol);
    });
  });

  it.each(geometries.map((g) => [g.what, g] as const))('avgPool2d: %s, both divisors', (_w, g) => {
    for (const countIncludePad of [true, false]) {
      const ref = referenceAvgPool2d(xv, xs, {
        window: [...g.window],
        stride: [...g.stride],
        padding: g.padding,
        countIncludePad,
      });
      const y = avgPool2d(x, {
        kernelSize: g.window,
        stride: g.stride,
        padding: g.padding,
        countIncludePad,
      });
      expect(y.shape).toEqual(ref.shape);
      y.dataSync().forEach((v, i) => {
        expect(Math.abs(v - ref.values[i]!)).toBeLessThanOrEqual(tol);
      });
    }
  });
});

describe('maxPool', () => {
  it('returns the flat index of the first maximum of each window (ties pick the first)', () => {
    const x = array([[[1, 3, 3, 0, 5, 5, -1]]]);
    const [y, idx] = bind('maxPool', [x], { window: [2], stride: [2], padding: [[0, 1]] });
    expect(y!.toNested()).toEqual([[[3, 3, 5, -1]]]);
    expect(idx!.dtype).toBe('int32');
    expect(idx!.toNested()).toEqual([[[1, 2, 4, 6]]]);
  });

  it('propagates NaN and never picks padding', () => {
    const x = array([[[-5, Number.NaN, -7, -8]]]);
    expect(maxPool1d(x, { kernelSize: 2, padding: 1 }).toNested()).toEqual([
      [[-5, Number.NaN, -8]],
    ]);
  });

  it('1-D and unbatched inputs', () => {
    const x = reshape(arange(10), [1, 10]);
    expect(maxPool1d(x, { kernelSize: 3, stride: 3 }).toNested()).toEqual([[2, 5, 8]]);
    expect(avgPool1d(x, { kernelSize: 4, stride: 2, padding: 'same' }).shape).toEqual([1, 5]);
  });

  it('rejects padding as large as the window, bad options and integer input', () => {
    const x = ones([1, 1, 4, 4]);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(ValueError);
    expect(() => maxPool2d(x, { kernelSize: 5 })).toThrow(ShapeError);
    expect(() => avgPool2d(x, { kernelSize: [2, 2, 2] })).toThrow(/kernelSize needs 2 value/);
    expect(() => maxPool2d(ones([4, 4]), { kernelSize: 2 })).toThrow(ShapeError);
    expect(() => maxPool2d(ones([1, 1, 4, 4], { dtype: 'int32' }), { kernelSize: 2 })).toThrow(
      DTypeError,
    );
  });
});

describe('global pooling', () => {
  it('reduces every spatial axis', () => {
    const x = reshape(arange(2 * 3 * 4), [1, 2, 3, 4]);
    expect(globalAvgPool(x).toNested()).toEqual([[5.5, 17.5]]);
    expect(globalMaxPool(x, { keepdims: true }).toNested()).toEqual([[[[11]], [[23]]]]);
    expect(() => globalAvgPool(ones([2, 3]))).toThrow(ShapeError);
  });
});
