/**
 * Rows for the primitives the gradient table leaves out (comparisons, argmin, the matrix routines), so the
 * staged transforms (`jit`, `vmap`) are checked on every primitive.
 */
import {
  type NDArray,
  add,
  argmin,
  astype,
  bind,
  equal,
  eye,
  greaterEqual,
  less,
  lessEqual,
  luFactor,
  mT,
  matmul,
  mul,
  notEqual,
  qr,
  solveTriangular,
} from '@sciml/linalg';
import type { Row } from './primitive-rows.js';
import { spd, uniform } from './random.js';

const row = (primitive: Row['primitive'], what: string, fn: Row['fn'], args: Row['args']): Row => ({
  primitive,
  what,
  fn,
  args,
});
const pair = (): NDArray[] => [uniform([2, 3], -1, 1, 4), uniform([3], -1, 1, 5)];
const asFloat = (b: NDArray): NDArray => astype(b, 'float64');
const sym = (a: NDArray): NDArray => mul(add(a, mT(a)), 0.5);

/** Comparison, argmin and matrix-routine rows (results cast to float so every row returns floats). */
export const EXTRA_ROWS: Row[] = [
  row('less', 'broadcast', (a, b) => asFloat(less(a, b)), pair),
  row('lessEqual', 'broadcast', (a, b) => asFloat(lessEqual(a, b)), pair),
  row('greaterEqual', 'broadcast', (a, b) => asFloat(greaterEqual(a, b)), pair),
  row(
    'equal',
    'with itself rounded',
    (a) => asFloat(equal(a, mul(a, 1))),
    () => [uniform([4])],
  ),
  row('notEqual', 'broadcast', (a, b) => asFloat(notEqual(a, b)), pair),
  row(
    'argmin',
    'axis 1',
    (x) => asFloat(argmin(x, { axis: 1 })),
    () => [uniform([3, 4])],
  ),
  row(
    'triangularSolve',
    'lower',
    (a, b) => solveTriangular(a, b, { lower: true }),
    () => [add(uniform([3, 3], -0.5, 0.5, 1), mul(eye(3), 2)), uniform([3, 2], -1, 1, 2)],
  ),
  // the primitive itself: the public cholesky() validates symmetry by reading values, which a trace cannot
  row(
    'cholesky',
    'spd',
    (a) => bind('cholesky', [sym(a)], {})[0]!,
    () => [spd(3, 2)],
  ),
  row(
    'lu',
    'packed factors',
    (a) => luFactor(a).lu,
    () => [add(uniform([3, 3], -1, 1, 3), mul(eye(3), 4))],
  ),
  row(
    'qr',
    'reduced R',
    (a) => mul(qr(a).R, 1),
    () => [uniform([4, 3], -1, 1, 5)],
  ),
  row(
    'eigh',
    'eigenvalues',
    (a) => bind('eigh', [sym(a)], {})[0]!,
    () => [spd(3, 6)],
  ),
  row(
    'svd',
    'singular values',
    (a) => bind('svd', [a], { fullMatrices: false })[1]!,
    () => [uniform([4, 3], -1, 1, 7)],
  ),
  row(
    'matmul',
    'matrix @ vector',
    (a, v) => matmul(a, v),
    () => [uniform([3, 2]), uniform([2])],
  ),
];
