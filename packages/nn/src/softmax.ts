// Softmax along an axis as exp(x − logsumexp(x)): stable for any scale, and differentiable to any order
// through logsumexp's rules.
import { type NDArray, exp, logsumexp, sub } from '@sciml/linalg';

/** log softmax(x) = x − logsumexp(x) along `axis` (default −1). @public */
export function logSoftmax(x: NDArray, options: { axis?: number } = {}): NDArray {
  return sub(x, logsumexp(x, { axis: options.axis ?? -1, keepdims: true }));
}

/** softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along `axis` (default −1), computed as exp(logSoftmax(x)). @public */
export function softmax(x: NDArray, options: { axis?: number } = {}): NDArray {
  return exp(logSoftmax(x, options));
}
