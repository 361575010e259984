import type { BackendInput, OutputSpec } from '../backend/backend.js';
import { type TypedArray, allocEmpty, allocTyped, isComplex } from '../core/dtype.js';
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from '../core/primitives.js';
import { shapesEqual } from '../core/shape.js';
import { tanhF32, tanhF64 } from '../kernels/tanh.js';
import { outerProductMul } from './outer-product.js';
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
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
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

/**
 * A unary primitive over every element. The hot ones get a loop of their own: one shared loop calling `fn`
 * sees every op at its call site, which V8 cannot inline (a megamorphic call per element, ~10× slower).
 */
export function unaryPrimitive(p: UnaryPrimitive, x: BackendInput, out: OutputSpec): TypedArray {
  const src = x.handle as TypedArray;
  const n = src.length;
  // every case below writes all n elements: recycled memory needs no zero-fill
  const dst = isComplex(out.dtype) ? allocTyped(out.dtype, n) : allocEmpty(out.dtype, n);
  switch (p) {
    case 'neg':
      for (let i = 0; i < n; i++) dst[i] = -src[i]!;
      return dst;
    case 'exp':
      for (let i = 0; i < n; i++) dst[i] = Math.exp(src[i]!);
      return dst;
    case 'tanh':
      // the vectorised wasm kernel (within 4 ulp of Math.tanh; it keeps short arrays in TypeScript itself)
      if (src instanceof Float64Array) tanhF64(src, dst as Float64Array);
      else if (src instanceof Float32Array) tanhF32(src, dst as Float32Array);
      else for (let i = 0; i < n; i++) dst[i] = Math.tanh(src[i]!);
      return dst;
    case 'log':
      for (let i = 0; i < n; i++) dst[i] = Math.log(src[i]!);
      return dst;
    case 'sqrt':
      for (let i = 0; i < n; i++) dst[i] = Math.sqrt(src[i]!);
      return dst;
    case 'abs':
      for (let i = 0; i < n; i++) dst[i] = Math.abs(src[i]!);
      return dst;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        dst[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return dst;
    default: {
      const fn = unaryFns[p];
      for (let i = 0; i < n; i++) dst[i] = fn(src[i]!);
      return dst;
    }
  }
}

/** The binary ops with a loop of their own (one shared loop calling `fn` is a megamorphic call per element). */
type Specialised = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | ComparePrimitive;

/** dst[o + i] = a[pa + i·sa] ∘ b[pb + i·sb] for one row, each specialised op as its own loop. */
function binaryRow(
  p: Specialised,
  dst: TypedArray,
  o: number,
  da: TypedArray,
  pa: number,
  sa: number,
  db: TypedArray,
  pb: number,
  sb: number,
  len: number,
): void {
  switch (p) {
    case 'add':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! + db[pb]!;
      return;
    case 'sub':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! - db[pb]!;
      return;
    case 'mul':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! * db[pb]!;
      return;
    case 'div':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! / db[pb]!;
      return;
    // NaN propagates as in binaryFns
    case 'maximum':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) {
        const x = da[pa]!;
        const y = db[pb]!;
        dst[o + i] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.max(x, y);
      }
      return;
    case 'minimum':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) {
        const x = da[pa]!;
        const y = db[pb]!;
        dst[o + i] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.min(x, y);
      }
      return;
    case 'less':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! < db[pb]! ? 1 : 0;
      return;
    case 'lessEqual':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! <= db[pb]! ? 1 : 0;
      return;
    case 'greater':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! > db[pb]! ? 1 : 0;
      return;
    case 'greaterEqual':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! >= db[pb]! ? 1 : 0;
      return;
    case 'equal':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! === db[pb]! ? 1 : 0;
      return;
    case 'notEqual':
      for (let i = 0; i < len; i++, pa += sa, pb += sb) dst[o + i] = da[pa]! !== db[pb]! ? 1 : 0;
      return;
  }
}

const SPECIALISED = new Set<string>([
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'equal',
  'notEqual',
]);

/** Applies a scalar function of two operands with NumPy broadcasting (`op` selects a specialised loop when there is one). */
export function mapBinary(
  a: BackendInput,
  b: BackendInput,
  out: OutputSpec,
  fn: (x: number, y: number) => number,
  op?: BinaryPrimitive | ComparePrimitive,
): TypedArray {
  if (op === 'mul') {
    const outer = outerProductMul(a, b, out);
    if (outer !== undefined) return outer;
  }
  const da = a.handle as TypedArray;
  const db = b.handle as TypedArray;
  const size = out.shape.reduce((p, d) => p * d, 1);
  // both paths below write every element of the output: recycled memory needs no zero-fill
  const dst = isComplex(out.dtype) ? allocTyped(out.dtype, size) : allocEmpty(out.dtype, size);
  const fast = op !== undefined && SPECIALISED.has(op) ? (op as Specialised) : undefined;
  const sameA = shapesEqual(a.shape, out.shape);
  const sameB = shapesEqual(b.shape, out.shape);
  // fast paths: same shapes, or one side a single value
  if ((sameA && sameB) || (sameA && db.length === 1) || (sameB && da.length === 1)) {
    const sa = sameA ? 1 : 0;
    const sb = sameB ? 1 : 0;
    if (fast) binaryRow(fast, dst, 0, da, 0, sa, db, 0, sb, size);
    else
      for (let i = 0, pa = 0, pb = 0; i < size; i++, pa += sa, pb += sb)
        dst[i] = fn(da[pa]!, db[pb]!);
    return dst;
  }
  const sa = broadcastStrides(a.shape, out.shape);
  const sb = broadcastStrides(b.shape, out.shape);
  forEachRow(out.shape, [sa, sb], (o, [oa, ob], [ia, ib], len) => {
    if (fast) {
      binaryRow(fast, dst, o, da, oa!, ia!, db, ob!, ib!, len);
      return;
    }
    let pa = oa!;
    let pb = ob!;
    for (let i = 0; i < len; i++, pa += ia!, pb += ib!) dst[o + i] = fn(da[pa]!, db[pb]!);
  });
  return dst;
}

/** The 32-bit words of a 4- or 8-byte typed array's elements (same memory): one per float32/int32, two per float64. */
function wordsOf(x: TypedArray): Int32Array {
  return new Int32Array(x.buffer, x.byteOffset, x.byteLength >> 2);
}

/**
 * dst[i] = c[i·sc] ? a[i·sa] : b[i·sb] on the elements' bits, for a bool mask c and a, b, dst of one element type
 * of `w` 32-bit words (1 or 2). A relu mask is a coin flip per element, so a branch per element mispredicts half
 * the time; masking the words of both candidates with m = −c (all ones or zero) has no branch (~2× faster on
 * float32 relu activations). Copying bits is exactly the value copy, NaN and −0 included.
 */
function selectBits(
  dc: Uint8Array,
  sc: number,
  a: Int32Array,
  sa: number,
  b: Int32Array,
  sb: number,
  dst: Int32Array,
  w: 1 | 2,
): void {
  const size = dst.length / w;
  if (w === 1) {
    for (let i = 0, pc = 0, pa = 0, pb = 0; i < size; i++, pc += sc, pa += sa, pb += sb) {
      const m = -(dc[pc]! !== 0);
      dst[i] = (a[pa]! & m) | (b[pb]! & ~m);
    }
    return;
  }
  for (let i = 0, pc = 0, pa = 0, pb = 0; i < size; i++, pc += sc, pa += 2 * sa, pb += 2 * sb) {
    const m = -(dc[pc]! !== 0);
    dst[2 * i] = (a[pa]! & m) | (b[pb]! & ~m);
    dst[2 * i + 1] = (a[pa + 1]! & m) | (b[pb + 1]! & ~m);
  }
}

/** `where(cond, a, b)` with three-way broadcasting. */
export function selectWhere(
  c: BackendInput,
  a: BackendInput,
  b: BackendInput,
  out: OutputSpec,
): TypedArray {
  const dc = c.handle as TypedArray;
  const da = a.handle as TypedArray;
  const db = b.handle as TypedArray;
  const size = out.shape.reduce((p, d) => p * d, 1);
  // fast path: every operand has the output's shape or is a single value, as in relu's where(x ≤ 0, 0, x) and its
  // gradient where(c, 0, ȳ): one flat loop, no row callbacks
  const flat = (x: BackendInput) =>
    shapesEqual(x.shape, out.shape) || (x.handle as TypedArray).length === 1;
  if (!isComplex(out.dtype) && flat(c) && flat(a) && flat(b)) {
    // every element is written: recycled memory needs no zero-fill
    const dst = allocEmpty(out.dtype, size);
    const sc = shapesEqual(c.shape, out.shape) ? 1 : 0;
    const sa = shapesEqual(a.shape, out.shape) ? 1 : 0;
    const sb = shapesEqual(b.shape, out.shape) ? 1 : 0;
    const bytes = dst.BYTES_PER_ELEMENT;
    const sameType = da.constructor === dst.constructor && db.constructor === dst.constructor;
    if (dc instanceof Uint8Array && sameType && (bytes === 4 || bytes === 8))
      selectBits(dc, sc, wordsOf(da), sa, wordsOf(db), sb, wordsOf(dst), bytes === 4 ? 1 : 2);
    else
      for (let i = 0, pc = 0, pa = 0, pb = 0; i < size; i++, pc += sc, pa += sa, pb += sb)
        dst[i] = dc[pc] ? da[pa]! : db[pb]!;
    return dst;
  }
  const dst = allocTyped(out.dtype, size);
  const strides = [c, a, b].map((x) => broadcastStrides(x.shape, out.shape));
  forEachRow(out.shape, strides, (o, [oc, oa, ob], [ic, ia, ib], len) => {
    let pc = oc!;
    let pa = oa!;
    let pb = ob!;
    for (let i = 0; i < len; i++, pc += ic!, pa += ia!, pb += ib!)
      dst[o + i] = dc[pc] ? da[pa]! : db[pb]!;
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
