import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';

/** Uniform values in [lo, hi) with `shape` (float64 unless asked), from a seeded generator. */
export function uniform(
  shape: readonly number[],
  lo = -1,
  hi = 1,
  seed = 1,
  dtype: 'float64' | 'float32' = 'float64',
): NDArray {
  const rng = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
  return fromTypedArray(v, shape);
}

/** Values bounded away from zero: |x| in [lo, hi) with random signs. */
export function nonzero(shape: readonly number[], lo = 0.3, hi = 1.5, seed = 1): NDArray {
  const rng = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++)
    v[i] = (lo + (hi - lo) * rng.nextFloat()) * (rng.nextFloat() < 0.5 ? -1 : 1);
  return fromTypedArray(v, shape);
}

/** A well-conditioned symmetric positive definite matrix A Aᵀ + n I (batched when `batch` is given). */
export function spd(n: number, seed = 1, batch: readonly number[] = []): NDArray {
  const rng = new Generator(seed);
  const count = batch.reduce((a, b) => a * b, 1);
  const v = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const a = Array.from({ length: n * n }, () => rng.nextFloat() * 2 - 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * a[j * n + k]!;
        v[b * n * n + i * n + j] = s;
      }
    }
  }
  return fromTypedArray(v, [...batch, n, n]);
}
