import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { eye, fromTypedArray } from '../ops/creation.js';

/**
 * Regularisation operator L for Tikhonov problems on n unknowns: order 0 is the identity (ridge),
 * order 1 the (n−1)×n first-difference matrix (rows [−1, 1]), order 2 the (n−2)×n second-difference matrix
 * (rows [1, −2, 1]); higher-order Tikhonov penalises roughness (Aster, Borchers & Thurber, §4.5).
 */
export function differenceOperator(n: number, order: 0 | 1 | 2 = 1): NDArray {
  if (!Number.isInteger(n) || n <= order) {
    throw new ValueError('differenceOperator', `needs n > order, got n = ${n}, order = ${order}`);
  }
  if (order === 0) return eye(n);
  const stencil = order === 1 ? [-1, 1] : [1, -2, 1];
  const rows = n - order;
  const data = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++)
    for (let k = 0; k < stencil.length; k++) data[i * n + i + k] = stencil[k]!;
  return fromTypedArray(data, [rows, n]);
}
