import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';

/**
 * Sinusoidal embedding of diffusion timesteps (Vaswani et al. 2017, §3.5; used for t by Ho et al. 2020):
 * row n is [sin(tₙω₀), …, sin(tₙω_{h−1}), cos(tₙω₀), …, cos(tₙω_{h−1})] with ωₖ = maxPeriod^{−k/h}, h = dim/2.
 * Timesteps are host numbers (the sampler's loop counter), so the result is a constant `[n, dim]` array
 * (float64, or `dtype`).
 */
export function timestepEmbedding(
  t: ArrayLike<number>,
  dim: number,
  options: { maxPeriod?: number; dtype?: 'float64' | 'float32' } = {},
): NDArray {
  if (!Number.isInteger(dim) || dim < 2 || dim % 2 !== 0)
    throw new ValueError('timestepEmbedding', `dim must be a positive even integer, got ${dim}`);
  const maxPeriod = options.maxPeriod ?? 10_000;
  const half = dim / 2;
  const out =
    options.dtype === 'float32'
      ? new Float32Array(t.length * dim)
      : new Float64Array(t.length * dim);
  for (let n = 0; n < t.length; n++) {
    for (let k = 0; k < half; k++) {
      const arg = t[n]! * maxPeriod ** (-k / half);
      out[n * dim + k] = Math.sin(arg);
      out[n * dim + half + k] = Math.cos(arg);
    }
  }
  return fromTypedArray(out, [t.length, dim]);
}
