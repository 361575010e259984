import type { Backend } from '../backend/backend.js';
import { type DType, allocTyped, isComplex, promoteTypes } from '../core/dtype.js';
import { castComplex } from './complex.js';
import { ValueError } from '../core/errors.js';
import { bind } from '../core/dispatch.js';
import { NDArray } from '../core/ndarray.js';
import { assertNDArray } from '../core/validate.js';

/** An array, or a plain number that takes the dtype and backend of the array it meets (weak typing, as in JAX). */
export type ArrayOrScalar = NDArray | number;

/** A 0-d array holding `value` with the given dtype on the given backend. */
export function scalarOn(value: number, dtype: DType, backend: Backend): NDArray {
  const data = allocTyped(dtype, 1);
  data[0] = value;
  const handle = backend.name === 'cpu' ? data : backend.upload(data, dtype);
  return new NDArray(handle, [], dtype, backend);
}

/** A 0-d array holding `value`, stored like `like`. */
export function scalarLike(value: number, like: NDArray): NDArray {
  return scalarOn(value, like.dtype, like.backend);
}

/** Casts `x` to `dtype` through the `cast` primitive (no-op when already there). */
export function castIfNeeded(x: NDArray, dtype: DType): NDArray {
  if (x.dtype === dtype) return x;
  if (isComplex(dtype) || isComplex(x.dtype)) return castComplex(x, dtype);
  return bind('cast', [x], { dtype })[0]!;
}

/**
 * Turns a pair of array-or-number operands into two arrays of one dtype: numbers take the array's dtype,
 * two arrays are promoted (float64 wins; nothing is narrowed silently).
 */
export function liftPair(op: string, a: ArrayOrScalar, b: ArrayOrScalar): [NDArray, NDArray] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new ValueError(
      op,
      'needs at least one NDArray operand; wrap numbers with array() or scalar()',
    );
  }
  if (typeof a !== 'number') assertNDArray(op, a, 'the first operand');
  if (typeof b !== 'number') assertNDArray(op, b, 'the second operand');
  if (typeof a === 'number') return [scalarLike(a, b as NDArray), b as NDArray];
  if (typeof b === 'number') return [a, scalarLike(b, a)];
  const dtype = promoteTypes(a.dtype, b.dtype);
  return [castIfNeeded(a, dtype), castIfNeeded(b, dtype)];
}
