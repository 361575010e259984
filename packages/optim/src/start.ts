/**
 * The starting point of a deterministic method, validated in the caller's name: an NDArray vector or an
 * array of numbers, not empty, finite. (A string or nested array would otherwise become NaNs and surface as
 * "the residual at x0 is not finite", or an error named after an internal transform.)
 */
import { NDArray, NotFiniteError, ValueError, describeValue } from '@sciml/linalg';

/** x0 as a fresh Float64Array, or a typed error naming `op`. */
export function startVector(op: string, x0: unknown): Float64Array {
  let start: Float64Array;
  if (x0 instanceof NDArray) {
    if (x0.ndim !== 1)
      throw new ValueError(
        op,
        `x0 must be a vector, got shape (${x0.shape.join(', ')}); flatten it first (reshape(x0, [-1]))`,
      );
    start = Float64Array.from(x0.dataSync());
  } else if (
    (Array.isArray(x0) || ArrayBuffer.isView(x0)) &&
    Array.from(x0 as ArrayLike<unknown>).every((v) => typeof v === 'number')
  ) {
    start = Float64Array.from(x0 as ArrayLike<number>);
  } else {
    throw new ValueError(
      op,
      `x0 must be an NDArray vector or an array of numbers, got ${describeValue(x0)}`,
    );
  }
  if (start.length === 0) throw new ValueError(op, 'x0 is empty; give one value per parameter');
  const bad = start.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new NotFiniteError(
      op,
      `x0 holds ${start[bad]} at index ${bad}; start from a finite point`,
    );
  return start;
}
