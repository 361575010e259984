import { assertFloat, isComplex } from '../core/dtype.js';
import { complexSum } from './complex.js';
import { bind } from '../core/dispatch.js';
import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { normalizeAxes, normalizeAxis } from '../core/shape.js';
import { add, div, exp, isfinite, log, mul, sqrt, sub, where } from './elementwise.js';
import { castIfNeeded } from './lift.js';
import { reshape } from './shape.js';

/** Axis selection for reductions: one axis, several, or all (undefined). Negative axes count from the end. */
export interface ReduceOptions {
  axis?: number | readonly number[];
  /** Keep reduced axes as size-1 dimensions (for broadcasting back). */
  keepdims?: boolean;
}

function reduceWith(p: 'sum' | 'prod' | 'max' | 'min', x: NDArray, o: ReduceOptions): NDArray {
  const axes = normalizeAxes(p, o.axis, x.ndim);
  return bind(p, [x], { axes, keepdims: o.keepdims ?? false })[0]!;
}

/** Sum of elements over the given axes (pairwise summation on the CPU; complex arrays sum re and im). */
export const sum = (x: NDArray, options: ReduceOptions = {}): NDArray =>
  isComplex(x.dtype)
    ? complexSum(x, options.axis, options.keepdims ?? false)
    : reduceWith('sum', x.dtype === 'bool' ? castIfNeeded(x, 'int32') : x, options);
/** Product of elements over the given axes. */
export const prod = (x: NDArray, options: ReduceOptions = {}): NDArray =>
  reduceWith('prod', x, options);
/** Maximum over the given axes (NaN propagates; empty axes are an error). */
export const max = (x: NDArray, options: ReduceOptions = {}): NDArray =>
  reduceWith('max', x, options);
/** Minimum over the given axes (NaN propagates; empty axes are an error). */
export const min = (x: NDArray, options: ReduceOptions = {}): NDArray =>
  reduceWith('min', x, options);

function countOf(x: NDArray, options: ReduceOptions): number {
  return normalizeAxes('mean', options.axis, x.ndim).reduce((n, a) => n * x.shape[a]!, 1);
}

/** Arithmetic mean over the given axes. */
export function mean(x: NDArray, options: ReduceOptions = {}): NDArray {
  if (!isComplex(x.dtype)) assertFloat('mean', x.dtype);
  const n = countOf(x, options);
  if (n === 0) throw new ValueError('mean', 'mean of an empty selection is undefined');
  return div(sum(x, options), n);
}

/** Variance over the given axes with `ddof` degrees of freedom removed (NumPy's `var`; ddof = 1 for the sample variance). */
export function variance(x: NDArray, options: ReduceOptions & { ddof?: number } = {}): NDArray {
  const n = countOf(x, options) - (options.ddof ?? 0);
  if (n <= 0) throw new ValueError('var', `needs more elements than ddof (${options.ddof ?? 0})`);
  const centred = sub(x, mean(x, { axis: options.axis, keepdims: true }));
  return div(sum(mul(centred, centred), options), n);
}

/** Standard deviation √var over the given axes. */
export function std(x: NDArray, options: ReduceOptions & { ddof?: number } = {}): NDArray {
  return sqrt(variance(x, options));
}

function argWith(
  p: 'argmax' | 'argmin',
  x: NDArray,
  options: { axis?: number; keepdims?: boolean },
): NDArray {
  if (options.axis === undefined) {
    return bind(p, [reshape(x, [x.size])], { axis: 0, keepdims: false })[0]!;
  }
  return bind(p, [x], {
    axis: normalizeAxis(p, options.axis, x.ndim),
    keepdims: options.keepdims ?? false,
  })[0]!;
}

/** Index of the maximum along `axis` (flattened when no axis), int32; first occurrence wins. */
export const argmax = (x: NDArray, options: { axis?: number; keepdims?: boolean } = {}): NDArray =>
  argWith('argmax', x, options);
/** Index of the minimum along `axis` (flattened when no axis), int32; first occurrence wins. */
export const argmin = (x: NDArray, options: { axis?: number; keepdims?: boolean } = {}): NDArray =>
  argWith('argmin', x, options);

/** log Σ exp(x) over the given axes, shifted by the maximum so it never overflows. */
export function logsumexp(x: NDArray, options: ReduceOptions = {}): NDArray {
  assertFloat('logsumexp', x.dtype);
  const m = max(x, { axis: options.axis, keepdims: true });
  // a row of −∞ would give ∞ − ∞; shifting by 0 there keeps the answer −∞
  const shift = where(isfinite(m), m, 0);
  const out = add(log(sum(exp(sub(x, shift)), { axis: options.axis, keepdims: true })), shift);
  return options.keepdims ? out : reshape(out, reduceShape(x, options));
}

function reduceShape(x: NDArray, options: ReduceOptions): number[] {
  const set = new Set(normalizeAxes('logsumexp', options.axis, x.ndim));
  return x.shape.filter((_, i) => !set.has(i));
}
