import { DTypeError } from './errors.js';
import { takePooled } from './host-pool.js';

/**
 * Element types. `float64` is the CPU default; `float32` is what GPUs compute in; `int32` holds indices
 * (argmax, gather); `bool` holds comparison results (stored as 0/1 bytes); `complex128` / `complex64` hold
 * complex numbers as interleaved (re, im) pairs of float64 / float32 (so a complex array of `size` elements
 * is stored in `2·size` floats, NumPy's layout).
 */
export type DType = 'float64' | 'float32' | 'int32' | 'bool' | ComplexDType;

/** Complex dtypes: interleaved (re, im) pairs of float64 (`complex128`) or float32 (`complex64`). */
export type ComplexDType = 'complex128' | 'complex64';

/** Floating-point dtypes: the ones arithmetic and differentiation operate on. */
export type FloatDType = 'float64' | 'float32';

/** The typed array that stores each dtype on the CPU. */
export interface TypedArrayMap {
  float64: Float64Array;
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
  /** Interleaved re, im: element k is (data[2k], data[2k + 1]). */
  complex128: Float64Array;
  /** Interleaved re, im in float32. */
  complex64: Float32Array;
}

/** Any typed array an NDArray can be stored in. */
export type TypedArray = TypedArrayMap[DType];

/** Typed array storing `D` on the CPU. */
export type TypedArrayFor<D extends DType> = TypedArrayMap[D];

/** A float64 or float32 typed array (the storage of a float array; what the CPU kernels take). */
export type FloatArray = TypedArrayMap[FloatDType];

/** All dtypes, for validation and tests. */
export const DTYPES: readonly DType[] = [
  'float64',
  'float32',
  'int32',
  'bool',
  'complex128',
  'complex64',
];

const CONSTRUCTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
  complex128: Float64Array,
  complex64: Float32Array,
} as const;

/**
 * Allocates a zero-filled typed array holding `size` elements of `dtype` (2·size floats for a complex dtype):
 * recycled storage of a disposed array when the CPU storage pool has one, else new memory.
 */
export function allocTyped<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return allocate(dtype, size, true);
}

/**
 * Allocates a typed array for `size` elements of `dtype` whose contents are unspecified (NumPy's `empty`):
 * the storage of a disposed array when the CPU storage pool has one, not zero-filled, else new memory. For
 * kernels that write every element of their output, so reusing memory skips a pass over it.
 */
export function allocEmpty<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return allocate(dtype, size, false);
}

/** Storage for `size` elements of `dtype`: a disposed array's from the pool (see host-pool.ts), else new. */
function allocate<D extends DType>(dtype: D, size: number, zero: boolean): TypedArrayFor<D> {
  const ctor = CONSTRUCTORS[dtype];
  const length = isComplex(dtype) ? 2 * size : size;
  return (takePooled(ctor, length, zero) ?? new ctor(length)) as TypedArrayFor<D>;
}

/** True for complex128 and complex64. */
export function isComplex(dtype: DType): dtype is ComplexDType {
  return dtype === 'complex128' || dtype === 'complex64';
}

/** The float dtype of a complex dtype's parts (complex128 → float64, complex64 → float32). */
export function realDType(dtype: ComplexDType): FloatDType {
  return dtype === 'complex128' ? 'float64' : 'float32';
}

/** The complex dtype whose parts are `dtype` (float64 → complex128, float32 → complex64). */
export function complexDType(dtype: FloatDType): ComplexDType {
  return dtype === 'float64' ? 'complex128' : 'complex64';
}

/** Copies (and converts) `values` into a new typed array of `dtype`. */
export function toTyped<D extends DType>(
  dtype: D,
  values: ArrayLike<number> | ArrayLike<boolean>,
): TypedArrayFor<D> {
  const out = allocTyped(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

/** The dtype a typed array stores, or a DTypeError for arrays we do not store (Int8Array, BigInt64Array, ...). */
export function dtypeOfTyped(data: ArrayBufferView, op: string): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  throw new DTypeError(
    op,
    `unsupported typed array ${data.constructor.name}; pass Float64Array, Float32Array, Int32Array or Uint8Array (bool), or convert first`,
  );
}

/** True for the dtypes derivatives flow through: the floats and the complex dtypes (NumPy's "inexact"). */
export function isInexact(dtype: DType): dtype is FloatDType | ComplexDType {
  return isFloat(dtype) || isComplex(dtype);
}

/** True for float64 and float32. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float64' || dtype === 'float32';
}

/**
 * Result dtype of a binary op, NumPy-style but without silent precision loss:
 * complex wins over real (complex64 with float64 gives complex128), float64 wins over float32, any float
 * wins over int32/bool, int32 wins over bool.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (isComplex(a) || isComplex(b)) {
    // complex wins; its precision is the wider of the two (complex64 with float64 is complex128)
    const wide = a === 'complex128' || b === 'complex128' || a === 'float64' || b === 'float64';
    return wide ? 'complex128' : 'complex64';
  }
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** Throws a DTypeError unless `dtype` is a float type. */
export function assertFloat(op: string, dtype: DType): asserts dtype is FloatDType {
  if (!isFloat(dtype)) {
    throw new DTypeError(
      op,
      `needs a float64 or float32 array, got ${dtype}; convert with astype('float64')`,
    );
  }
}
