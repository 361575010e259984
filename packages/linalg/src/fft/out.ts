/**
 * The `out` option of the transforms (NumPy 2's `out=`): the caller's typed array receives the result, so a
 * loop of transforms allocates nothing. NDArrays are immutable values, so `out` is raw storage — a
 * `Float64Array` (complex128 interleaved as re, im, or float64) or a `Float32Array` (complex64, float32) — and
 * the returned array wraps it, as {@link fromTypedArray} wraps the caller's data (never donated, never copied).
 */
import { type DType, isComplex } from '../core/dtype.js';
import { DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { NDArray, exposeStorage } from '../core/ndarray.js';
import { cpuBackend } from '../cpu/cpu-backend.js';

/**
 * Storage a transform writes its result into: a `Float64Array` for complex128 or float64 results, a
 * `Float32Array` for complex64 or float32 ones; complex values interleaved (re, im), row-major.
 * @public
 */
export type FftOut = Float64Array | Float32Array;

/** The typed-array kind that stores `dtype`. */
function storageName(dtype: DType): 'Float64Array' | 'Float32Array' {
  return dtype === 'complex64' || dtype === 'float32' ? 'Float32Array' : 'Float64Array';
}

/**
 * Throws unless `out` can hold a result of `shape` and `dtype`: the matching typed array (a DTypeError) of
 * exactly the result's length (a ShapeError). Called before any work, so a bad `out` costs nothing.
 */
export function checkOut(op: string, out: unknown, shape: readonly number[], dtype: DType): FftOut {
  const want = storageName(dtype);
  if (!(want === 'Float64Array' ? out instanceof Float64Array : out instanceof Float32Array)) {
    const got = out instanceof Object ? out.constructor.name : String(out);
    throw new DTypeError(
      op,
      `out must be a ${want} for a ${dtype} result${isComplex(dtype) ? ' (interleaved re, im)' : ''}, got ${got}`,
    );
  }
  const typed = out as FftOut;
  const size = shape.reduce((a, b) => a * b, 1);
  const length = isComplex(dtype) ? 2 * size : size;
  if (typed.length !== length) {
    throw new ShapeError(
      op,
      `out must have ${length} elements for the ${dtype} result of shape ${formatShape(shape)}${isComplex(dtype) ? ' (2 per complex value)' : ''}, got ${typed.length}`,
    );
  }
  return typed;
}

/** True when the two views share any byte of memory (`out` aliasing the input). */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/** The input storage a kernel may read while writing `out`: a copy when they overlap, so aliasing is safe. */
export function readableBeside<T extends FftOut>(input: T, out: FftOut | undefined): T {
  return out !== undefined && overlaps(input, out) ? (input.slice() as T) : input;
}

/** The result array over `out` (marked as caller-held storage, like `fromTypedArray`'s). */
export function wrapOut(out: FftOut, shape: readonly number[], dtype: DType): NDArray {
  const result = new NDArray(out, shape, dtype, cpuBackend);
  exposeStorage(result);
  return result;
}

/** Copies a computed result into `out` (the paths without a kernel that writes there) and wraps it. */
export function copyIntoOut(result: NDArray, out: FftOut | undefined): NDArray {
  if (out === undefined) return result;
  out.set(result.dataSync() as FftOut);
  return wrapOut(out, result.shape, result.dtype);
}
