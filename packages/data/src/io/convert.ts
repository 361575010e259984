// The one policy for storing a number read from text (CSV fields, JSON elements) in an NDArray dtype.
// Binary readers (npy, safetensors, HDF5) convert exactly in dtypes.ts; text readers go through here, so
// `readCsv` and `readJsonArray` accept and reject the same values.
import { type DType, DTypeError } from '@sciml/linalg';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Why `value` cannot be stored as `dtype`, or undefined when it can. The policy, for every text reader:
 * - `float64` holds every number (NaN and ±∞ included); booleans are 1 and 0.
 * - `float32` holds numbers whose magnitude does not round past float32's largest finite value
 *   (3.4028235e38), so a finite value never becomes ±∞; NaN and ±∞ pass through; booleans are 1 and 0.
 * - `int32` holds integers in [−2³¹, 2³¹ − 1] and booleans (1, 0); fractions, NaN, ±∞ and values out of
 *   range are rejected — never truncated or wrapped.
 * - `bool` holds `true`/`false` and the numbers 1 and 0 only; anything else is rejected, never coerced.
 */
export function conversionProblem(value: number | boolean, dtype: DType): string | undefined {
  if (typeof value === 'boolean') return undefined;
  switch (dtype) {
    case 'float64':
      return undefined;
    case 'float32':
      return Number.isFinite(value) && !Number.isFinite(Math.fround(value))
        ? `${value} is beyond float32's range (±3.4e38) and would become infinite; read it as float64`
        : undefined;
    case 'int32':
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return undefined;
      return Number.isInteger(value)
        ? `${value} is not a 32-bit integer (outside [−2147483648, 2147483647]); read it as float64`
        : `${value} is not a 32-bit integer (not an integer at all); read it as float64`;
    case 'bool':
      return value === 0 || value === 1
        ? undefined
        : `${value} is not a bool (true/false or 1/0); compare it explicitly, e.g. x != 0`;
  }
}

/** Whether `x` names an NDArray dtype (options from plain JavaScript are not checked by the compiler). */
export function isDType(x: unknown): x is DType {
  return x === 'float64' || x === 'float32' || x === 'int32' || x === 'bool';
}

/** `value` as stored in `dtype` (after {@link conversionProblem} returned undefined). */
export function storedValue(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  return dtype === 'float32' ? Math.fround(v) : v;
}

/** Whether `dtype` can hold NaN, i.e. whether a missing value can be stored as one. */
export function holdsNaN(dtype: DType): boolean {
  return dtype === 'float64' || dtype === 'float32';
}

/** A zeroed typed array for `n` elements of `dtype`. */
export function typedArrayFor(
  dtype: DType,
  n: number,
): Float64Array | Float32Array | Int32Array | Uint8Array {
  switch (dtype) {
    case 'float64':
      return new Float64Array(n);
    case 'float32':
      return new Float32Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
    case 'complex128':
    case 'complex64':
      throw new DTypeError(
        'typedArrayFor',
        `${dtype} is not read from text; read the real and imaginary parts and combine them with complex(re, im)`,
      );
  }
}
