import type { Backend } from '../backend/backend.js';
import { resolveBackend } from '../backend/registry.js';
import {
  type DType,
  type FloatDType,
  type TypedArray,
  type TypedArrayFor,
  allocTyped,
  dtypeOfTyped,
  isComplex,
  isFloat,
} from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape, withOpName } from '../core/errors.js';
import { NDArray, type NestedArray, exposeStorage } from '../core/ndarray.js';
import { checkShape, sizeOf } from '../core/shape.js';

/** Options shared by creation functions. */
export interface CreationOptions<D extends DType = DType> {
  /**
   * Element type (default: the backend's default float dtype — `float64` on the CPU, `float32` on a GPU —
   * or the typed array's own type).
   */
  dtype?: D;
  /** Backend to store the array on (default: the selected backend). */
  backend?: Backend | string;
}

/**
 * The float dtype arrays get on `backend` when none is asked for: `float64` where the backend stores it (the
 * CPU), else `float32` (GPUs, which have no float64).
 * @public
 */
export function defaultFloatDType(backend?: Backend | string): FloatDType {
  return resolveBackend(backend).dtypes.includes('float64') ? 'float64' : 'float32';
}

/** The dtype a creation function uses: the requested one, or the backend's default float. */
function dtypeFor<D extends DType>(options: CreationOptions<D>): D {
  return options.dtype ?? (defaultFloatDType(options.backend) as D);
}

/** Throws a DTypeError when `backend` cannot store `dtype` (float64 on a GPU). */
export function checkBackendDType(op: string, backend: Backend, dtype: DType): void {
  if (!backend.dtypes.includes(dtype)) {
    const hint =
      dtype === 'float64' ? " (GPUs have no float64: pass { dtype: 'float32' } explicitly)" : '';
    throw new DTypeError(op, `the ${backend.name} backend cannot store ${dtype}${hint}`);
  }
}

/** Creates an array that owns `data` (no copy) with the given shape. The caller must not mutate `data` later. */
export function fromTypedArray<T extends TypedArray>(
  data: T,
  shape: readonly number[] = [data.length],
  options: { backend?: Backend | string } = {},
): NDArray {
  const out = wrapTyped(data, shape, options);
  // on the CPU the caller's array is the storage: buffer donation must never write into it
  if (out.backend.name === 'cpu') exposeStorage(out);
  return out;
}

/** {@link fromTypedArray} for data the library made itself and nobody else holds (no exposure mark). */
function wrapTyped<T extends TypedArray>(
  data: T,
  shape: readonly number[] = [data.length],
  options: { backend?: Backend | string } = {},
): NDArray {
  const dtype = dtypeOfTyped(data, 'fromTypedArray');
  const s = checkShape('fromTypedArray', shape);
  if (sizeOf(s) !== data.length) {
    throw new ShapeError(
      'fromTypedArray',
      `shape ${formatShape(s)} needs ${sizeOf(s)} elements, the data has ${data.length}`,
    );
  }
  const backend = resolveBackend(options.backend);
  checkBackendDType('fromTypedArray', backend, dtype);
  const handle = backend.name === 'cpu' ? data : backend.upload(data, dtype);
  return new NDArray(handle, s, dtype, backend);
}

function flattenNested(op: string, value: NestedArray): { shape: number[]; flat: number[] } {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0] as NestedArray;
  }
  const flat: number[] = [];
  const walk = (x: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(x))
        throw new ShapeError(op, `ragged nested array: expected a number at depth ${depth}`);
      if (typeof x !== 'number' && typeof x !== 'boolean') {
        throw new ValueError(
          op,
          `expected numbers (or booleans), found ${typeof x} ${JSON.stringify(x)}; convert the values with Number() first`,
        );
      }
      flat.push(Number(x));
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new ShapeError(
        op,
        `ragged nested array: every list at depth ${depth} must have length ${shape[depth]}`,
      );
    }
    for (const item of x) walk(item as NestedArray, depth + 1);
  };
  walk(value, 0);
  return { shape, flat };
}

/**
 * Creates an array from nested JS arrays, a number, or a typed array (copied), like `numpy.array`.
 * @example `array([[1, 2], [3, 4]], { dtype: 'float32' })`
 */
export function array<D extends DType = FloatDType>(
  values: NestedArray | TypedArray | NDArray,
  options: CreationOptions<D> & { shape?: readonly number[] } = {},
): NDArray<D> {
  if (values instanceof NDArray) {
    const data = values.dataSync();
    return array(data, {
      ...options,
      shape: options.shape ?? values.shape,
      dtype: options.dtype ?? (values.dtype as D),
    });
  }
  if (ArrayBuffer.isView(values)) {
    const own = dtypeOfTyped(values, 'array');
    const dtype = (options.dtype ?? own) as D;
    const copy = allocTyped(dtype, values.length);
    copy.set(values);
    return wrapTyped(copy, options.shape ?? [values.length], options) as NDArray<D>;
  }
  const { shape, flat } = flattenNested('array', values);
  const isBool =
    typeof (Array.isArray(values) ? flat.length && firstLeaf(values) : values) === 'boolean';
  const dtype = isBool && options.dtype === undefined ? ('bool' as D) : dtypeFor(options);
  const data = allocTyped(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return wrapTyped(data, options.shape ?? shape, options) as NDArray<D>;
}

function firstLeaf(v: NestedArray): NestedArray {
  let x = v;
  while (Array.isArray(x) && x.length > 0) x = x[0] as NestedArray;
  return x;
}

/** An array of `shape` filled with `value`. */
export function full<D extends DType = FloatDType>(
  shape: readonly number[],
  value: number,
  options: CreationOptions<D> = {},
): NDArray<D> {
  const dtype = dtypeFor(options);
  const s = checkShape('full', shape);
  const data = allocTyped(dtype, sizeOf(s)) as TypedArrayFor<D>;
  if (isComplex(dtype)) {
    // interleaved (re, im): the value goes to the real parts
    for (let k = 0; k < data.length; k += 2) data[k] = value;
    const backend = resolveBackend(options.backend);
    checkBackendDType('full', backend, dtype);
    return new NDArray(
      backend.name === 'cpu' ? data : backend.upload(data, dtype),
      s,
      dtype,
      backend,
    );
  }
  if (value !== 0) data.fill(value);
  return wrapTyped(data, s, options) as NDArray<D>;
}

/** An array of zeros. */
export function zeros<D extends DType = FloatDType>(
  shape: readonly number[],
  options: CreationOptions<D> = {},
): NDArray<D> {
  return withOpName('zeros', () => full(shape, 0, options));
}

/** An array of ones. */
export function ones<D extends DType = FloatDType>(
  shape: readonly number[],
  options: CreationOptions<D> = {},
): NDArray<D> {
  return withOpName('ones', () => full(shape, 1, options));
}

/** A zero-dimensional array holding `value`. */
export function scalar<D extends DType = FloatDType>(
  value: number,
  options: CreationOptions<D> = {},
): NDArray<D> {
  return full([], value, options);
}

/** Identity-like matrix with ones on diagonal `k` (n×m, m defaults to n). */
export function eye<D extends DType = FloatDType>(
  n: number,
  m: number = n,
  options: CreationOptions<D> & { k?: number } = {},
): NDArray<D> {
  const dtype = dtypeFor(options);
  const s = checkShape('eye', [n, m]);
  const data = allocTyped(dtype, n * m);
  const k = options.k ?? 0;
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < m) data[i * m + j] = 1;
  }
  return wrapTyped(data, s, options) as NDArray<D>;
}

/** Evenly spaced values in [start, stop) with `step`, like `numpy.arange` (one argument: [0, stop)). */
export function arange<D extends DType = FloatDType>(
  start: number,
  stop?: number,
  step = 1,
  options: CreationOptions<D> = {},
): NDArray<D> {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError('arange', `step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = dtypeFor(options);
  const data = allocTyped(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return wrapTyped(data, [n], options) as NDArray<D>;
}

/** `num` evenly spaced samples from start to stop (inclusive unless `endpoint: false`), like `numpy.linspace`. */
export function linspace<D extends DType = FloatDType>(
  start: number,
  stop: number,
  num = 50,
  options: CreationOptions<D> & { endpoint?: boolean } = {},
): NDArray<D> {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError('linspace', `num must be a non-negative integer, got ${num}`);
  const dtype = dtypeFor(options);
  if (!isFloat(dtype)) throw new DTypeError('linspace', `needs a float dtype, got ${dtype}`);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const data = allocTyped(dtype, num);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  // hit the endpoint exactly, as NumPy does
  if (endpoint && num > 1) data[num - 1] = stop;
  return wrapTyped(data, [num], options) as NDArray<D>;
}

/** An array of `x`'s shape filled with `value`, on `x`'s backend with `x`'s dtype unless the options say otherwise. */
export function fullLike<D extends DType = DType>(
  x: NDArray,
  value: number,
  options: CreationOptions<D> = {},
): NDArray<D> {
  return full(x.shape, value, {
    dtype: (options.dtype ?? x.dtype) as D,
    backend: options.backend ?? x.backend,
  });
}

/** Zeros shaped like `x` (same dtype and backend unless the options say otherwise), like `numpy.zeros_like`. */
export function zerosLike<D extends DType = DType>(
  x: NDArray,
  options: CreationOptions<D> = {},
): NDArray<D> {
  return fullLike(x, 0, options);
}

/** Ones shaped like `x` (same dtype and backend unless the options say otherwise), like `numpy.ones_like`. */
export function onesLike<D extends DType = DType>(
  x: NDArray,
  options: CreationOptions<D> = {},
): NDArray<D> {
  return fullLike(x, 1, options);
}
