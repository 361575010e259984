import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type TypedArray, allocTyped } from '../core/dtype.js';
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from '../core/primitives.js';
import { shapesEqual } from '../core/shape.js';
import { broadcastStrides, forEachRow } from './strided.js';

/** Scalar definition of each unary primitive (the CPU reference, also the spec for other backends). */
export const unaryFns: { [P in UnaryPrimitive]: (x: number) => number } = {
  neg: (x) => -x,
  abs: Math.abs,
  // sign(NaN) stays NaN, sign(±0) = 0 as in NumPy
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : Number.NaN),
  floor: Math.floor,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  // split by sign so exp never overflows: σ(x) = 1/(1+e^-x) = e^x/(1+e^x)
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
};

/** Scalar definition of each binary primitive. `maximum`/`minimum` propagate NaN like NumPy. */
export const binaryFns: { [P in BinaryPrimitive]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (a !== a || b !== b ? Number.NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? Number.NaN : a < b ? a : b),
};

/** Scalar definition of each comparison (1 for true). */
export const compareFns: { [P in ComparePrimitive]: (a: number, b: number) => number } = {
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
};

/** Applies a scalar function to every element. */
export function mapUnary(x: BackendInput, out: OutputSpec, fn: (v: number) => number): TypedArray {
  const src = x.handle as TypedArray;
  const dst = allocTyped(out.dtype, src.length);
  for (let i = 0; i < src.length; i++) dst[i] = fn(src[i]!);
  return dst;
}

/** Applies a scalar function of two operands with NumPy broadcasting. */
export function mapBinary(
  a: BackendInput,
  b: BackendInput,
  out: OutputSpec,
  fn: (x: number, y: number) => number,
): TypedArray {
  const da = a.handle as TypedArray;
  const db = b.handle as TypedArray;
  const n = da.length;
  // fast paths: same shape, or one side a single value
  if (shapesEqual(a.shape, out.shape) && shapesEqual(b.shape, out.shape)) {
    const dst = allocTyped(out.dtype, n);
    for (let i = 0; i < n; i++) dst[i] = fn(da[i]!, db[i]!);
    return dst;
  }
  const dst = allocTyped(out.dtype, out.shape.reduce((p, d) => p * d, 1));
  if (db.length === 1 && shapesEqual(a.shape, out.shape)) {
    const s = db[0]!;
    for (let i = 0; i < n; i++) dst[i] = fn(da[i]!, s);
    return dst;
  }
  const sa = broadcastStrides(a.shape, out.shape);
  const sb = broadcastStrides(b.shape, out.shape);
  forEachRow(out.shape, [sa, sb], (o, [oa, ob], [ia, ib], len) => {
    let pa = oa!;
    let pb = ob!;
    for (let i = 0; i < len; i++, pa += ia!, pb += ib!) dst[o + i] = fn(da[pa]!, db[pb]!);
  });
  return dst;
}

/** `where(cond, a, b)` with three-way broadcasting. */
export function selectWhere(c: BackendInput, a: BackendInput, b: BackendInput, out: OutputSpec): TypedArray {
  const dc = c.handle as TypedArray;
  const da = a.handle as TypedArray;
  const db = b.handle as TypedArray;
  const dst = allocTyped(out.dtype, out.shape.reduce((p, d) => p * d, 1));
  const strides = [c, a, b].map((x) => broadcastStrides(x.shape, out.shape));
  forEachRow(out.shape, strides, (o, [oc, oa, ob], [ic, ia, ib], len) => {
    let pc = oc!;
    let pa = oa!;
    let pb = ob!;
    for (let i = 0; i < len; i++, pc += ic!, pa += ia!, pb += ib!) dst[o + i] = dc[pc] ? da[pa]! : db[pb]!;
  });
  return dst;
}

/** Converts between dtypes (float → int32 truncates toward zero; anything → bool is `!= 0`). */
export function castTo(x: BackendInput, out: OutputSpec): TypedArray {
  const src = x.handle as TypedArray;
  if (out.dtype === 'bool') return mapUnary(x, out, (v) => (v !== 0 ? 1 : 0));
  if (out.dtype === 'int32') return mapUnary(x, out, (v) => Math.trunc(v));
  const dst = allocTyped(out.dtype, src.length);
  dst.set(src);
  return dst;
}
