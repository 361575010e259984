/**
 * Softmax and log-softmax as numerically stable compositions of primitives (so every transform
 * differentiates them, on every backend): both shift by the maximum along the axis, so exp never overflows.
 */
import { assertFloat } from '../core/dtype.js';
import type { NDArray } from '../core/ndarray.js';
import { div, exp, isfinite, log, sub, where } from './elementwise.js';
import { max, sum } from './reduce.js';

/** Axes a softmax normalises over (default the last); negative axes count from the end. */
export interface SoftmaxOptions {
  axis?: number | readonly number[];
}

/** x − max(x) along the axes (0 where the maximum is ±∞, so a row of −∞ stays −∞ instead of NaN). */
function shifted(x: NDArray, axis: number | readonly number[]): NDArray {
  const m = max(x, { axis, keepdims: true });
  return sub(x, where(isfinite(m), m, 0));
}

/** softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) along `axis` (default −1), m the maximum. */
export function softmax(x: NDArray, options: SoftmaxOptions = {}): NDArray {
  assertFloat('softmax', x.dtype);
  const axis = options.axis ?? -1;
  const e = exp(shifted(x, axis));
  return div(e, sum(e, { axis, keepdims: true }));
}

/** log softmax(x)ᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m) along `axis` (default −1): never exp of a large number. */
export function logSoftmax(x: NDArray, options: SoftmaxOptions = {}): NDArray {
  assertFloat('logSoftmax', x.dtype);
  const axis = options.axis ?? -1;
  const z = shifted(x, axis);
  return sub(z, log(sum(exp(z), { axis, keepdims: true })));
}
