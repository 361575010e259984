// Size arithmetic for readers: every allocation a reader makes is bounded by bytes that really exist.
import { DataFormatError } from '../errors.js';

/** Where in which input a value was read, for error messages. */
export interface Where {
  op: string;
  source: string;
  offset: number;
}

/** Throws a DataFormatError at `where` with `problem`. */
export function fail(where: Where, problem: string): never {
  throw new DataFormatError(where.op, { source: where.source, offset: where.offset, problem });
}

/**
 * Number of elements of `shape` after checking each dimension is a non-negative safe integer and that
 * `count · itemSize` bytes fit in `available` bytes. Stops multiplying as soon as the product exceeds what
 * the input can hold, so a shape like (2^40, 2^40) fails cleanly instead of overflowing.
 */
export function checkedCount(
  where: Where,
  shape: readonly unknown[],
  itemSize: number,
  available: number,
): number {
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      fail(where, `shape [${shape.join(', ')}] has a dimension that is not a non-negative integer`);
    }
  }
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count * itemSize > available) {
      fail(
        where,
        `shape [${shape.join(', ')}] needs more bytes than the ${available} available (truncated file or corrupt header)`,
      );
    }
  }
  return count;
}

/** Reads a little-endian unsigned 64-bit integer as a number, failing when it exceeds 2^53. */
export function readUint64(view: DataView, at: number, where: Where): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 2097152)
    fail({ ...where, offset: at }, `64-bit size ${hi} · 2^32 + ${lo} is larger than any buffer`);
  return hi * 4294967296 + lo;
}
