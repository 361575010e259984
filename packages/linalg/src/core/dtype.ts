import { DTypeError } from './errors.js';

/**
 * Element types. `float64` is the CPU default; `float32` is what GPUs compute in; `int32` holds indices
 * (argmax, gather); `bool` holds comparison results (stored as 0/1 bytes).
 */
export type DType = 'float64' | 'float32' | 'int32' | 'bool';

/** Floating-point dtypes: the ones arithmetic and differentiation operate on. */
export type FloatDType = 'float64' | 'float32';

/** The typed array that stores each dtype on the CPU. */
export interface TypedArrayMap {
  float64: Float64Array;
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any typed array an NDArray can be stored in. */
export type TypedArray = TypedArrayMap[DType];

/** Typed array storing `D` on the CPU. */
export type TypedArrayFor<D extends DType> = TypedArrayMap[D];

/** A float64 or float32 typed array (the storage of a float array; what the CPU kernels take). */
export type FloatArray = TypedArrayMap[FloatDType];

/** All dtypes, for validation and tests. */
export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'bool'];

const CONSTRUCTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Allocates a zero-filled typed array for `dtype`. */
export function allocTyped<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return new CONSTRUCTORS[dtype](size) as TypedArrayFor<D>;
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

/** True for float64 and float32. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float64' || dtype === 'float32';
}

/**
 * Result dtype of a binary op, NumPy-style but without silent precision loss:
 * float64 wins over float32, any float wins over int32/bool, int32 wins over bool.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
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
