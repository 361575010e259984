import { describe, expect, it } from 'vitest';
import { bind } from '../core/dispatch.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fixtureValues } from '../testing/fixtures.js';
import {
  type RefConvGeometry,
  referenceConv2d,
  referenceConvTranspose2d,
  referenceConvWeightGrad2d,
} from '../testing/nn-reference.js';
import { setCpuGemm } from '../cpu/cpu-backend.js';
import type { Gemm } from '../cpu/matmul.js';
import { gemm } from '../kernels/gemm.js';
import { gemmReference } from '../kernels/gemm-reference.js';
import { kernelPoolReady } from '../kernels/status.js';
import { array, ones } from './creation.js';
import { conv1d, conv2d, convTranspose1d, convTranspose2d } from './conv.js';
import { mul } from './elementwise.js';
import { sum } from './reduce.js';

type Shape4 = [number, number, number, number];
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const dtypes = ['float64', 'float32'] as const;
const tolOf = (d: string) => (d === 'float64' ? 1e-12 : 2e-5);

function expectClose(
  got: NDArray,
  shape: readonly number[],
  values: readonly number[],
  tol: number,
) {
  expect(got.shape).toEqual(shape);
  const g = got.dataSync();
  const scale = Math.max(1, ...values.map(Math.abs));
  let worst = 0;
  values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(g[i]! - v));
  });
  expect(worst / scale).toBeLessThanOrEqual(tol);
}

interface Case {
  what: string;
  x: Shape4;
  w: Shape4;
  g: Required<RefConvGeometry>;
}
const pad = (t: number, b: number, l: number, r: number): [[number, number], [number, number]] => [
  [t, b],
  [l, r],
];
const CASES: Case[] = [
  {
    what: 'valid 3×3',
    x: [2, 3, 7, 5],
    w: [4, 3, 3, 3],
    g: { stride: [1, 1], padding: pad(0, 0, 0, 0), dilation: [1, 1], groups: 1 },
  },
  {
    what: 'odd sizes, stride 2 and 3',
    x: [1, 2, 9, 11],
    w: [3, 2, 3, 2],
    g: { stride: [2, 3], padding: pad(1, 1, 0, 0), dilation: [1, 1], groups: 1 },
  },
  {
    what: 'asymmetric padding, dilation 2',
    x: [2, 2, 6, 7],
    w: [2, 2, 2, 3],
    g: { stride: [1, 1], padding: pad(0, 2, 1, 3), dilation: [2, 2], groups: 1 },
  },
  {
    what: 'groups 3',
    x: [2, 6, 5, 5],
    w: [9, 2, 3, 3],
    g: { stride: [1, 2], padding: pad(1, 1, 1, 1), dilation: [1, 1], groups: 3 },
  },
  {
    what: 'depthwise (groups = C)',
    x: [1, 4, 6, 6],
    w: [8, 1, 3, 3],
    g: { stride: [2, 2], padding: pad(1, 0, 1, 0), dilation: [1, 1], groups: 4 },
  },
  {
    what: 'one input channel, six outputs (an image CNN first layer: im2col + GEMM, not direct loops)',
    x: [2, 1, 9, 8],
    w: [6, 1, 5, 5],
    g: { stride: [1, 1], padding: pad(2, 2, 2, 2), dilation: [1, 1], groups: 1 },
  },
  {
    what: '1×1 pointwise',
    x: [3, 5, 4, 3],
    w: [2, 5, 1, 1],
    g: { stride: [1, 1], padding: pad(0, 0, 0, 0), dilation: [1, 1], groups: 1 },
  },
  {
    what: 'kernel as large as the padded input',
    x: [1, 1, 3, 4],
    w: [1, 1, 5, 6],
    g: { stride: [1, 1], padding: pad(1, 1, 1, 1), dilation: [1, 1], groups: 1 },
  },
];

describe('conv2d against the direct loop', () => {
  describe.each(dtypes)('%s', (dtype) => {
    it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
      const xv = fixtureValues(size(c.x), 3);
      const wv = fixtureValues(size(c.w), 4);
      const ref = referenceConv2d(xv, c.x, wv, c.w, c.g);
      const y = conv2d(array(xv, { shape: c.x, dtype }), array(wv, { shape: c.w, dtype }), c.g);
      expect(y.dtype).toBe(dtype);
      expectClose(y, ref.shape, ref.values, tolOf(dtype));
    });
  });

  it("'same' padding keeps the size (odd and even kernels, stride 1) and gives ⌈n/s⌉ when strided", () => {
    const x = array(fixtureValues(2 * 9 * 8, 5), { shape: [1, 2, 9, 8] });
    for (const k of [
      [3, 3],
      [4, 2],
      [1, 5],
    ] as const) {
      const w = array(fixtureValues(2 * k[0] * k[1], 6), { shape: [1, 2, k[0], k[1]] });
      const y = conv2d(x, w, { padding: 'same' });
      expect(y.shape).toEqual([1, 1, 9, 8]);
      // 'same' puts the odd extra zero after, as TensorFlow, JAX and PyTorch (stride 1)
      const tb = k[0] - 1;
      const lr = k[1] - 1;
      const ref = referenceConv2d(
        Array.from(x.dataSync()),
        [1, 2, 9, 8],
        Array.from(w.dataSync()),
        [1, 2, k[0], k[1]],
        {
          padding: pad(
            Math.floor(tb / 2),
            tb - Math.floor(tb / 2),
            Math.floor(lr / 2),
            lr - Math.floor(lr / 2),
          ),
        },
      );
      expectClose(y, ref.shape, ref.values, 1e-12);
    }
    const w = ones([3, 2, 3, 3]);
    expect(conv2d(x, w, { padding: 'same', stride: [2, 3] }).shape).toEqual([1, 3, 5, 3]);
  });

  it('the identity kernel returns the input (closed case)', () => {
    const xv = fixtureValues(2 * 5 * 7, 7);
    const x = array(xv, { shape: [1, 2, 5, 7] });
    // per channel: a centred one in a 3×3 window, no channel mixing
    const wv = new Array<number>(2 * 2 * 9).fill(0);
    wv[0 * 18 + 0 * 9 + 4] = 1;
    wv[1 * 18 + 1 * 9 + 4] = 1;
    const y = conv2d(x, array(wv, { shape: [2, 2, 3, 3] }), { padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual(xv);
  });

  it('a 3×3 box blur of a constant image is the constant inside and 4/9, 6/9 at corners and edges', () => {
    const x = ones([1, 1, 5, 6]);
    const y = conv2d(x, mul(ones([1, 1, 3, 3]), 1 / 9), {
      padding: 1,
    }).toNested() as number[][][][];
    const img = y[0]![0]!;
    expect(img[0]![0]).toBeCloseTo(4 / 9, 14);
    expect(img[0]![3]).toBeCloseTo(6 / 9, 14);
    expect(img[2]![0]).toBeCloseTo(6 / 9, 14);
    expect(img[2]![3]).toBeCloseTo(1, 14);
    expect(img[4]![5]).toBeCloseTo(4 / 9, 14);
  });

  it('accepts an unbatched input (C, H, W) and returns (O, OH, OW)', () => {
    const xv = fixtureValues(3 * 4 * 4, 8);
    const wv = fixtureValues(2 * 3 * 9, 9);
    const y = conv2d(array(xv, { shape: [3, 4, 4] }), array(wv, { shape: [2, 3, 3, 3] }));
    const ref = referenceConv2d(xv, [1, 3, 4, 4], wv, [2, 3, 3, 3]);
    expectClose(y, ref.shape.slice(1), ref.values, 1e-12);
  });
});

describe('the three conv maps against the direct loop, on both CPU paths', () => {
  // wasm: im2col/col2im and the GEMMs inside the kernels' memory (the default gemm);
  // typescript: the TypeScript im2col loops that a swapped-in gemm (here the reference) runs through
  const paths = ['wasm', 'typescript'] as const;
  const big: Case = {
    what: 'large enough for the worker pool (16→64 channels, 24×24)',
    x: [1, 16, 24, 24],
    w: [64, 16, 3, 3],
    g: { stride: [1, 1], padding: pad(1, 1, 1, 1), dilation: [1, 1], groups: 1 },
  };
  describe.each(paths)('%s', (path) => {
    describe.each(dtypes)('%s', (dtype) => {
      it.each([...CASES, ...(path === 'wasm' ? [big] : [])].map((c) => [c.what, c] as const))(
        '%s',
        async (_what, c) => {
          if (c === big) await kernelPoolReady();
          const xv = fixtureValues(size(c.x), 21);
          const wv = fixtureValues(size(c.w), 22);
          const y0 = referenceConv2d(xv, c.x, wv, c.w, c.g);
          const yv = fixtureValues(y0.values.length, 23);
          const x = array(xv, { shape: c.x, dtype });
          const w = array(wv, { shape: c.w, dtype });
          const y = array(yv, { shape: y0.shape, dtype });
          const params = { ...c.g, padding: [...c.g.padding] };
          if (path === 'typescript') setCpuGemm(dtype, gemmReference as Gemm);
          try {
            expectClose(bind('conv', [x, w], params)[0]!, y0.shape, y0.values, tolOf(dtype));
            const xt = bind('convTranspose', [y, w], { ...params, inputSpatial: c.x.slice(2) })[0]!;
            const xRef = referenceConvTranspose2d(yv, c.x, wv, c.w, c.g).values;
            expectClose(xt, c.x, xRef, tolOf(dtype));
            const wg = bind('convWeightGrad', [x, y], {
              ...params,
              kernelSpatial: c.w.slice(2),
            })[0]!;
            const wRef = referenceConvWeightGrad2d(xv, c.x, yv, c.w, c.g).values;
            expectClose(wg, c.w, wRef, tolOf(dtype));
          } finally {
            setCpuGemm(dtype, gemm as Gemm);
          }
        },
      );
    });
  });
});

describe('conv1d', () => {
  it.each(dtypes)(
    'matches the direct loop with stride, padding, dilation and groups (%s)',
    (dtype) => {
      const xv = fixtureValues(2 * 4 * 13, 10);
      const wv = fixtureValues(6 * 2 * 3, 11);
      const y = conv1d(
        array(xv, { shape: [2, 4, 13], dtype }),
        array(wv, { shape: [6, 2, 3], dtype }),
        {
          stride: 2,
          padding: [[2, 1]],
          dilation: 3,
          groups: 2,
        },
      );
      const ref = referenceConv2d(xv, [2, 4, 1, 13], wv, [6, 2, 1, 3], {
        stride: [1, 2],
        padding: pad(0, 0, 2, 1),
        dilation: [1, 3],
        groups: 2,
      });
      expectClose(y, [2, 6, ref.shape[3]!], ref.values, tolOf(dtype));
    },
  );

  it("'same' and 'valid' give lengths n and n − k + 1", () => {
    const x = ones([1, 1, 10]);
    const w = ones([1, 1, 4]);
    expect(conv1d(x, w, { padding: 'same' }).shape).toEqual([1, 1, 10]);
    expect(conv1d(x, w, { padding: 'valid' }).shape).toEqual([1, 1, 7]);
  });
});

describe('convTranspose', () => {
  it.each(dtypes)(
    'convTranspose2d is the adjoint of conv2d: ⟨conv(x, w), y⟩ = ⟨x, convT(y, w)⟩ (%s)',
    (dtype) => {
      const xs: Shape4 = [2, 4, 7, 6];
      const ws: Shape4 = [6, 2, 3, 2];
      const g = {
        stride: [2, 2] as [number, number],
        padding: 1,
        groups: 2,
        dilation: [1, 2] as [number, number],
      };
      const x = array(fixtureValues(size(xs), 12), { shape: xs, dtype });
      const w = array(fixtureValues(size(ws), 13), { shape: ws, dtype });
      const y0 = conv2d(x, w, g);
      const y = array(fixtureValues(y0.size, 14), { shape: y0.shape, dtype });
      // the PyTorch size formula recovers 7×6 from the 4×3 output with outputPadding (0, 1)
      const xt = convTranspose2d(y, w, { ...g, outputPadding: [0, 1] });
      expect(xt.shape).toEqual(xs);
      const lhs = sum(mul(y0, y)).item();
      const rhs = sum(mul(x, xt)).item();
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(tolOf(dtype) * 10 * Math.abs(lhs));
      const ref = referenceConvTranspose2d(
        Array.from(y.dataSync()),
        xs,
        Array.from(w.dataSync()),
        ws,
        {
          stride: [2, 2],
          padding: pad(1, 1, 1, 1),
          dilation: [1, 2],
          groups: 2,
        },
      );
      expectClose(xt, xs, ref.values, tolOf(dtype));
    },
  );

  it.each(dtypes)(
    'depthwise (one input channel per group, multiplier 2): convTranspose and convWeightGrad match the direct loop (%s)',
    (dtype) => {
      const xs: Shape4 = [2, 3, 7, 8];
      const ws: Shape4 = [6, 1, 3, 2];
      const geo = {
        stride: [2, 1] as [number, number],
        padding: pad(1, 0, 2, 1),
        dilation: [1, 2] as [number, number],
        groups: 3,
      };
      const xv = fixtureValues(size(xs), 15);
      const wv = fixtureValues(size(ws), 16);
      const y0 = referenceConv2d(xv, xs, wv, ws, geo);
      const yv = fixtureValues(y0.values.length, 17);
      const params = {
        stride: geo.stride,
        padding: geo.padding,
        dilation: geo.dilation,
        groups: 3,
      };
      const x = array(xv, { shape: xs, dtype });
      const w = array(wv, { shape: ws, dtype });
      const y = array(yv, { shape: y0.shape, dtype });
      expectClose(bind('conv', [x, w], params)[0]!, y0.shape, y0.values, tolOf(dtype));
      const xt = bind('convTranspose', [y, w], { ...params, inputSpatial: [7, 8] })[0]!;
      expectClose(xt, xs, referenceConvTranspose2d(yv, xs, wv, ws, geo).values, tolOf(dtype));
      const wg = bind('convWeightGrad', [x, y], { ...params, kernelSpatial: [3, 2] })[0]!;
      expectClose(wg, ws, referenceConvWeightGrad2d(xv, xs, yv, ws, geo).values, tolOf(dtype));
    },
  );

  it('convTranspose1d upsamples with stride 2 (PyTorch size formula)', () => {
    const y = convTranspose1d(ones([1, 1, 4]), ones([1, 1, 3]), { stride: 2 });
    // (4 − 1)·2 + 3 = 9; each input spreads over 3 taps, overlapping every second position
    expect(y.toNested()).toEqual([[[1, 1, 2, 1, 2, 1, 2, 1, 1]]]);
  });

  it('rejects an outputPadding that is not smaller than the stride', () => {
    expect(() =>
      convTranspose1d(ones([1, 1, 4]), ones([1, 1, 3]), { stride: 2, outputPadding: 2 }),
    ).toThrow(ValueError);
  });
});

describe('conv errors', () => {
  const x = ones([1, 4, 5, 5]);
  it('name the op, the shapes and the fix', () => {
    expect(() => conv2d(x, ones([2, 3, 3, 3]))).toThrow(/conv2d: the input has 4 channels/);
    expect(() => conv2d(x, ones([3, 2, 3, 3]), { groups: 2 })).toThrow(ShapeError);
    expect(() => conv2d(x, ones([2, 4, 7, 7]))).toThrow(/does not fit/);
    expect(() => conv2d(ones([5, 5]), ones([1, 1, 3, 3]))).toThrow(ShapeError);
    expect(() => conv2d(x, ones([2, 4, 3]))).toThrow(ShapeError);
    expect(() => conv2d(x, ones([2, 4, 3, 3]), { stride: 0 })).toThrow(ValueError);
    expect(() => conv2d(x, ones([2, 4, 3, 3]), { padding: [1, 2, 3] })).toThrow(ValueError);
    expect(() => conv2d(x, ones([2, 4, 3, 3]), { padding: -1 })).toThrow(ValueError);
    expect(() => conv2d(x, ones([2, 4, 3, 3], { dtype: 'float32' }))).toThrow(DTypeError);
    expect(() =>
      bind('convTranspose', [ones([1, 2, 3, 3]), ones([2, 1, 3, 3])], {
        stride: [1, 1],
        padding: pad(0, 0, 0, 0),
        dilation: [1, 1],
        groups: 1,
        inputSpatial: [6, 6],
      }),
    ).toThrow(/convTranspose: an output of spatial size/);
  });
});
