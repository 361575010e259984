/**
 * Moving arrays between backends. A move copies the data; the source array stays valid (arrays are
 * non-consuming). Precision is never lost silently: moving float64 to a backend without float64 (a GPU) is a
 * `DTypeError` unless `{ dtype: 'float32' }` asks for the conversion.
 */
import type { Backend } from '../backend/backend.js';
import { resolveBackend } from '../backend/registry.js';
import { type DType, type TypedArray, allocTyped } from '../core/dtype.js';
import { BackendError } from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
import { checkBackendDType } from './creation.js';

/** Options of {@link toBackend}. @public */
export interface ToBackendOptions<D extends DType = DType> {
  /** Convert to this dtype on the way (e.g. `'float32'` for a float64 CPU array going to a GPU). */
  dtype?: D;
}

function place<D extends DType>(
  op: string,
  data: TypedArray,
  x: NDArray,
  target: Backend,
  options: ToBackendOptions<D>,
): NDArray<D> {
  const dtype = (options.dtype ?? x.dtype) as D;
  checkBackendDType(op, target, dtype);
  let values = data;
  if (dtype !== x.dtype) {
    values = allocTyped(dtype, data.length);
    values.set(data);
  }
  return new NDArray(target.upload(values, dtype), x.shape, dtype, target);
}

/**
 * A copy of `x` stored on `backend` (a registered name or a backend object), optionally converted to
 * `dtype`. Returns `x` itself when it already lives there with that dtype. The source must be readable
 * synchronously (the CPU); to move GPU data back use {@link toBackendAsync}.
 * @example
 * ```ts
 * const w = zeros([3, 3]); // float64 on the cpu
 * const same = toBackend(w, 'cpu', { dtype: 'float32' }); // float32 copy, still on the cpu
 * ```
 * @public
 */
export function toBackend<D extends DType = DType>(
  x: NDArray,
  backend: Backend | string,
  options: ToBackendOptions<D> = {},
): NDArray<D> {
  const target = resolveBackend(backend);
  if (x.backend === target && (options.dtype ?? x.dtype) === x.dtype) return x as NDArray<D>;
  if (!x.backend.downloadSync) {
    throw new BackendError(
      'toBackend',
      `the ${x.backend.name} backend cannot be read synchronously; use 'await toBackendAsync(x, ${JSON.stringify(target.name)})'`,
    );
  }
  return place('toBackend', x.dataSync(), x, target, options);
}

/** {@link toBackend} for sources that are read asynchronously (GPU arrays going to the CPU). @public */
export async function toBackendAsync<D extends DType = DType>(
  x: NDArray,
  backend: Backend | string,
  options: ToBackendOptions<D> = {},
): Promise<NDArray<D>> {
  const target = resolveBackend(backend);
  if (x.backend === target && (options.dtype ?? x.dtype) === x.dtype) return x as NDArray<D>;
  return place('toBackendAsync', await x.data(), x, target, options);
}
