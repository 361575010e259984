/**
 * Small dense-vector helpers on Float64Array for the deterministic minimisers (their iterates live in
 * flat float64 vectors, as in SciPy; user functions see NDArrays).
 */

/** xᵀy. */
export function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** Euclidean norm ‖x‖₂, scaled so it neither overflows nor underflows. */
export function norm2(x: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** ‖x‖∞. */
export function normInf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** out = x + a·y (out may alias x). */
export function axpy(out: Float64Array, x: Float64Array, a: number, y: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + a * y[i]!;
  return out;
}

/** out = a·x. */
export function scale(out: Float64Array, a: number, x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = a * x[i]!;
  return out;
}

/** out = x − y. */
export function subtract(out: Float64Array, x: Float64Array, y: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - y[i]!;
  return out;
}

/** True when every entry is finite. */
export function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** y = A x for a row-major n×n matrix. */
export function matVec(
  a: Float64Array,
  x: Float64Array,
  n: number,
  out = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += a[row + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}
