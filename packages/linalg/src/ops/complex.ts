/**
 * Complex arrays (`complex128`, `complex64`): interleaved (re, im) storage, as NumPy. Every op here is composed
 * from the two relabelling primitives `viewAsReal` / `viewAsComplex` and the real primitives, so each is
 * differentiable to any order, jit-able and vmap-able with no complex-specific rule beyond those of the views.
 *
 * Gradient convention (JAX's): for a real loss L of a complex z = x + iy, the cotangent (and `grad`) of z is
 * ∂L/∂x − i ∂L/∂y, the conjugate of the steepest-ascent direction; VJPs are transposes, not adjoints (for a
 * holomorphic f, z̄ ↦ z̄·f′(z)). The views follow it: the VJP of `viewAsComplex` is ȳ ↦ (Re ȳ, −Im ȳ) and that
 * of `viewAsReal` is (ā, b̄) ↦ ā − i b̄. Real arrays of a real loss get their usual gradients.
 */
import {
  type ComplexDType,
  type DType,
  type FloatDType,
  complexDType,
  isComplex,
  isFloat,
  promoteTypes,
  realDType,
} from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import { DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
import { normalizeAxes, normalizeAxis } from '../core/shape.js';
import { assertNDArray } from '../core/validate.js';
import { fromTypedArray } from './creation.js';
import type { ArrayOrScalar } from './lift.js';

/** A complex array's (re, im) pairs as a float array with a trailing axis of length 2 (shares the storage). */
export function viewAsReal(z: NDArray): NDArray {
  assertNDArray('viewAsReal', z, 'z');
  return bind('viewAsReal', [z], {})[0]!;
}

/** A float array with a trailing axis of length 2 read as (re, im) pairs: a complex array (shares the storage). */
export function viewAsComplex(x: NDArray): NDArray {
  assertNDArray('viewAsComplex', x, 'x');
  return bind('viewAsComplex', [x], {})[0]!;
}

// ---- small real helpers (bound directly, so nothing here re-enters the complex dispatch) ----

const prim = (p: 'add' | 'sub' | 'mul' | 'div', a: NDArray, b: NDArray): NDArray =>
  bind(p, [a, b], {})[0]!;
const unary = (p: 'neg' | 'exp' | 'cos' | 'sin' | 'sqrt', a: NDArray): NDArray =>
  bind(p, [a], {})[0]!;
const reshapeTo = (x: NDArray, shape: readonly number[]): NDArray =>
  x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])
    ? x
    : bind('reshape', [x], { shape: [...shape] })[0]!;
const castTo = (x: NDArray, dtype: DType): NDArray =>
  x.dtype === dtype ? x : bind('cast', [x], { dtype })[0]!;

/** A 0-d float array on `like`'s backend. */
function realScalar(value: number, dtype: FloatDType, like: NDArray): NDArray {
  const data = dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]);
  const handle = like.backend.name === 'cpu' ? data : like.backend.upload(data, dtype);
  return new NDArray(handle, [], dtype, like.backend);
}

/** Component `k` (0 = re, 1 = im) of a complex array, as a float array of its shape. */
function part(z: NDArray, k: 0 | 1): NDArray {
  const v = viewAsReal(z);
  const starts = v.shape.map((_, i) => (i === v.ndim - 1 ? k : 0));
  const lengths = v.shape.map((d, i) => (i === v.ndim - 1 ? 1 : d));
  const s = bind('slice', [v], { starts, steps: v.shape.map(() => 1), lengths })[0]!;
  return reshapeTo(s, z.shape);
}

/** re + i·im from two float arrays of one shape and dtype. */
function fromParts(re: NDArray, im: NDArray): NDArray {
  const pair = [re, im].map((p) => reshapeTo(p, [...p.shape, 1]));
  return viewAsComplex(bind('concat', pair, { axis: re.ndim })[0]!);
}

/** The complex dtype two operands promote to. */
function resultDType(a: ArrayOrScalar, b: ArrayOrScalar): ComplexDType {
  const da = typeof a === 'number' ? undefined : a.dtype;
  const db = typeof b === 'number' ? undefined : b.dtype;
  const d = promoteTypes(da ?? db!, db ?? da!);
  if (isComplex(d)) return d;
  return complexDType(isFloat(d) ? d : 'float64');
}

/** (re, im) of an operand as float arrays of `dtype`'s precision (a real operand has im = null). */
function partsOf(x: ArrayOrScalar, dtype: ComplexDType, like: NDArray): [NDArray, NDArray | null] {
  const r = realDType(dtype);
  if (typeof x === 'number') return [realScalar(x, r, like), null];
  if (!isComplex(x.dtype)) return [castTo(x, r), null];
  const z = castComplex(x, dtype);
  return [part(z, 0), part(z, 1)];
}

/** True when either operand is a complex array (the complex dispatch of the elementwise ops). */
export function anyComplex(a: ArrayOrScalar, b?: ArrayOrScalar): boolean {
  return (
    (a instanceof NDArray && isComplex(a.dtype)) || (b instanceof NDArray && isComplex(b.dtype))
  );
}

/** Casts between complex precisions, or a real array to complex (zero imaginary part). */
export function castComplex(x: NDArray, dtype: DType): NDArray {
  if (x.dtype === dtype) return x;
  if (!isComplex(dtype)) {
    throw new DTypeError(
      'astype',
      `casting ${x.dtype} to ${dtype} would discard the imaginary part; take real(z), imag(z) or abs(z) explicitly`,
    );
  }
  if (isComplex(x.dtype)) return viewAsComplex(castTo(viewAsReal(x), realDType(dtype)));
  const re = castTo(x, realDType(dtype));
  return fromParts(re, bind('sub', [re, re], {})[0]!);
}

/**
 * `re + i·im` (NumPy's `re + 1j*im`), with broadcasting; the parts are promoted to one float dtype.
 * @example `complex(array([1, 2]), array([0, -1]))` is [1+0i, 2−1i] (complex128)
 */
export function complex(re: NDArray, im: NDArray): NDArray {
  assertNDArray('complex', re, 're');
  assertNDArray('complex', im, 'im');
  if (isComplex(re.dtype) || isComplex(im.dtype))
    throw new DTypeError(
      'complex',
      're and im must be real arrays; for complex inputs use add/mul',
    );
  const dtype = resultDType(re, im);
  const r = castTo(re, realDType(dtype));
  const i = castTo(im, realDType(dtype));
  const shape = broadcastShape(r.shape, i.shape);
  return fromParts(broadcastTo(r, shape), broadcastTo(i, shape));
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = a[a.length - n + k] ?? 1;
    const y = b[b.length - n + k] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new ShapeError(
        'complex',
        `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`,
      );
    out.push(x === 1 ? y : x);
  }
  return out;
}

function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return bind('broadcastTo', [x], { shape: [...shape] })[0]!;
}

/** Real part (a real array is its own real part). */
export function real(z: NDArray): NDArray {
  assertNDArray('real', z, 'z');
  return isComplex(z.dtype) ? part(z, 0) : z;
}

/** Imaginary part (zeros for a real array). */
export function imag(z: NDArray): NDArray {
  assertNDArray('imag', z, 'z');
  if (isComplex(z.dtype)) return part(z, 1);
  return bind('sub', [z, z], {})[0]!;
}

/** Complex conjugate x − iy (a real array is returned as is). */
export function conj(z: NDArray): NDArray {
  assertNDArray('conj', z, 'z');
  if (!isComplex(z.dtype)) return z;
  const v = viewAsReal(z);
  const data = v.dtype === 'float64' ? new Float64Array([1, -1]) : new Float32Array([1, -1]);
  const flip = fromTypedArray(data, [2], { backend: v.backend });
  return viewAsComplex(prim('mul', v, flip));
}

/** Modulus |z| = √(x² + y²) as a real array (its derivative at z = 0 is undefined, as for √). */
export function complexAbs(z: NDArray): NDArray {
  const re = part(z, 0);
  const im = part(z, 1);
  return unary('sqrt', prim('add', prim('mul', re, re), prim('mul', im, im)));
}

/**
 * Argument atan2(y, x) ∈ (−π, π] of each element (0 or π for a real array), like `numpy.angle`. Computed from
 * the values, so it has no derivative rule: under `grad`/`jit` it throws (differentiate through real/imag).
 */
export function angle(z: NDArray): NDArray {
  assertNDArray('angle', z, 'z');
  const complexInput = isComplex(z.dtype);
  const dtype: FloatDType = complexInput
    ? realDType(z.dtype as ComplexDType)
    : z.dtype === 'float32'
      ? 'float32'
      : 'float64';
  const src = z.dataSync();
  const out = dtype === 'float64' ? new Float64Array(z.size) : new Float32Array(z.size);
  for (let k = 0; k < z.size; k++) {
    out[k] = complexInput ? Math.atan2(src[2 * k + 1]!, src[2 * k]!) : Math.atan2(0, src[k]!);
  }
  return fromTypedArray(out, z.shape, { backend: z.backend });
}

/** Elementwise complex a ± b, a·b or a/b with broadcasting (either operand may be real or a number). */
export function complexBinary(
  op: 'add' | 'sub' | 'mul' | 'div',
  a: ArrayOrScalar,
  b: ArrayOrScalar,
): NDArray {
  const like = (a instanceof NDArray ? a : b) as NDArray;
  const dtype = resultDType(a, b);
  const [ar, ai] = partsOf(a, dtype, like);
  const [br, bi] = partsOf(b, dtype, like);
  const zero = (x: NDArray): NDArray => prim('sub', x, x);
  if (op === 'add' || op === 'sub') {
    return fromParts(prim(op, ar, br), prim(op, ai ?? zero(ar), bi ?? zero(br)));
  }
  if (op === 'mul') {
    if (ai && bi) {
      // (ar + i ai)(br + i bi) = (ar br − ai bi) + i (ar bi + ai br)
      return fromParts(
        prim('sub', prim('mul', ar, br), prim('mul', ai, bi)),
        prim('add', prim('mul', ar, bi), prim('mul', ai, br)),
      );
    }
    const [zr, zi, r] = ai ? [ar, ai, br] : [br, bi!, ar];
    return fromParts(prim('mul', zr, r), prim('mul', zi, r));
  }
  if (!bi) return fromParts(prim('div', ar, br), prim('div', ai!, br));
  // a / b = a·b̄ / |b|²
  const den = prim('add', prim('mul', br, br), prim('mul', bi, bi));
  const re = ai ? prim('add', prim('mul', ar, br), prim('mul', ai, bi)) : prim('mul', ar, br);
  const im = ai
    ? prim('sub', prim('mul', ai, br), prim('mul', ar, bi))
    : unary('neg', prim('mul', ar, bi));
  return fromParts(prim('div', re, den), prim('div', im, den));
}

/** −z. */
export function complexNeg(z: NDArray): NDArray {
  return viewAsComplex(unary('neg', viewAsReal(z)));
}

/** e^{x + iy} = eˣ (cos y + i sin y). */
export function complexExp(z: NDArray): NDArray {
  const m = unary('exp', part(z, 0));
  const y = part(z, 1);
  return fromParts(prim('mul', m, unary('cos', y)), prim('mul', m, unary('sin', y)));
}

/** Σ of a complex array over axes (of z; negative count from the end). */
export function complexSum(
  z: NDArray,
  axis: number | readonly number[] | undefined,
  keepdims: boolean,
): NDArray {
  const axes = normalizeAxes('sum', axis, z.ndim);
  return viewAsComplex(bind('sum', [viewAsReal(z)], { axes, keepdims })[0]!);
}

/** Batched complex matrix product by four real products: (A + iB)(C + iD) = (AC − BD) + i(AD + BC). */
export function complexMatmul(
  a: NDArray,
  b: NDArray,
  matmul: (x: NDArray, y: NDArray) => NDArray,
): NDArray {
  const dtype = resultDType(a, b);
  const [ar, ai] = partsOf(a, dtype, a);
  const [br, bi] = partsOf(b, dtype, b);
  if (ai && bi) {
    return fromParts(
      prim('sub', matmul(ar, br), matmul(ai, bi)),
      prim('add', matmul(ar, bi), matmul(ai, br)),
    );
  }
  if (ai) return fromParts(matmul(ar, br), matmul(ai, br));
  return fromParts(matmul(ar, br), matmul(ar, bi!));
}

/**
 * A structural op applied to a complex array through its real view: `f` gets the (..., 2) view and must keep
 * the trailing pair axis last (reshape to [...shape, 2], transpose with the last axis fixed, slices that take
 * it whole, concatenation along another axis).
 */
export function viaRealView(z: NDArray, f: (v: NDArray) => NDArray): NDArray {
  return viewAsComplex(f(viewAsReal(z)));
}

/** Moves axis `from` of a complex or real array to the last position (identity if already there). */
export function moveAxisLast(x: NDArray, from: number): NDArray {
  const a = normalizeAxis('moveaxis', from, x.ndim);
  if (a === x.ndim - 1) return x;
  const perm = [...x.shape.keys()].filter((k) => k !== a);
  perm.push(a);
  return permuteAny(x, perm);
}

/** Moves the last axis of `x` back to position `to`. */
export function moveLastAxisTo(x: NDArray, to: number): NDArray {
  const last = x.ndim - 1;
  if (to === last) return x;
  const perm: number[] = [];
  for (let k = 0, src = 0; k < x.ndim; k++) perm.push(k === to ? last : src++);
  return permuteAny(x, perm);
}

/** Transposes a real or complex array (a complex one through its view, the pair axis kept last). */
export function permuteAny(x: NDArray, perm: readonly number[]): NDArray {
  if (perm.every((p, i) => p === i)) return x;
  if (!isComplex(x.dtype)) return bind('transpose', [x], { perm: [...perm] })[0]!;
  return viaRealView(x, (v) => bind('transpose', [v], { perm: [...perm, perm.length] })[0]!);
}
