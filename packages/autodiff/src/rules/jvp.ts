/**
 * Forward-mode (JVP) rules of every primitive, typed over the whole `Primitive` union. ẋ is the tangent of
 * input x (null = zero); each rule returns the tangent of every output, shaped like that output.
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
import { convJvpRules } from './conv.js';
import { complexJvpRules } from './complex.js';
import { linalgJvpRules } from './linalg.js';
import { allButOneProduct } from './prod.js';
import type { JvpRule } from './types.js';
import { addOpt, broadcastTo, keptShape, orZeros } from './util.js';

type Unary = (t: NDArray, x: NDArray, y: NDArray) => NDArray;
/** Elementwise rule of a unary primitive. */
const unary =
  (fn: Unary): JvpRule<Primitive> =>
  ([t], { inputs, outputs }) => [fn(t!, inputs[0]!, outputs[0]!)];

/** No derivative. */
const zero: JvpRule<Primitive> = (_t, rec) => rec.outputs.map(() => null);

/** A structural primitive is linear: its tangent is the same primitive applied to the tangent. */
const linear: JvpRule<Primitive> = ([t], rec) =>
  bind(rec.primitive, [t!, ...rec.inputs.slice(1)], rec.params);

type Binary = (
  ta: NDArray | null,
  tb: NDArray | null,
  a: NDArray,
  b: NDArray,
  y: NDArray,
) => NDArray | null;
/** Rule of a broadcasting binary primitive; the tangent is broadcast to the output's shape. */
const binary =
  (fn: Binary): JvpRule<Primitive> =>
  ([ta, tb], { inputs: [a, b], outputs: [y] }) => {
    const t = fn(ta ?? null, tb ?? null, a!, b!, y!);
    return [t ? broadcastTo(t, y!.shape) : null];
  };

/** [a > b] + ½[a = b] in the float dtype of `like` (ties split evenly, as in the VJP). */
function winnerMask(a: NDArray, b: NDArray, like: NDArray): NDArray {
  return add(
    astype(bind('greater', [a, b], {})[0]!, like.dtype),
    mul(astype(equal(a, b), like.dtype), 0.5),
  );
}

/** Max/min reduction: the mean tangent over the positions that attain the extremum. */
const extremum: JvpRule<'max' | 'min'> = ([t], { inputs: [x], outputs: [y], params }) => {
  const yk = params.keepdims ? y! : reshape(y!, keptShape(x!.shape, params.axes));
  const mask = astype(equal(x!, yk), x!.dtype);
  const weights = div(mask, sum(mask, { axis: params.axes, keepdims: true }));
  return [bind('sum', [mul(t!, weights)], params)[0]!];
};

const add2 = (a: NDArray, b: NDArray): NDArray => add(a, b);

export const jvpRules: { [P in Primitive]: JvpRule<P> } = {
  neg: unary((t) => neg(t)), // d(−x) = −dx
  abs: unary((t, x) => mul(t, sign(x))), // d|x| = sign(x) dx
  sign: zero, // piecewise constant
  floor: zero, // piecewise constant
  exp: unary((t, _x, y) => mul(t, y)), // d eˣ = eˣ dx
  log: unary((t, x) => div(t, x)), // d log x = dx / x
  log1p: unary((t, x) => div(t, add(x, 1))), // d log(1+x) = dx / (1+x)
  expm1: unary((t, _x, y) => mul(t, add(y, 1))), // d(eˣ − 1) = eˣ dx
  sqrt: unary((t, _x, y) => div(t, mul(y, 2))), // d√x = dx / (2√x)
  sin: unary((t, x) => mul(t, cos(x))), // d sin x = cos x dx
  cos: unary((t, x) => neg(mul(t, sin(x)))), // d cos x = −sin x dx
  // d tanh x = (1 − tanh²x) dx, as dx − (dx·y)·y: same-shape ops only, no scalar broadcast
  tanh: unary((t, _x, y) => sub(t, mul(mul(t, y), y))),
  // dσ = σ(1 − σ) dx, as s − s·y with s = y dx
  sigmoid: unary((t, _x, y) => {
    const s = mul(t, y);
    return sub(s, mul(s, y));
  }),
  add: binary((ta, tb) => addOpt(ta, tb, add2)), // d(a + b) = da + db
  sub: binary((ta, tb) => addOpt(ta, tb && neg(tb), add2)), // d(a − b) = da − db
  mul: binary((ta, tb, a, b) => addOpt(ta && mul(ta, b), tb && mul(a, tb), add2)), // d(ab) = b da + a db
  div: binary((ta, tb, _a, b, y) => addOpt(ta && div(ta, b), tb && neg(div(mul(tb, y), b)), add2)), // d(a/b) = (da − y db)/b
  // d(aᵇ) = b aᵇ⁻¹ da + aᵇ log a db (0 for b = 0 in the first term, log 1 at a = 0 in the second, as JAX)
  pow: binary((ta, tb, a, b, y) =>
    addOpt(
      ta && mul(ta, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
      tb && mul(tb, mul(y, log(where(equal(a, 0), 1, a)))),
      add2,
    ),
  ),
  // d max(a, b) = [a > b] da + [b > a] db, ties split evenly
  maximum: binary((ta, tb, a, b, y) =>
    addOpt(ta && mul(ta, winnerMask(a, b, y)), tb && mul(tb, winnerMask(b, a, y)), add2),
  ),
  // d min(a, b) = [a < b] da + [b < a] db, ties split evenly
  minimum: binary((ta, tb, a, b, y) =>
    addOpt(ta && mul(ta, winnerMask(b, a, y)), tb && mul(tb, winnerMask(a, b, y)), add2),
  ),
  less: zero, // boolean result
  lessEqual: zero,
  greater: zero,
  greaterEqual: zero,
  equal: zero,
  notEqual: zero,
  sum: linear, // d Σx = Σ dx
  // d ∏x = Σᵢ (∏_{j≠i} xⱼ) dxᵢ
  prod: ([t], { inputs: [x], params }) => [
    bind('sum', [mul(t!, allButOneProduct(x!, params.axes))], params)[0]!,
  ],
  max: extremum,
  min: extremum,
  argmax: zero, // integer result
  argmin: zero,
  // a reshape to the same shape (how jvp and grad alias their arguments) passes the tangent on as it is: a
  // constant tangent then stays one array through nested jvps, so `jit` captures it once and merges the work
  reshape: (ts, rec) =>
    ts[0]!.shape.length === rec.params.shape.length &&
    ts[0]!.shape.every((n, i) => n === rec.params.shape[i])
      ? [ts[0]!]
      : linear(ts, rec),
  transpose: linear,
  broadcastTo: linear,
  slice: linear,
  pad: linear,
  // d concat(xs) = concat(dxs), zeros for inputs without a tangent
  concat: (ts, { inputs, params }) => [
    bind(
      'concat',
      inputs.map((x, i) => orZeros(ts[i] ?? null, x)),
      params,
    )[0]!,
  ],
  gather: ([t], { inputs: [, idx], params }) => [bind('gather', [t!, idx!], params)[0]!], // d take(x, i) = take(dx, i)
  scatterAdd: ([t], { inputs: [, idx], params }) => [bind('scatterAdd', [t!, idx!], params)[0]!], // linear in the updates
  // d where(c, a, b) = where(c, da, db)
  where: ([, ta, tb], { inputs: [c, a, b], outputs: [y] }) => [
    broadcastTo(where(c!, orZeros(ta ?? null, a!), orZeros(tb ?? null, b!)), y!.shape),
  ],
  // a cast to a float dtype passes the tangent through; to int/bool it has none
  cast: ([t], { params: { dtype } }) => [
    dtype === 'float64' || dtype === 'float32' ? astype(t!, dtype) : null,
  ],
  ...linalgJvpRules,
  ...convJvpRules,
  ...complexJvpRules,
};

/** Tangents of a record's outputs from its inputs' tangents. */
export function applyJvp(
  tangents: readonly (NDArray | null)[],
  rec: OpRecord,
): readonly (NDArray | null)[] {
  return (jvpRules[rec.primitive] as JvpRule<Primitive>)(tangents, rec);
}
