/**
 * One row per primitive (several for broadcasting, size-1 axes and parameter variants): the shared table of
 * test functions that the rule tests (checkGrads), the jit tests (jit(f) = f) and the vmap tests
 * (vmap(f) = a loop) all run.
 */
import {
  type NDArray,
  type Primitive,
  abs,
  add,
  argmax,
  array,
  astype,
  bind,
  broadcastTo,
  concat,
  cos,
  div,
  exp,
  expm1,
  floor,
  greater,
  log,
  log1p,
  matmul,
  max,
  maximum,
  min,
  minimum,
  mul,
  neg,
  pad,
  pow,
  prod,
  reshape,
  scatterAdd,
  sigmoid,
  sign,
  sin,
  slice,
  sqrt,
  sub,
  sum,
  take,
  tanh,
  transpose,
  where,
} from '@sciml/linalg';
import { COMPLEX_ROWS } from './complex-rows.js';
import { NN_ROWS } from './nn-rows.js';
import { nonzero, uniform } from './random.js';

/** A test function built on one primitive, with its arguments. */
export interface Row {
  /** Primitive under test (for the coverage check). */
  primitive: Primitive;
  /** What the row varies (shapes, params). */
  what: string;
  fn: (...xs: NDArray[]) => NDArray;
  args: () => NDArray[];
}

const u = uniform;
const row = (primitive: Primitive, what: string, fn: Row['fn'], args: Row['args']): Row => ({
  primitive,
  what,
  fn,
  args,
});
const unaryRow = (p: Primitive, fn: (x: NDArray) => NDArray, lo = -1.5, hi = 1.5): Row =>
  row(p, '(2, 3)', fn, () => [u([2, 3], lo, hi, 3)]);

/** Broadcasting shape pairs: equal, trailing vector, size-1 axes on both sides, 0-d operand. */
const BROADCASTS: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 3],
  ],
  [[], [2, 3]],
  [[3, 1, 2], [2]],
];

function binaryRows(
  p: Primitive,
  fn: (a: NDArray, b: NDArray) => NDArray,
  a: (s: number[]) => NDArray,
  b: (s: number[]) => NDArray,
): Row[] {
  return BROADCASTS.map(([sa, sb]) =>
    row(p, `${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, fn, () => [a(sa), b(sb)]),
  );
}

/** The differentiable primitives, one row each (several for variants). */
export const ROWS: Row[] = [
  unaryRow('neg', neg),
  row('abs', 'away from 0', abs, () => [nonzero([2, 3])]),
  row(
    'sign',
    'zero derivative',
    (x) => mul(sign(x), x),
    () => [nonzero([4])],
  ),
  row(
    'floor',
    'zero derivative',
    (x) => mul(floor(x), x),
    () => [u([4], 0.1, 0.9, 2)],
  ),
  unaryRow('exp', exp),
  unaryRow('log', log, 0.2, 3),
  unaryRow('log1p', log1p, -0.5, 2),
  unaryRow('expm1', expm1),
  unaryRow('sqrt', sqrt, 0.2, 3),
  unaryRow('sin', sin),
  unaryRow('cos', cos),
  unaryRow('tanh', tanh),
  unaryRow('sigmoid', sigmoid, -3, 3),
  ...binaryRows(
    'add',
    add,
    (s) => u(s, -1, 1, 4),
    (s) => u(s, -1, 1, 5),
  ),
  ...binaryRows(
    'sub',
    sub,
    (s) => u(s, -1, 1, 4),
    (s) => u(s, -1, 1, 5),
  ),
  ...binaryRows(
    'mul',
    mul,
    (s) => u(s, -1, 1, 4),
    (s) => u(s, -1, 1, 5),
  ),
  ...binaryRows(
    'div',
    div,
    (s) => u(s, -1, 1, 4),
    (s) => nonzero(s, 0.5, 2, 5),
  ),
  ...binaryRows(
    'pow',
    pow,
    (s) => u(s, 0.5, 2, 4),
    (s) => u(s, -1.5, 1.5, 5),
  ),
  ...binaryRows(
    'maximum',
    maximum,
    (s) => u(s, -1, 1, 4),
    (s) => u(s, -1, 1, 5),
  ),
  ...binaryRows(
    'minimum',
    minimum,
    (s) => u(s, -1, 1, 4),
    (s) => u(s, -1, 1, 5),
  ),
  row(
    'pow',
    'constant integer exponent, negative base',
    (x) => pow(x, 3),
    () => [u([2, 3], -2, 2, 6)],
  ),
  row(
    'greater',
    'where(a > b, a, b)',
    (a, b) => where(greater(a, b), a, b),
    () => [u([5], -1, 1, 7), u([5], -1, 1, 8)],
  ),
  row(
    'sum',
    'all axes',
    (x) => sum(x),
    () => [u([2, 3, 4])],
  ),
  row(
    'sum',
    'axis 1, keepdims',
    (x) => sum(x, { axis: 1, keepdims: true }),
    () => [u([2, 3, 4])],
  ),
  row(
    'sum',
    'axes (0, 2), size-1 axis',
    (x) => sum(x, { axis: [0, 2] }),
    () => [u([2, 1, 4])],
  ),
  row(
    'prod',
    'axis 1',
    (x) => prod(x, { axis: 1 }),
    () => [u([2, 3, 2], 0.5, 1.5)],
  ),
  row(
    'prod',
    'with a zero entry',
    (x) => prod(mul(x, array([1, 0, 1])), { axis: 0 }),
    () => [u([3], 0.5, 1.5)],
  ),
  row(
    'max',
    'axis 0',
    (x) => max(x, { axis: 0 }),
    () => [u([4, 3])],
  ),
  row(
    'max',
    'all, keepdims',
    (x) => max(x, { keepdims: true }),
    () => [u([2, 3])],
  ),
  row(
    'min',
    'axis -1',
    (x) => min(x, { axis: -1 }),
    () => [u([3, 4], -1, 1, 9)],
  ),
  row(
    'argmax',
    'take at the argmax',
    (x) => take(x, argmax(x)),
    () => [u([6])],
  ),
  row(
    'reshape',
    '(2, 3) → (3, 1, 2)',
    (x) => reshape(x, [3, 1, 2]),
    () => [u([2, 3])],
  ),
  row(
    'transpose',
    'perm (2, 0, 1)',
    (x) => transpose(x, [2, 0, 1]),
    () => [u([2, 3, 4])],
  ),
  row(
    'broadcastTo',
    '(3, 1) → (2, 3, 4)',
    (x) => broadcastTo(x, [2, 3, 4]),
    () => [u([3, 1])],
  ),
  row(
    'slice',
    'unit steps',
    (x) => slice(x, '1:3', null),
    () => [u([4, 3])],
  ),
  row(
    'slice',
    'steps 2 and −1',
    (x) => slice(x, '::2', '::-1'),
    () => [u([5, 3])],
  ),
  row(
    'slice',
    'index drops an axis',
    (x) => slice(x, 1),
    () => [u([3, 2])],
  ),
  row(
    'pad',
    'before/after',
    (x) =>
      pad(x, [
        [1, 0],
        [2, 1],
      ]),
    () => [u([2, 3])],
  ),
  row(
    'concat',
    'axis 1, three inputs',
    (a, b, c) => concat([a, b, c], { axis: 1 }),
    () => [u([2, 1]), u([2, 3], -1, 1, 2), u([2, 2], -1, 1, 3)],
  ),
  row(
    'gather',
    'repeated indices, axis 1',
    (x) => take(x, [2, 0, 2], 1),
    () => [u([2, 3])],
  ),
  row(
    'scatterAdd',
    'repeated indices',
    (x) => scatterAdd(x, [1, 1, 3], [4, 2]),
    () => [u([3, 2])],
  ),
  row(
    'where',
    'broadcast condition and operands',
    (a, b) => where(array([true, false, true]), a, b),
    () => [u([2, 3]), u([2, 1], -1, 1, 2)],
  ),
  row(
    'cast',
    'float32 argument computed in float64',
    (x) => sin(astype(x, 'float64')),
    () => [u([3], -1, 1, 1, 'float32')],
  ),
  row(
    'matmul',
    'matrix @ matrix',
    (a, b) => matmul(a, b),
    () => [u([2, 3]), u([3, 4], -1, 1, 2)],
  ),
  row(
    'matmul',
    'batch broadcast (1,2,3) @ (2,3,4)',
    (a, b) => matmul(a, b),
    () => [u([1, 2, 3]), u([2, 3, 4], -1, 1, 2)],
  ),
  row(
    'matmul',
    'batch (2,2,3) @ (3,4)',
    (a, b) => matmul(a, b),
    () => [u([2, 2, 3]), u([3, 4], -1, 1, 2)],
  ),
  row(
    'matmul',
    'vector @ matrix, matrix @ vector',
    (v, m) => matmul(v, matmul(m, v)),
    () => [u([3]), u([3, 3], -1, 1, 2)],
  ),
  ...[
    [false, true],
    [true, false],
    [true, true],
  ].map(([transA, transB]) =>
    row(
      'matmul',
      `transA=${transA} transB=${transB}`,
      (a, b) => bind('matmul', [a, b], { transA: transA!, transB: transB! })[0]!,
      () => [u(transA ? [3, 2] : [2, 3]), u(transB ? [4, 3] : [3, 4], -1, 1, 2)],
    ),
  ),
  ...NN_ROWS,
  ...COMPLEX_ROWS,
];
