/**
 * Reverse-mode (VJP) rules of every primitive. The table is typed over the whole `Primitive` union, so a new
 * primitive without a rule does not compile. Each rule's maths is the comment beside it; x̄ is the cotangent
 * of input x, ȳ that of the output y.
 */
import {
  type NDArray,
  type OpRecord,
  type Primitive,
  add,
  astype,
  bind,
  cos,
  div,
  equal,
  greater,
  log,
  mul,
  neg,
  pow,
  reshape,
  sign,
  sin,
  sub,
  sum,
  where,
} from '@sciml/linalg';
import { convVjpRules } from './conv.js';
import { complexVjpRules } from './complex.js';
import { linalgVjpRules } from './linalg.js';
import { allButOneProduct } from './prod.js';
import type { VjpRule } from './types.js';
import { constant, keptShape, sliceFlatIndices, unbroadcast } from './util.js';

type Unary = (ct: NDArray, x: NDArray, y: NDArray) => NDArray;
/** Elementwise rule of a unary primitive. */
const unary =
  (fn: Unary): VjpRule<Primitive> =>
  ([ct], { inputs, outputs }) => [fn(ct!, inputs[0]!, outputs[0]!)];

/** No derivative (piecewise constant, or not a float result). */
const zero: VjpRule<Primitive> = (_cts, rec) => rec.inputs.map(() => null);

type Binary = (
  ct: NDArray,
  a: NDArray,
  b: NDArray,
  y: NDArray,
  wanted: readonly boolean[],
) => [NDArray | null, NDArray | null];
/** Rule of a broadcasting binary primitive: the cotangents are summed back to each operand's shape. */
const binary =
  (fn: Binary): VjpRule<Primitive> =>
  ([ct], { inputs: [a, b], outputs: [y] }, wanted) => {
    const [da, db] = fn(ct!, a!, b!, y!, wanted);
    return [
      wanted[0] && da ? unbroadcast(da, a!.shape) : null,
      wanted[1] && db ? unbroadcast(db, b!.shape) : null,
    ];
  };

/** 1 where a > b, ½ where a = b (ties split evenly, as in JAX), 0 elsewhere, in the float dtype of `like`. */
function winnerMask(a: NDArray, b: NDArray, like: NDArray): NDArray {
  const wins = astype(greater(a, b), like.dtype);
  const ties = astype(equal(a, b), like.dtype);
  return add(wins, mul(ties, 0.5));
}

/** ȳ reshaped so it broadcasts against the reduction's input (reduced axes as size 1). */
function ctKept(ct: NDArray, rec: OpRecord<'sum' | 'prod' | 'max' | 'min'>): NDArray {
  return rec.params.keepdims ? ct : reshape(ct, keptShape(rec.inputs[0]!.shape, rec.params.axes));
}

/** Max/min reduction: ȳ goes to the positions that attain the extremum, shared evenly between ties. */
const extremum: VjpRule<'max' | 'min'> = ([ct], rec) => {
  const x = rec.inputs[0]!;
  const y = ctKept(rec.outputs[0]!, rec);
  const mask = astype(equal(x, y), x.dtype);
  const count = sum(mask, { axis: rec.params.axes, keepdims: true });
  return [mul(div(mask, count), ctKept(ct!, rec))];
};

export const vjpRules: { [P in Primitive]: VjpRule<P> } = {
  neg: unary((ct) => neg(ct)), // d(−x) = −dx
  abs: unary((ct, x) => mul(ct, sign(x))), // d|x| = sign(x) dx
  sign: zero, // piecewise constant
  floor: zero, // piecewise constant
  exp: unary((ct, _x, y) => mul(ct, y)), // d eˣ = eˣ dx
  log: unary((ct, x) => div(ct, x)), // d log x = dx / x
  log1p: unary((ct, x) => div(ct, add(x, 1))), // d log(1+x) = dx / (1+x)
  expm1: unary((ct, _x, y) => mul(ct, add(y, 1))), // d(eˣ − 1) = eˣ dx
  sqrt: unary((ct, _x, y) => div(ct, mul(y, 2))), // d√x = dx / (2√x)
  sin: unary((ct, x) => mul(ct, cos(x))), // d sin x = cos x dx
  cos: unary((ct, x) => neg(mul(ct, sin(x)))), // d cos x = −sin x dx
  // d tanh x = (1 − tanh²x) dx, as dx − (dx·y)·y: same-shape ops only, no scalar broadcast
  tanh: unary((ct, _x, y) => sub(ct, mul(mul(ct, y), y))),
  // dσ = σ(1 − σ) dx, as s − s·y with s = y dx
  sigmoid: unary((ct, _x, y) => {
    const s = mul(ct, y);
    return sub(s, mul(s, y));
  }),
  add: binary((ct) => [ct, ct]), // d(a + b) = da + db
  sub: binary((ct, _a, _b, _y, w) => [ct, w[1] ? neg(ct) : null]), // d(a − b) = da − db
  mul: binary((ct, a, b, _y, w) => [w[0] ? mul(ct, b) : null, w[1] ? mul(ct, a) : null]), // d(ab) = b da + a db
  // d(a/b) = da/b − (a/b) db/b
  div: binary((ct, _a, b, y, w) => {
    const q = div(ct, b);
    return [q, w[1] ? neg(mul(q, y)) : null];
  }),
  // d(aᵇ) = b aᵇ⁻¹ da + aᵇ log a db  (JAX's conventions: 0 for b = 0 in the first, log 1 at a = 0 in the second)
  pow: binary((ct, a, b, y, w) => [
    w[0] ? mul(ct, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))) : null,
    w[1] ? mul(ct, mul(y, log(where(equal(a, 0), 1, a)))) : null,
  ]),
  // d max(a, b) = [a > b] da + [b > a] db, ties split evenly
  maximum: binary((ct, a, b, _y, w) => [
    w[0] ? mul(ct, winnerMask(a, b, ct)) : null,
    w[1] ? mul(ct, winnerMask(b, a, ct)) : null,
  ]),
  // d min(a, b) = [a < b] da + [b < a] db, ties split evenly
  minimum: binary((ct, a, b, _y, w) => [
    w[0] ? mul(ct, winnerMask(b, a, ct)) : null,
    w[1] ? mul(ct, winnerMask(a, b, ct)) : null,
  ]),
  less: zero, // boolean result
  lessEqual: zero,
  greater: zero,
  greaterEqual: zero,
  equal: zero,
  notEqual: zero,
  // x̄ = ȳ broadcast back over the summed axes
  sum: ([ct], rec) => [
    bind('broadcastTo', [ctKept(ct!, rec)], { shape: [...rec.inputs[0]!.shape] })[0]!,
  ],
  // x̄ᵢ = ȳ ∏_{j≠i} xⱼ (computed without dividing by x, so zeros are fine)
  prod: ([ct], rec) => [mul(ctKept(ct!, rec), allButOneProduct(rec.inputs[0]!, rec.params.axes))],
  max: extremum,
  min: extremum,
  argmax: zero, // integer result
  argmin: zero,
  reshape: ([ct], { inputs: [x] }) => [reshape(ct!, x!.shape)], // x̄ = reshape(ȳ, shape of x)
  // x̄ = transpose(ȳ, perm⁻¹)
  transpose: ([ct], { params }) => {
    const inverse = new Array<number>(params.perm.length);
    params.perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [bind('transpose', [ct!], { perm: inverse })[0]!];
  },
  broadcastTo: ([ct], { inputs: [x] }) => [unbroadcast(ct!, x!.shape)], // x̄ = Σ over broadcast axes
  // x̄ = ȳ placed back where it was taken (zero padding for unit steps, a scatter for general steps)
  slice: ([ct], { inputs: [x], params: { starts, steps, lengths } }) => {
    const shape = x!.shape;
    if (steps.every((s) => s === 1)) {
      const after = shape.map((d, k) => d - starts[k]! - lengths[k]!);
      return [bind('pad', [ct!], { before: [...starts], after })[0]!];
    }
    const idx = constant(sliceFlatIndices(shape, starts, steps, lengths), [ct!.size], 'int32', ct!);
    const flat = bind('scatterAdd', [reshape(ct!, [ct!.size]), idx], {
      axis: 0,
      shape: [x!.size],
    })[0]!;
    return [reshape(flat, shape)];
  },
  // x̄ = ȳ without the padding
  pad: ([ct], { inputs: [x], params: { before } }) => [
    bind('slice', [ct!], {
      starts: [...before],
      steps: before.map(() => 1),
      lengths: [...x!.shape],
    })[0]!,
  ],
  // x̄ₖ = the k-th block of ȳ along the axis
  concat: ([ct], { inputs, params: { axis } }, wanted) => {
    let offset = 0;
    return inputs.map((x, k) => {
      const start = offset;
      offset += x.shape[axis]!;
      if (!wanted[k]) return null;
      const starts = x.shape.map((_, i) => (i === axis ? start : 0));
      return bind('slice', [ct!], {
        starts,
        steps: x.shape.map(() => 1),
        lengths: [...x.shape],
      })[0]!;
    });
  },
  // x̄ = scatterAdd(ȳ, indices): repeated indices accumulate
  gather: ([ct], { inputs: [x, idx], params: { axis } }) => [
    bind('scatterAdd', [ct!, idx!], { axis, shape: [...x!.shape] })[0]!,
    null,
  ],
  // ū = gather(ȳ, indices)
  scatterAdd: ([ct], { inputs: [, idx], params: { axis } }) => [
    bind('gather', [ct!, idx!], { axis })[0]!,
    null,
  ],
  // ā = where(c, ȳ, 0), b̄ = where(c, 0, ȳ), each summed to its operand's shape
  where: ([ct], { inputs: [c, a, b] }, wanted) => [
    null,
    wanted[1] ? unbroadcast(where(c!, ct!, 0), a!.shape) : null,
    wanted[2] ? unbroadcast(where(c!, 0, ct!), b!.shape) : null,
  ],
  // x̄ = ȳ cast back to x's dtype (float → int casts are not differentiable)
  cast: ([ct], { inputs: [x] }) => [
    x!.dtype === 'float64' || x!.dtype === 'float32' ? astype(ct!, x!.dtype) : null,
  ],
  ...linalgVjpRules,
  ...convVjpRules,
  ...complexVjpRules,
};
