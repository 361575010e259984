import { assertFloat } from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import type { NDArray } from '../core/ndarray.js';
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from '../core/primitives.js';
import { isComplex } from '../core/dtype.js';
import { anyComplex, complexAbs, complexBinary, complexExp, complexNeg } from './complex.js';
import { type ArrayOrScalar, castIfNeeded, liftPair, scalarLike, scalarOn } from './lift.js';

const un = (p: UnaryPrimitive, x: NDArray): NDArray => bind(p, [x], {})[0]!;
const bin = (p: BinaryPrimitive, a: ArrayOrScalar, b: ArrayOrScalar): NDArray =>
  bind(p, liftPair(p, a, b), {})[0]!;
/** + − × ÷ also take complex operands (composed from real ops on the (re, im) views). */
const arith = (p: 'add' | 'sub' | 'mul' | 'div', a: ArrayOrScalar, b: ArrayOrScalar): NDArray =>
  anyComplex(a, b) ? complexBinary(p, a, b) : bin(p, a, b);
const cmp = (p: ComparePrimitive, a: ArrayOrScalar, b: ArrayOrScalar): NDArray =>
  bind(p, liftPair(p, a, b), {})[0]!;

/** Elementwise a + b with broadcasting. */
export const add = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => arith('add', a, b);
/** Elementwise a − b with broadcasting. */
export const sub = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => arith('sub', a, b);
/** Elementwise a · b with broadcasting. */
export const mul = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => arith('mul', a, b);
/** Elementwise a / b with broadcasting. */
export const div = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => arith('div', a, b);
/** Elementwise a^b with broadcasting. */
export const pow = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => bin('pow', a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => bin('maximum', a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => bin('minimum', a, b);

/** −x. */
export const neg = (x: NDArray): NDArray => (isComplex(x.dtype) ? complexNeg(x) : un('neg', x));
/** |x| (the modulus √(x² + y²), a real array, for a complex x). */
export const abs = (x: NDArray): NDArray => (isComplex(x.dtype) ? complexAbs(x) : un('abs', x));
/** Sign of x: −1, 0 or 1 (NaN stays NaN). */
export const sign = (x: NDArray): NDArray => un('sign', x);
/** Largest integer ≤ x. */
export const floor = (x: NDArray): NDArray => un('floor', x);
/** eˣ (e^{x + iy} = eˣ(cos y + i sin y) for a complex array). */
export const exp = (x: NDArray): NDArray => (isComplex(x.dtype) ? complexExp(x) : un('exp', x));
/** Natural logarithm. */
export const log = (x: NDArray): NDArray => un('log', x);
/** log(1 + x), accurate for small x. */
export const log1p = (x: NDArray): NDArray => un('log1p', x);
/** eˣ − 1, accurate for small x. */
export const expm1 = (x: NDArray): NDArray => un('expm1', x);
/** Square root. */
export const sqrt = (x: NDArray): NDArray => un('sqrt', x);
/** Sine. */
export const sin = (x: NDArray): NDArray => un('sin', x);
/** Cosine. */
export const cos = (x: NDArray): NDArray => un('cos', x);
/** Hyperbolic tangent. */
export const tanh = (x: NDArray): NDArray => un('tanh', x);
/** Logistic sigmoid σ(x) = 1 / (1 + e^{−x}), evaluated without overflow. */
export const sigmoid = (x: NDArray): NDArray => un('sigmoid', x);

/** x². */
export const square = (x: NDArray): NDArray => arith('mul', x, x);
/** 1 / x. */
export const reciprocal = (x: NDArray): NDArray => bin('div', scalarLike(1, x), x);
/** Rectified linear unit max(x, 0). */
export const relu = (x: NDArray): NDArray => bin('maximum', x, 0);

/** Clamps every element into [lo, hi]. */
export function clip(x: NDArray, lo: ArrayOrScalar, hi: ArrayOrScalar): NDArray {
  return minimum(maximum(x, lo), hi);
}

/** Elementwise a < b (bool). */
export const less = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => cmp('less', a, b);
/** Elementwise a ≤ b (bool). */
export const lessEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => cmp('lessEqual', a, b);
/** Elementwise a > b (bool). */
export const greater = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => cmp('greater', a, b);
/** Elementwise a ≥ b (bool). */
export const greaterEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray =>
  cmp('greaterEqual', a, b);
/** Elementwise a = b (bool). */
export const equal = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => cmp('equal', a, b);
/** Elementwise a ≠ b (bool). */
export const notEqual = (a: ArrayOrScalar, b: ArrayOrScalar): NDArray => cmp('notEqual', a, b);

/** Chooses `a` where `cond` is true and `b` elsewhere, with broadcasting (`numpy.where`). */
export function where(cond: NDArray, a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  const first =
    typeof a === 'number' && typeof b === 'number' ? scalarOn(a, 'float64', cond.backend) : a;
  const [x, y] = liftPair('where', first, b);
  return bind('where', [castIfNeeded(cond, 'bool'), x, y], {})[0]!;
}

/** Casts to another dtype (float → int32 truncates toward zero). */
export function astype(x: NDArray, dtype: NDArray['dtype']): NDArray {
  return castIfNeeded(x, dtype);
}

/** True where x is finite (not NaN, not ±Infinity), like `numpy.isfinite`. */
export function isfinite(x: NDArray): NDArray {
  assertFloat('isfinite', x.dtype);
  // x − x is 0 for finite x and NaN otherwise; NaN ≠ NaN
  return equal(sub(x, x), 0);
}
