/**
 * Conformance cases of the convolution and pooling primitives, with expected values from the direct loops
 * of `nn-reference.ts` (odd sizes, strides, padding on one side, dilation, groups, 1-D and 2-D).
 */
import { bind } from '../core/dispatch.js';
import type { NDArray } from '../core/ndarray.js';
import { array } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import type { ConformanceCase, ConformanceContext } from './conformance.js';
import { fixtureValues } from './fixtures.js';
import {
  referenceAvgPool2d,
  referenceConv2d,
  referenceConvTranspose2d,
  referenceConvWeightGrad2d,
  referenceMaxPool2d,
} from './nn-reference.js';

type Shape4 = [number, number, number, number];
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function mk(ctx: ConformanceContext, values: readonly number[], shape: readonly number[]): NDArray {
  return array(Float64Array.from(values), {
    shape: [...shape],
    dtype: ctx.dtype,
    backend: ctx.backend,
  });
}

// 2-D: (2, 4, 5, 6) ⋆ (6, 2, 3, 2), groups 2, stride (2, 1), padding ((1, 0), (1, 2)), dilation (1, 2)
const XS: Shape4 = [2, 4, 5, 6];
const WS: Shape4 = [6, 2, 3, 2];
const X = fixtureValues(size(XS), 21);
const W = fixtureValues(size(WS), 22);
const G2 = {
  stride: [2, 1] as [number, number],
  padding: [
    [1, 0],
    [1, 2],
  ] as [[number, number], [number, number]],
  dilation: [1, 2] as [number, number],
  groups: 2,
};
const Y2 = referenceConv2d(X, XS, W, WS, G2);
const YV = fixtureValues(Y2.values.length, 23);

// 1-D as height 1: (1, 3, 7) ⋆ (2, 3, 3), 'same' padding with dilation 2 → pad (2, 2)
const X1 = fixtureValues(21, 24);
const W1 = fixtureValues(18, 25);
const Y1 = referenceConv2d(X1, [1, 3, 1, 7], W1, [2, 3, 1, 3], {
  padding: [
    [0, 0],
    [2, 2],
  ],
  dilation: [1, 2],
});

// pooling input (2, 1, 5, 7)
const PS: Shape4 = [2, 1, 5, 7];
const P = fixtureValues(size(PS), 26);

/** Conformance cases of conv, convTranspose, convWeightGrad, maxPool and avgPool. */
export const nnConformanceCases: ConformanceCase[] = [
  {
    name: 'conv: 2-D groups 2, stride (2,1), asymmetric padding, dilation (1,2)',
    primitive: 'conv',
    shape: Y2.shape,
    expected: Y2.values,
    run: (ctx) => ops.conv2d(mk(ctx, X, XS), mk(ctx, W, WS), G2),
  },
  {
    name: "conv: 1-D 'same' with dilation 2",
    primitive: 'conv',
    shape: [1, 2, 7],
    expected: Y1.values,
    run: (ctx) =>
      ops.conv1d(mk(ctx, X1, [1, 3, 7]), mk(ctx, W1, [2, 3, 3]), { padding: 'same', dilation: 2 }),
  },
  {
    name: 'convTranspose: adjoint of the 2-D grouped conv',
    primitive: 'convTranspose',
    shape: XS,
    expected: referenceConvTranspose2d(YV, XS, W, WS, G2).values,
    run: (ctx) =>
      bind('convTranspose', [mk(ctx, YV, Y2.shape), mk(ctx, W, WS)], {
        stride: G2.stride,
        padding: G2.padding,
        dilation: G2.dilation,
        groups: 2,
        inputSpatial: [5, 6],
      })[0]!,
  },
  {
    name: 'convWeightGrad: adjoint of the 2-D grouped conv',
    primitive: 'convWeightGrad',
    shape: WS,
    expected: referenceConvWeightGrad2d(X, XS, YV, WS, G2).values,
    run: (ctx) =>
      bind('convWeightGrad', [mk(ctx, X, XS), mk(ctx, YV, Y2.shape)], {
        stride: G2.stride,
        padding: G2.padding,
        dilation: G2.dilation,
        groups: 2,
        kernelSpatial: [3, 2],
      })[0]!,
  },
  {
    name: 'maxPool: 3×3 windows, stride 2, padding 1',
    primitive: 'maxPool',
    shape: [2, 1, 3, 4],
    expected: referenceMaxPool2d(P, PS, {
      window: [3, 3],
      stride: [2, 2],
      padding: [
        [1, 1],
        [1, 1],
      ],
    }).values,
    run: (ctx) => ops.maxPool2d(mk(ctx, P, PS), { kernelSize: 3, stride: 2, padding: 1 }),
  },
  {
    name: 'avgPool: 2×3 windows, stride (1,2), padding excluded from the divisor',
    primitive: 'avgPool',
    shape: [2, 1, 6, 4],
    expected: referenceAvgPool2d(P, PS, {
      window: [2, 3],
      stride: [1, 2],
      padding: [
        [1, 1],
        [1, 1],
      ],
      countIncludePad: false,
    }).values,
    run: (ctx) =>
      ops.avgPool2d(mk(ctx, P, PS), {
        kernelSize: [2, 3],
        stride: [1, 2],
        padding: 1,
        countIncludePad: false,
      }),
  },
];
