/**
 * Rows for the convolution and pooling primitives (small odd sizes with every geometry option, so each
 * tap pattern is exercised), part of the shared table in `primitive-rows.ts`.
 */
import {
  avgPool1d,
  avgPool2d,
  bind,
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  mul,
  sin,
} from '@sciml/linalg';
import type { Row } from './primitive-rows.js';
import { uniform as u } from './random.js';

const row = (primitive: Row['primitive'], what: string, fn: Row['fn'], args: Row['args']): Row => ({
  primitive,
  what,
  fn,
  args,
});

/** One or more rows per neural-network primitive. */
export const NN_ROWS: Row[] = [
  row(
    'conv',
    '2-D groups 2, stride (2,1), asymmetric padding, dilation (1,2)',
    (x, w) =>
      conv2d(x, w, {
        stride: [2, 1],
        padding: [
          [1, 0],
          [2, 1],
        ],
        dilation: [1, 2],
        groups: 2,
      }),
    () => [u([2, 4, 5, 4]), u([2, 2, 3, 2], -1, 1, 2)],
  ),
  row(
    'conv',
    "1-D 'same', squared so second derivatives are non-zero",
    (x, w) => {
      const y = conv1d(x, w, { padding: 'same' });
      return mul(y, y);
    },
    () => [u([1, 2, 6]), u([3, 2, 3], -1, 1, 2)],
  ),
  row(
    'convTranspose',
    'stride 2, padding 1, outputPadding 1, groups 2',
    (y, w) => convTranspose2d(y, w, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    () => [u([1, 4, 3, 2]), u([4, 1, 3, 3], -1, 1, 2)],
  ),
  row(
    'convWeightGrad',
    'stride 2, padding 1, dilation 2',
    (x, y) =>
      bind('convWeightGrad', [x, y], {
        stride: [2],
        padding: [[1, 1]],
        dilation: [2],
        groups: 1,
        kernelSpatial: [2],
      })[0]!,
    () => [u([2, 2, 7]), u([2, 3, 4], -1, 1, 2)],
  ),
  row(
    'maxPool',
    '3×3 stride 2 padding 1, squared (second order through gather/scatter)',
    (x) => {
      const y = maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 });
      return mul(y, y);
    },
    () => [u([1, 2, 5, 4])],
  ),
  row(
    'avgPool',
    'overlapping 2×3 windows, padding counted',
    (x) => {
      const y = avgPool2d(x, { kernelSize: [2, 3], stride: [1, 2], padding: 1 });
      return mul(y, y);
    },
    () => [u([1, 2, 4, 5])],
  ),
  row(
    'avgPool',
    '1-D, padding excluded from the divisor',
    (x) => sin(avgPool1d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false })),
    () => [u([2, 2, 6])],
  ),
];
