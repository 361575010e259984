// Size arithmetic for readers: every allocation a reader makes is bounded by bytes that really exist.
import { ValueError } from '@sciml/linalg';
import { DataFormatError } from '../errors.js';

/** Where in which input a value was read, for error messages. */
export interface Where {
  op: string;
  source: string;
  offset: number;
}

/**
 * Default of the readers' `maxBytes` option: 256 MiB of array data that is not stored verbatim in the input
 * (inflated npz entries, HDF5 datasets), so a small hostile file cannot make a reader allocate gigabytes.
 * @public
 */
export const DEFAULT_MAX_BYTES = 2 ** 28;

/**
 * The `maxBytes` option of the readers that decompress or materialise data (npz, HDF5).
 * @public
 */
export interface SizeLimitOptions {
  /**
   * Largest number of bytes of decoded array data a read may declare before anything is allocated (default
   * {@link DEFAULT_MAX_BYTES}, 256 MiB). A file declaring more is a DataFormatError that names the size;
   * raise the limit for large trusted files (`Infinity` turns the check off).
   */
  maxBytes?: number;
}

/** Checks a `maxBytes` option: a positive number (Infinity allowed). */
export function checkMaxBytes(op: string, maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes <= 0)
    throw new ValueError(
      op,
      `maxBytes must be a positive number of bytes, got ${String(maxBytes)}`,
    );
  return maxBytes;
}

/** Fails when the bytes a file declares exceed `maxBytes`, saying how to raise the limit. */
export function checkDeclaredBytes(
  where: Where,
  declared: number,
  maxBytes: number,
  what: string,
): void {
  if (declared > maxBytes)
    fail(
      where,
      `${what} ${formatBytes(declared)}, more than maxBytes = ${formatBytes(maxBytes)}; if you trust the file, pass { maxBytes: ${declared} } (or Infinity) to read it`,
    );
}

function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n >= 2 ** 20 ? `${n} bytes (${(n / 2 ** 20).toFixed(1)} MiB)` : `${n} bytes`;
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
