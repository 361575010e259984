import { type NDArray, fromTypedArray } from '@sciml/linalg';

/** Every binary row of length n, `[2^n, n]`, row c holding the bits of c (bit i in column i). */
export function allBinary(n: number): NDArray {
  const out = new Float64Array(2 ** n * n);
  for (let c = 0; c < 2 ** n; c++) for (let i = 0; i < n; i++) out[c * n + i] = (c >> i) & 1;
  return fromTypedArray(out, [2 ** n, n]);
}
