/**
 * Backend conformance cases: every primitive exercised through the public ops, with expected values computed
 * by plain JS loops (independent of any backend). The CPU tests run them; @sciml/gpu runs the same list on
 * its backend, skipping only cases it lists with a reason. Exported as `@sciml/linalg/testing`.
 */
import type { Backend } from '../backend/backend.js';
import type { FloatDType } from '../core/dtype.js';
import type { NDArray } from '../core/ndarray.js';
import { PRIMITIVES, type Primitive } from '../core/primitives.js';
import { array } from '../ops/creation.js';
import { viewAsComplex, viewAsReal } from '../ops/complex.js';
import * as ops from '../ops/index.js';
import { fft } from '../fft/fft.js';
import { fixtureValues } from './fixtures.js';
import { nnConformanceCases } from './conformance-nn.js';

export { fixtureValues };

/** What a case receives: the backend under test and the float dtype to compute in. */
export interface ConformanceContext {
  backend: Backend;
  dtype: FloatDType;
}

/** One conformance case. */
export interface ConformanceCase {
  /** Unique name, `<primitive>: <what>`. */
  name: string;
  /** The primitive this case is mainly about. */
  primitive: Primitive;
  /** Builds inputs on `ctx.backend` and runs the op. */
  run(ctx: ConformanceContext): NDArray;
  /** Expected shape. */
  shape: number[];
  /** Expected values, row-major (NaN allowed and must match NaN). */
  expected: number[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function mk(ctx: ConformanceContext, values: number[], shape: number[]): NDArray {
  return array(Float64Array.from(values), { shape, dtype: ctx.dtype, backend: ctx.backend });
}

function unaryCase(
  p: Primitive,
  fn: (x: number) => number,
  name: string,
  values: number[],
): ConformanceCase {
  return {
    name: `${p}: ${name}`,
    primitive: p,
    shape: [values.length],
    expected: values.map(fn),
    run: (ctx) =>
      (ops as unknown as Record<string, (x: NDArray) => NDArray>)[p]!(
        mk(ctx, values, [values.length]),
      ),
  };
}

const X = fixtureValues(12, 7);
const Y = fixtureValues(4, 11);
const POS = X.map((v) => Math.abs(v) + 0.1);
/** Two rows of four complex numbers as (re, im) pairs. */
const Z = fixtureValues(16, 13);

/** Row-major matmul of plain arrays (the reference). */
function refMatmul(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const c = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++) c[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return c;
}

const broadcastBinary = (
  p: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum',
  f: (a: number, b: number) => number,
): ConformanceCase => {
  // (3, 4) with (4,) broadcast along rows
  const a = p === 'pow' ? POS : X;
  return {
    name: `${p}: (3,4) with (4,) broadcast`,
    primitive: p,
    shape: [3, 4],
    expected: range(12).map((i) => f(a[i]!, Y[i % 4]!)),
    run: (ctx) =>
      (ops as unknown as Record<string, (x: NDArray, y: NDArray) => NDArray>)[p]!(
        mk(ctx, a, [3, 4]),
        mk(ctx, Y, [4]),
      ),
  };
};

const cmp = (
  p: 'less' | 'lessEqual' | 'greater' | 'greaterEqual' | 'equal' | 'notEqual',
  f: (a: number, b: number) => boolean,
): ConformanceCase => {
  const b = [X[0]!, 0.25, X[2]!, -0.5];
  return {
    name: `${p}: (3,4) vs (1,4)`,
    primitive: p,
    shape: [3, 4],
    expected: range(12).map((i) => (f(X[i]!, b[i % 4]!) ? 1 : 0)),
    run: (ctx) =>
      ops.astype(
        (ops as unknown as Record<string, (x: NDArray, y: NDArray) => NDArray>)[p]!(
          mk(ctx, X, [3, 4]),
          mk(ctx, b, [1, 4]),
        ),
        ctx.dtype,
      ),
  };
};

/** The conformance list. */
export const conformanceCases: ConformanceCase[] = [
  unaryCase('neg', (x) => -x, 'values', X),
  unaryCase('abs', Math.abs, 'values', X),
  unaryCase('sign', Math.sign, 'values incl. zero', [...X, 0]),
  unaryCase(
    'floor',
    Math.floor,
    'values',
    X.map((v) => v * 3),
  ),
  unaryCase('exp', Math.exp, 'values', X),
  unaryCase('log', Math.log, 'positive values', POS),
  unaryCase('log1p', Math.log1p, 'values > -1', X),
  unaryCase('expm1', Math.expm1, 'values', X),
  unaryCase('sqrt', Math.sqrt, 'positive values', POS),
  unaryCase(
    'sin',
    Math.sin,
    'values',
    X.map((v) => v * 4),
  ),
  unaryCase(
    'cos',
    Math.cos,
    'values',
    X.map((v) => v * 4),
  ),
  unaryCase(
    'tanh',
    Math.tanh,
    'values',
    X.map((v) => v * 4),
  ),
  unaryCase('sigmoid', (x) => 1 / (1 + Math.exp(-x)), 'wide range', [
    ...X.map((v) => v * 30),
    -800,
    800,
  ]),
  broadcastBinary('add', (a, b) => a + b),
  broadcastBinary('sub', (a, b) => a - b),
  broadcastBinary('mul', (a, b) => a * b),
  broadcastBinary('div', (a, b) => a / b),
  broadcastBinary('pow', (a, b) => a ** b),
  broadcastBinary('maximum', Math.max),
  broadcastBinary('minimum', Math.min),
  {
    name: 'add: (3,1) with (1,4) outer broadcast',
    primitive: 'add',
    shape: [3, 4],
    expected: range(12).map((i) => X[Math.floor(i / 4)]! + Y[i % 4]!),
    run: (ctx) => ops.add(mk(ctx, X.slice(0, 3), [3, 1]), mk(ctx, Y, [1, 4])),
  },
  cmp('less', (a, b) => a < b),
  cmp('lessEqual', (a, b) => a <= b),
  cmp('greater', (a, b) => a > b),
  cmp('greaterEqual', (a, b) => a >= b),
  cmp('equal', (a, b) => a === b),
  cmp('notEqual', (a, b) => a !== b),
  {
    name: 'sum: axis 1 of (3,4)',
    primitive: 'sum',
    shape: [3],
    expected: range(3).map((r) => range(4).reduce((s, c) => s + X[r * 4 + c]!, 0)),
    run: (ctx) => ops.sum(mk(ctx, X, [3, 4]), { axis: 1 }),
  },
  {
    name: 'sum: axes (0, 2) of (2,3,2) keepdims',
    primitive: 'sum',
    shape: [1, 3, 1],
    expected: range(3).map((j) =>
      [0, 1].reduce((s, i) => s + X[i * 6 + j * 2]! + X[i * 6 + j * 2 + 1]!, 0),
    ),
    run: (ctx) => ops.sum(mk(ctx, X, [2, 3, 2]), { axis: [0, 2], keepdims: true }),
  },
  {
    name: 'prod: axis 0 of (3,4)',
    primitive: 'prod',
    shape: [4],
    expected: range(4).map((c) => X[c]! * X[4 + c]! * X[8 + c]!),
    run: (ctx) => ops.prod(mk(ctx, X, [3, 4]), { axis: 0 }),
  },
  {
    name: 'max: all',
    primitive: 'max',
    shape: [],
    expected: [Math.max(...X)],
    run: (ctx) => ops.max(mk(ctx, X, [3, 4])),
  },
  {
    name: 'min: axis -1',
    primitive: 'min',
    shape: [3],
    expected: range(3).map((r) => Math.min(...X.slice(r * 4, r * 4 + 4))),
    run: (ctx) => ops.min(mk(ctx, X, [3, 4]), { axis: -1 }),
  },
  {
    name: 'argmax: axis 1',
    primitive: 'argmax',
    shape: [3],
    expected: range(3).map((r) =>
      X.slice(r * 4, r * 4 + 4).indexOf(Math.max(...X.slice(r * 4, r * 4 + 4))),
    ),
    run: (ctx) => ops.astype(ops.argmax(mk(ctx, X, [3, 4]), { axis: 1 }), ctx.dtype),
  },
  {
    name: 'argmin: axis 0',
    primitive: 'argmin',
    shape: [4],
    expected: range(4).map((c) => {
      const col = [X[c]!, X[4 + c]!, X[8 + c]!];
      return col.indexOf(Math.min(...col));
    }),
    run: (ctx) => ops.astype(ops.argmin(mk(ctx, X, [3, 4]), { axis: 0 }), ctx.dtype),
  },
  {
    name: 'reshape: (3,4) to (2,6)',
    primitive: 'reshape',
    shape: [2, 6],
    expected: X,
    run: (ctx) => ops.reshape(mk(ctx, X, [3, 4]), [2, -1]),
  },
  {
    name: 'transpose: (2,3,2) perm (2,0,1)',
    primitive: 'transpose',
    shape: [2, 2, 3],
    expected: range(12).map((o) => {
      const k = Math.floor(o / 6);
      const i = Math.floor((o % 6) / 3);
      const j = o % 3;
      return X[i * 6 + j * 2 + k]!;
    }),
    run: (ctx) => ops.transpose(mk(ctx, X, [2, 3, 2]), [2, 0, 1]),
  },
  {
    name: 'broadcastTo: (4,) to (3,4)',
    primitive: 'broadcastTo',
    shape: [3, 4],
    expected: range(12).map((i) => Y[i % 4]!),
    run: (ctx) => ops.broadcastTo(mk(ctx, Y, [4]), [3, 4]),
  },
  {
    name: 'slice: rows 2..0 reversed, columns 1::2',
    primitive: 'slice',
    shape: [3, 2],
    expected: [2, 1, 0].flatMap((r) => [X[r * 4 + 1]!, X[r * 4 + 3]!]),
    run: (ctx) => ops.slice(mk(ctx, X, [3, 4]), '::-1', '1::2'),
  },
  {
    name: 'pad: (2,2) with [[1,0],[0,2]]',
    primitive: 'pad',
    shape: [3, 4],
    expected: [0, 0, 0, 0, X[0]!, X[1]!, 0, 0, X[2]!, X[3]!, 0, 0],
    run: (ctx) =>
      ops.pad(mk(ctx, X.slice(0, 4), [2, 2]), [
        [1, 0],
        [0, 2],
      ]),
  },
  {
    name: 'concat: axis 1',
    primitive: 'concat',
    shape: [2, 5],
    expected: [X[0]!, X[1]!, Y[0]!, Y[1]!, Y[2]!, X[2]!, X[3]!, Y[3]!, X[4]!, X[5]!],
    run: (ctx) =>
      ops.concat([mk(ctx, X.slice(0, 4), [2, 2]), mk(ctx, [...Y, X[4]!, X[5]!], [2, 3])], {
        axis: 1,
      }),
  },
  {
    name: 'gather: rows [2, 0, 2]',
    primitive: 'gather',
    shape: [3, 4],
    expected: [2, 0, 2].flatMap((r) => X.slice(r * 4, r * 4 + 4)),
    run: (ctx) => ops.take(mk(ctx, X, [3, 4]), [2, 0, -1], 0),
  },
  {
    name: 'scatterAdd: repeated indices accumulate',
    primitive: 'scatterAdd',
    shape: [3],
    expected: [Y[1]!, 0, Y[0]! + Y[2]!],
    run: (ctx) => ops.scatterAdd(mk(ctx, Y.slice(0, 3), [3]), [2, 0, 2], [3]),
  },
  {
    name: 'where: broadcast condition',
    primitive: 'where',
    shape: [3, 4],
    expected: range(12).map((i) => (Y[i % 4]! > 0 ? X[i]! : -1)),
    run: (ctx) => ops.where(ops.greater(mk(ctx, Y, [4]), 0), mk(ctx, X, [3, 4]), -1),
  },
  {
    name: 'cast: float to int32 truncates',
    primitive: 'cast',
    shape: [4],
    expected: [1, -1, 2, 0],
    run: (ctx) => ops.astype(ops.astype(mk(ctx, [1.7, -1.2, 2.5, -0.4], [4]), 'int32'), ctx.dtype),
  },
  {
    name: 'matmul: (3,4) @ (4,2)',
    primitive: 'matmul',
    shape: [3, 2],
    expected: refMatmul(X, Y.concat(Y), 3, 4, 2),
    run: (ctx) => ops.matmul(mk(ctx, X, [3, 4]), mk(ctx, Y.concat(Y), [4, 2])),
  },
  {
    name: 'matmul: batched (2,2,3) @ (3,2) with transA on (2,3,2)',
    primitive: 'matmul',
    shape: [2, 2, 2],
    expected: [0, 1].flatMap((bi) => {
      const a = X.slice(bi * 6, bi * 6 + 6); // (3,2) stored; transposed gives (2,3)
      const at = [a[0]!, a[2]!, a[4]!, a[1]!, a[3]!, a[5]!];
      return refMatmul(at, POS.slice(0, 6), 2, 3, 2);
    }),
    run: (ctx) =>
      ops.matmul(mk(ctx, X, [2, 3, 2]), mk(ctx, POS.slice(0, 6), [3, 2]), { transA: true }),
  },
  // complex arrays in the backend's precision (float64 → complex128, float32 → complex64), read back as pairs
  {
    name: 'viewAsComplex: (4, 2) pairs as 4 complex numbers and back',
    primitive: 'viewAsComplex',
    shape: [4, 2],
    expected: X.slice(0, 8),
    run: (ctx) => viewAsReal(viewAsComplex(mk(ctx, X.slice(0, 8), [4, 2]))),
  },
  {
    name: 'viewAsReal: the pairs of a computed complex array, reshaped',
    primitive: 'viewAsReal',
    shape: [2, 4],
    expected: X.slice(0, 8),
    run: (ctx) => ops.reshape(viewAsReal(viewAsComplex(mk(ctx, X.slice(0, 8), [2, 2, 2]))), [2, 4]),
  },
  {
    name: 'fft: two rows of length 4 (a direct DFT reference), read as pairs',
    primitive: 'fft',
    shape: [2, 4, 2],
    expected: refDftRows(Z, 2, 4),
    run: (ctx) => viewAsReal(fft(viewAsComplex(mk(ctx, Z, [2, 4, 2])))),
  },
  ...nnConformanceCases,
];

/** X_k = Σ_j x_j e^{−2πi jk/n} of each row of interleaved (re, im) values, by the definition (the reference). */
function refDftRows(pairs: number[], rows: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const a = pairs[2 * (r * n + j)]!;
        const b = pairs[2 * (r * n + j) + 1]!;
        const t = (-2 * Math.PI * j * k) / n;
        re += a * Math.cos(t) - b * Math.sin(t);
        im += a * Math.sin(t) + b * Math.cos(t);
      }
      out.push(re, im);
    }
  }
  return out;
}

/**
 * Primitives with no conformance case here (the linear-algebra routines, tested by their own suites).
 */
export const primitivesWithoutCases: Primitive[] = PRIMITIVES.filter(
  (p) => !conformanceCases.some((c) => c.primitive === p),
);
