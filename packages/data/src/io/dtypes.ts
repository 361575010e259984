// Element types found in files, and their exact conversion to and from the dtypes an NDArray stores.
import { type DType, type TypedArray, ValueError } from '@sciml/linalg';
import { DataFormatError } from '../errors.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16.js';

/**
 * Element types that files store (NumPy, safetensors, HDF5). NDArray keeps a subset; readers convert exactly:
 * 8/16-bit integers to `int32`, float16/bfloat16 to `float32`, uint32/int64/uint64 to `float64` (or `int32`).
 * @public
 */
export type FileDType =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint64'
  | 'uint32'
  | 'uint16'
  | 'uint8'
  | 'bool';

/** Bytes per element of each file dtype. */
export const ITEM_SIZE: Readonly<Record<FileDType, number>> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint64: 8,
  uint32: 4,
  uint16: 2,
  uint8: 1,
  bool: 1,
};

/**
 * How readers treat integers wider than NDArray's `int32` can hold exactly (uint32, int64, uint64).
 * @public
 */
export interface DecodeOptions {
  /**
   * Target for uint32/int64/uint64 data: `'float64'` (default; exact for |v| ≤ 2^53) or `'int32'` (exact
   * when every value fits in 32 bits, e.g. class labels that PyTorch saved as int64).
   */
  wideIntegers?: 'float64' | 'int32';
  /** Round int64/uint64 values beyond ±2^53 to the nearest float64 instead of throwing (default false). */
  lossy?: boolean;
  /**
   * Copy the data out of the input (default true). With `false`, float64/float32/int32 little-endian data
   * that is suitably aligned is returned as a view of the input's memory, with no copy: faster for large
   * files, but the array then changes if the input bytes do. The Node file helpers use it for buffers
   * they own.
   */
  copy?: boolean;
}

/** True on little-endian hosts (all mainstream ones), where typed arrays read file bytes as they are. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const VIEWABLE: Partial<
  Record<FileDType, new (b: ArrayBufferLike, offset: number, length: number) => TypedArray>
> = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
};

/** The NDArray dtype a file dtype is read into. */
export function storedDType(dtype: FileDType, options: DecodeOptions = {}): DType {
  switch (dtype) {
    case 'float64':
      return 'float64';
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return 'float32';
    case 'bool':
      return 'bool';
    case 'uint32':
    case 'int64':
    case 'uint64':
      return options.wideIntegers === 'int32' ? 'int32' : 'float64';
    default:
      return 'int32';
  }
}

/** Location of the elements being decoded, for error messages. */
export interface ElementSpan {
  op: string;
  source: string;
  /** Absolute byte offset of the first element in the input. */
  offset: number;
}

function swapBytes(raw: Uint8Array, size: number): void {
  for (let i = 0; i < raw.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = raw[a]!;
      raw[a] = raw[b]!;
      raw[b] = t;
    }
  }
}

/**
 * Decodes `count` elements of `dtype` from `bytes` (already bounds-checked by the caller) into a new typed
 * array of the stored dtype. Copies once, unless `options.copy === false` allows a view (see DecodeOptions).
 */
export function decodeElements(
  bytes: Uint8Array,
  count: number,
  dtype: FileDType,
  littleEndian: boolean,
  span: ElementSpan,
  options: DecodeOptions = {},
): TypedArray {
  const size = ITEM_SIZE[dtype];
  const View = VIEWABLE[dtype];
  if (
    options.copy === false &&
    View &&
    littleEndian &&
    HOST_LITTLE_ENDIAN &&
    bytes.byteOffset % size === 0
  ) {
    return new View(bytes.buffer, bytes.byteOffset, count);
  }
  // a fresh, aligned copy (not bytes.slice: on a Node Buffer that is a view into a shared pool)
  const raw = new Uint8Array(count * size);
  raw.set(bytes.subarray(0, count * size));
  if (!littleEndian && size > 1) swapBytes(raw, size);
  const buf = raw.buffer;
  switch (dtype) {
    case 'float64':
      return new Float64Array(buf);
    case 'float32':
      return new Float32Array(buf);
    case 'int32':
      return new Int32Array(buf);
    case 'bool': {
      for (let i = 0; i < raw.length; i++) if (raw[i]! > 1) raw[i] = 1;
      return raw;
    }
    case 'int8':
      return Int32Array.from(new Int8Array(buf));
    case 'uint8':
      return Int32Array.from(raw);
    case 'int16':
      return Int32Array.from(new Int16Array(buf));
    case 'uint16':
      return Int32Array.from(new Uint16Array(buf));
    case 'float16': {
      const h = new Uint16Array(buf);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(h[i]!);
      return out;
    }
    case 'bfloat16': {
      const h = new Uint16Array(buf);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = bfloat16ToFloat(h[i]!);
      return out;
    }
    case 'uint32': {
      const u = new Uint32Array(buf);
      if (options.wideIntegers === 'int32') return toInt32(u, dtype, span);
      return Float64Array.from(u);
    }
    case 'int64':
    case 'uint64':
      return decode64(new Uint32Array(buf), count, dtype === 'int64', span, options);
  }
}

function toInt32(values: ArrayLike<number>, dtype: FileDType, span: ElementSpan): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 2147483647 || v < -2147483648) {
      throw new DataFormatError(span.op, {
        source: span.source,
        offset: span.offset + i * ITEM_SIZE[dtype],
        problem: `${dtype} value ${v} does not fit in int32; read with { wideIntegers: 'float64' }`,
      });
    }
    out[i] = v;
  }
  return out;
}

const TWO_POW_32 = 4294967296;

// Reads 64-bit integers as (lo, hi) uint32 words: hi · 2^32 + lo is exact whenever |v| ≤ 2^53.
function decode64(
  words: Uint32Array,
  count: number,
  signed: boolean,
  span: ElementSpan,
  options: DecodeOptions,
): TypedArray {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const lo = words[2 * i]!;
    const hi = signed ? words[2 * i + 1]! | 0 : words[2 * i + 1]!;
    const exact = hi < 2097152 ? hi >= -2097152 : hi === 2097152 && lo === 0; // |v| ≤ 2^53
    if (!exact && !options.lossy) {
      const value = signed
        ? BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo))
        : (BigInt(hi) << 32n) | BigInt(lo);
      throw new DataFormatError(span.op, {
        source: span.source,
        offset: span.offset + 8 * i,
        problem: `${signed ? 'int64' : 'uint64'} value ${value} is not exactly representable in float64 (|v| > 2^53); pass { lossy: true } to round`,
      });
    }
    out[i] = hi * TWO_POW_32 + lo;
  }
  return options.wideIntegers === 'int32' ? toInt32(out, signed ? 'int64' : 'uint64', span) : out;
}

const INT_RANGE: Partial<Record<FileDType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [-(2 ** 53), 2 ** 53],
  uint64: [0, 2 ** 53],
};

/**
 * Encodes `data` as `dtype` little- or big-endian into `out` (exactly `data.length · itemsize` bytes).
 * Integer targets need integer values in range (a ValueError names the first that is not), so writing
 * never changes a value silently; float targets round to nearest.
 */
export function encodeElements(
  op: string,
  data: TypedArray,
  dtype: FileDType,
  out: Uint8Array,
  littleEndian = true,
): void {
  const n = data.length;
  const sameLayout =
    (dtype === 'float64' && data instanceof Float64Array) ||
    (dtype === 'float32' && data instanceof Float32Array) ||
    (dtype === 'int32' && data instanceof Int32Array);
  if (sameLayout && littleEndian) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const range = INT_RANGE[dtype];
  if (range) {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
        throw new ValueError(
          op,
          `element ${i} = ${v} cannot be stored exactly as ${dtype}; round or clip it first, or write a float dtype`,
        );
      }
    }
  }
  switch (dtype) {
    case 'float64':
      for (let i = 0; i < n; i++) view.setFloat64(8 * i, data[i]!, littleEndian);
      return;
    case 'float32':
      for (let i = 0; i < n; i++) view.setFloat32(4 * i, data[i]!, littleEndian);
      return;
    case 'float16':
      for (let i = 0; i < n; i++) view.setUint16(2 * i, floatToHalf(data[i]!), littleEndian);
      return;
    case 'bfloat16':
      for (let i = 0; i < n; i++) view.setUint16(2 * i, floatToBfloat16(data[i]!), littleEndian);
      return;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = data[i] ? 1 : 0;
      return;
    case 'int8':
    case 'uint8':
      for (let i = 0; i < n; i++) out[i] = data[i]! & 0xff;
      return;
    case 'int16':
    case 'uint16':
      for (let i = 0; i < n; i++) view.setUint16(2 * i, data[i]! & 0xffff, littleEndian);
      return;
    case 'int32':
    case 'uint32':
      for (let i = 0; i < n; i++) view.setUint32(4 * i, data[i]! >>> 0, littleEndian);
      return;
    case 'int64':
    case 'uint64':
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        const hi = Math.floor(v / TWO_POW_32);
        const lo = v - hi * TWO_POW_32;
        view.setUint32(8 * i + (littleEndian ? 0 : 4), lo >>> 0, littleEndian);
        view.setUint32(8 * i + (littleEndian ? 4 : 0), hi >>> 0, littleEndian);
      }
      return;
  }
}
