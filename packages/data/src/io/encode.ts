// Writers' helpers: element data as bytes without a copy when the layout already matches, and joining parts.
import type { TypedArray } from '@sciml/linalg';
import { type FileDType, HOST_LITTLE_ENDIAN, ITEM_SIZE, encodeElements } from './dtypes.js';

const NATIVE: Partial<Record<FileDType, abstract new (...args: never[]) => TypedArray>> = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
};

/**
 * Little-endian bytes of `data` stored as `dtype`: a view of `data`'s memory when it already has that layout
 * (no copy; the caller must not keep it past a mutation of `data`), else a freshly encoded buffer.
 */
export function encodedData(op: string, data: TypedArray, dtype: FileDType): Uint8Array {
  const native = NATIVE[dtype];
  if (native && data instanceof native && HOST_LITTLE_ENDIAN) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const out = new Uint8Array(data.length * ITEM_SIZE[dtype]);
  encodeElements(op, data, dtype, out);
  return out;
}

/** Concatenates byte parts into one new buffer. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
