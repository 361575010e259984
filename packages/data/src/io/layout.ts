// Memory-layout helpers shared by readers: Fortran (column-major) data to the C order NDArray stores.
import type { TypedArray } from '@sciml/linalg';

/**
 * Reorders column-major `data` of `shape` into row-major order (a new array of the same type).
 * Walks the output in C order with an odometer over the Fortran strides.
 */
export function fortranToC<T extends TypedArray>(data: T, shape: readonly number[]): T {
  const n = data.length;
  const ndim = shape.length;
  if (ndim < 2 || n === 0) return data;
  const out = new (data.constructor as new (len: number) => T)(n);
  const fstride = new Array<number>(ndim);
  let s = 1;
  for (let k = 0; k < ndim; k++) {
    fstride[k] = s;
    s *= shape[k]!;
  }
  const index = new Array<number>(ndim).fill(0);
  const last = ndim - 1;
  const innerLen = shape[last]!;
  const innerStride = fstride[last]!;
  let base = 0; // Fortran offset of index[0..last-1] with index[last] = 0
  for (let o = 0; o < n; o += innerLen) {
    for (let j = 0; j < innerLen; j++) out[o + j] = data[base + j * innerStride]!;
    // advance the odometer over the outer axes
    for (let k = last - 1; k >= 0; k--) {
      index[k]!++;
      base += fstride[k]!;
      if (index[k]! < shape[k]!) break;
      base -= index[k]! * fstride[k]!;
      index[k] = 0;
    }
  }
  return out;
}
