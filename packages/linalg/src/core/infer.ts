import type { OutputSpec } from '../backend/backend.js';
import { type DType, complexDType, isComplex, isFloat, realDType } from './dtype.js';
import { inferConv, inferConvTranspose, inferConvWeightGrad, inferPool } from './conv-geometry.js';
import { DTypeError, ShapeError, ValueError, formatShape } from './errors.js';
import type { NDArray } from './ndarray.js';
import type { Primitive, PrimitiveParams, ReduceParams } from './primitives.js';
import { broadcastShapes, shapesEqual, sizeOf } from './shape.js';

type Rule<P extends Primitive> = (
  inputs: readonly NDArray[],
  params: PrimitiveParams<P>,
) => OutputSpec[];
/** A rule that ignores params (assignable to every parameterless primitive's rule). */
type PlainRule = (inputs: readonly NDArray[]) => OutputSpec[];

function sameDType(op: string, inputs: readonly NDArray[]): DType {
  const d = inputs[0]!.dtype;
  for (const x of inputs) {
    if (x.dtype !== d) {
      throw new DTypeError(
        op,
        `inputs have dtypes ${inputs.map((i) => i.dtype).join(' and ')}; cast them to one dtype first`,
      );
    }
  }
  return d;
}

const floatUnary =
  (op: string): PlainRule =>
  ([x]) => {
    if (!isFloat(x!.dtype))
      throw new DTypeError(op, `needs a float array, got ${x!.dtype}; use astype('float64')`);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  };
const anyUnary: PlainRule = ([x]) => [{ shape: x!.shape, dtype: x!.dtype }];
const binary =
  (op: string): PlainRule =>
  (inputs) => [
    {
      shape: broadcastShapes(op, inputs[0]!.shape, inputs[1]!.shape),
      dtype: sameDType(op, inputs),
    },
  ];
const compare =
  (op: string): PlainRule =>
  (inputs) => [{ shape: broadcastShapes(op, inputs[0]!.shape, inputs[1]!.shape), dtype: 'bool' }];
const reduce =
  () =>
  ([x]: readonly NDArray[], p: ReduceParams): OutputSpec[] => {
    const set = new Set(p.axes);
    const shape: number[] = [];
    x!.shape.forEach((d, i) => {
      if (!set.has(i)) shape.push(d);
      else if (p.keepdims) shape.push(1);
    });
    return [{ shape, dtype: x!.dtype }];
  };
const extremum =
  (op: string) =>
  (inputs: readonly NDArray[], p: ReduceParams): OutputSpec[] => {
    for (const a of p.axes) {
      if (inputs[0]!.shape[a] === 0)
        throw new ValueError(op, `cannot reduce an empty axis ${a} (no identity)`);
    }
    return reduce()(inputs, p);
  };
const argReduce =
  (op: string) =>
  ([x]: readonly NDArray[], p: PrimitiveParams<'argmax'>): OutputSpec[] => {
    if (x!.shape[p.axis] === 0)
      throw new ValueError(op, `cannot take ${op} of an empty axis ${p.axis}`);
    const shape = x!.shape.flatMap((d, i) => (i === p.axis ? (p.keepdims ? [1] : []) : [d]));
    return [{ shape, dtype: 'int32' }];
  };

function matrixDims(op: string, x: NDArray): [number, number] {
  if (x.ndim < 2)
    throw new ShapeError(
      op,
      `needs a matrix (or a batch of matrices), got shape ${formatShape(x.shape)}`,
    );
  return [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
}
function floatInput(op: string, x: NDArray): DType {
  if (!isFloat(x.dtype))
    throw new DTypeError(op, `needs a float array, got ${x.dtype}; use astype('float64')`);
  return x.dtype;
}
function square(op: string, x: NDArray): number {
  const [m, n] = matrixDims(op, x);
  if (m !== n) throw new ShapeError(op, `needs square matrices, got shape ${formatShape(x.shape)}`);
  return n;
}

/**
 * Output shape/dtype rules for every primitive. Typed over the whole `Primitive` union, so a new primitive
 * without a rule does not compile. Rules validate inputs and throw typed errors.
 */
export const inferRules: { [P in Primitive]: Rule<P> } = {
  neg: anyUnary,
  abs: anyUnary,
  sign: anyUnary,
  floor: anyUnary,
  exp: floatUnary('exp'),
  log: floatUnary('log'),
  log1p: floatUnary('log1p'),
  expm1: floatUnary('expm1'),
  sqrt: floatUnary('sqrt'),
  sin: floatUnary('sin'),
  cos: floatUnary('cos'),
  tanh: floatUnary('tanh'),
  sigmoid: floatUnary('sigmoid'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  less: compare('less'),
  lessEqual: compare('lessEqual'),
  greater: compare('greater'),
  greaterEqual: compare('greaterEqual'),
  equal: compare('equal'),
  notEqual: compare('notEqual'),
  sum: reduce(),
  prod: reduce(),
  max: extremum('max'),
  min: extremum('min'),
  argmax: argReduce('argmax'),
  argmin: argReduce('argmin'),
  reshape: ([x], p) => {
    if (sizeOf(p.shape) !== x!.size) {
      throw new ShapeError(
        'reshape',
        `cannot reshape ${formatShape(x!.shape)} (${x!.size} elements) into ${formatShape(p.shape)}`,
      );
    }
    return [{ shape: p.shape, dtype: x!.dtype }];
  },
  transpose: ([x], p) => {
    const sorted = [...p.perm].sort((a, b) => a - b);
    if (p.perm.length !== x!.ndim || sorted.some((v, i) => v !== i)) {
      throw new ShapeError(
        'transpose',
        `axes ${JSON.stringify(p.perm)} are not a permutation of ${x!.ndim} axes`,
      );
    }
    return [{ shape: p.perm.map((a) => x!.shape[a]!), dtype: x!.dtype }];
  },
  broadcastTo: ([x], p) => {
    const b = broadcastShapes('broadcastTo', x!.shape, p.shape);
    if (!shapesEqual(b, p.shape)) {
      throw new ShapeError(
        'broadcastTo',
        `cannot broadcast ${formatShape(x!.shape)} to ${formatShape(p.shape)}`,
      );
    }
    return [{ shape: p.shape, dtype: x!.dtype }];
  },
  slice: ([x], p) => [{ shape: p.lengths, dtype: x!.dtype }],
  pad: ([x], p) => [
    { shape: x!.shape.map((d, i) => d + p.before[i]! + p.after[i]!), dtype: x!.dtype },
  ],
  concat: (inputs, p) => {
    const first = inputs[0]!;
    const dtype = sameDType('concat', inputs);
    let total = 0;
    for (const x of inputs) {
      const ok =
        x.ndim === first.ndim && x.shape.every((d, i) => i === p.axis || d === first.shape[i]);
      if (!ok) {
        throw new ShapeError(
          'concat',
          `shapes ${inputs.map((i) => formatShape(i.shape)).join(', ')} differ outside axis ${p.axis}`,
        );
      }
      total += x.shape[p.axis]!;
    }
    const shape = [...first.shape];
    shape[p.axis] = total;
    return [{ shape, dtype }];
  },
  gather: ([x, idx], p) => {
    if (idx!.dtype !== 'int32')
      throw new DTypeError('gather', `indices must be int32, got ${idx!.dtype}`);
    const shape = [...x!.shape.slice(0, p.axis), ...idx!.shape, ...x!.shape.slice(p.axis + 1)];
    return [{ shape, dtype: x!.dtype }];
  },
  scatterAdd: ([u, idx], p) => {
    if (idx!.dtype !== 'int32')
      throw new DTypeError('scatterAdd', `indices must be int32, got ${idx!.dtype}`);
    const expected = [...p.shape.slice(0, p.axis), ...idx!.shape, ...p.shape.slice(p.axis + 1)];
    if (!shapesEqual(expected, u!.shape)) {
      throw new ShapeError(
        'scatterAdd',
        `updates have shape ${formatShape(u!.shape)}, expected ${formatShape(expected)}`,
      );
    }
    return [{ shape: p.shape, dtype: u!.dtype }];
  },
  where: ([c, a, b]) => {
    const dtype = sameDType('where', [a!, b!]);
    return [{ shape: broadcastShapes('where', c!.shape, a!.shape, b!.shape), dtype }];
  },
  cast: ([x], p) => [{ shape: x!.shape, dtype: p.dtype }],
  matmul: ([a, b], p) => {
    const dtype = sameDType('matmul', [a!, b!]);
    floatInput('matmul', a!);
    let [m, k] = matrixDims('matmul', a!);
    let [k2, n] = matrixDims('matmul', b!);
    if (p.transA) [m, k] = [k, m];
    if (p.transB) [k2, n] = [n, k2];
    if (k !== k2) {
      throw new ShapeError(
        'matmul',
        `inner dimensions differ: ${formatShape(a!.shape)}${p.transA ? 'ᵀ' : ''} @ ${formatShape(b!.shape)}${p.transB ? 'ᵀ' : ''} (${k} vs ${k2})`,
      );
    }
    const batch = broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return [{ shape: [...batch, m, n], dtype }];
  },
  triangularSolve: ([a, b]) => {
    const dtype = sameDType('triangularSolve', [a!, b!]);
    const n = square('triangularSolve', a!);
    const [bm] = matrixDims('triangularSolve', b!);
    if (bm !== n) {
      throw new ShapeError(
        'triangularSolve',
        `A is ${formatShape(a!.shape)} but B has ${bm} rows; they must match`,
      );
    }
    const batch = broadcastShapes('triangularSolve', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return [{ shape: [...batch, ...b!.shape.slice(-2)], dtype }];
  },
  cholesky: ([a]) => {
    square('cholesky', a!);
    return [{ shape: a!.shape, dtype: floatInput('cholesky', a!) }];
  },
  lu: ([a]) => {
    const dtype = floatInput('lu', a!);
    const [m] = matrixDims('lu', a!);
    return [
      { shape: a!.shape, dtype },
      { shape: [...a!.shape.slice(0, -2), m], dtype: 'int32' },
    ];
  },
  qr: ([a], p) => {
    const dtype = floatInput('qr', a!);
    const [m, n] = matrixDims('qr', a!);
    const batch = a!.shape.slice(0, -2);
    const k = p.mode === 'complete' ? m : Math.min(m, n);
    return [
      { shape: [...batch, m, k], dtype },
      { shape: [...batch, k, n], dtype },
    ];
  },
  eigh: ([a]) => {
    const dtype = floatInput('eigh', a!);
    const n = square('eigh', a!);
    const batch = a!.shape.slice(0, -2);
    return [
      { shape: [...batch, n], dtype },
      { shape: [...batch, n, n], dtype },
    ];
  },
  svd: ([a], p) => {
    const dtype = floatInput('svd', a!);
    const [m, n] = matrixDims('svd', a!);
    const batch = a!.shape.slice(0, -2);
    const k = Math.min(m, n);
    return [
      { shape: [...batch, m, p.fullMatrices ? m : k], dtype },
      { shape: [...batch, k], dtype },
      { shape: [...batch, p.fullMatrices ? n : k, n], dtype },
    ];
  },
  conv: ([x, w], p) => [inferConv('conv', x!, w!, p)],
  convTranspose: ([y, w], p) => [inferConvTranspose('convTranspose', y!, w!, p)],
  convWeightGrad: ([x, y], p) => [inferConvWeightGrad('convWeightGrad', x!, y!, p)],
  maxPool: ([x], p) => {
    const out = inferPool('maxPool', x!, p);
    return [out, { shape: out.shape, dtype: 'int32' }];
  },
  avgPool: ([x], p) => [inferPool('avgPool', x!, p)],
  viewAsReal: ([x]) => {
    if (!isComplex(x!.dtype))
      throw new DTypeError('viewAsReal', `needs a complex array, got ${x!.dtype}`);
    return [{ shape: [...x!.shape, 2], dtype: realDType(x!.dtype) }];
  },
  viewAsComplex: ([x]) => {
    if (!isFloat(x!.dtype)) {
      throw new DTypeError(
        'viewAsComplex',
        `needs a float64 or float32 array, got ${x!.dtype}; use astype('float64')`,
      );
    }
    if (x!.ndim === 0 || x!.shape[x!.ndim - 1] !== 2) {
      throw new ShapeError(
        'viewAsComplex',
        `needs a last axis of length 2 (re, im), got shape ${formatShape(x!.shape)}`,
      );
    }
    return [{ shape: x!.shape.slice(0, -1), dtype: complexDType(x!.dtype) }];
  },
  fft: ([x], p) => {
    if (!isComplex(x!.dtype))
      throw new DTypeError('fft', `the fft primitive needs a complex array, got ${x!.dtype}`);
    if (x!.ndim === 0)
      throw new ShapeError('fft', 'needs at least one axis to transform, got a 0-d array');
    if (!Number.isFinite(p.scale))
      throw new ValueError('fft', `scale must be finite, got ${p.scale}`);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
};

/** Primitives that take complex operands; every other op on a complex array is composed from these. */
const COMPLEX_AWARE = new Set<Primitive>(['viewAsReal', 'fft']);

/** A DTypeError for primitive `p` met with a complex operand: only the complex primitives take them. */
function refuseComplex(p: Primitive, inputs: readonly NDArray[]): void {
  if (COMPLEX_AWARE.has(p)) return;
  const c = inputs.find((x) => isComplex(x.dtype));
  if (c !== undefined) {
    throw new DTypeError(
      p,
      `'${p}' does not take ${c.dtype} arrays; complex arrays support creation, real/imag/conj/abs/angle, ` +
        `+ − × ÷, exp, sum/mean, matmul, reshape/transpose/slice/concat and the FFT — apply other ops to ` +
        `real(z) and imag(z), or to viewAsReal(z)`,
    );
  }
}

/** Validates inputs of primitive `p` and returns its output shapes and dtypes. */
export function inferOutputs<P extends Primitive>(
  p: P,
  inputs: readonly NDArray[],
  params: PrimitiveParams<P>,
): OutputSpec[] {
  refuseComplex(p, inputs);
  if (p === 'cast' && isComplex((params as PrimitiveParams<'cast'>).dtype)) {
    throw new DTypeError(
      'cast',
      'cast to a complex dtype with astype(x, dtype) or complex(re, im)',
    );
  }
  return (inferRules[p] as Rule<P>)(inputs, params);
}
