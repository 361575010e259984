import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';

/**
 * A random sparse regression problem Y = Θ Ξᵀ (+ noise): Θ has independent standard normal columns (well
 * conditioned), Ξ has the given non-zero entries. Test helper, not exported.
 */
export function sparseProblem(
  samples: number,
  xi: readonly (readonly number[])[],
  options: { noise?: number; seed?: number } = {},
): { theta: NDArray; y: NDArray } {
  const rng = new Generator(options.seed ?? 1);
  const k = xi.length;
  const p = xi[0]!.length;
  const theta = new Float64Array(samples * p);
  for (let e = 0; e < theta.length; e++) theta[e] = rng.nextNormal();
  const y = new Float64Array(samples * k);
  for (let i = 0; i < samples; i++) {
    for (let t = 0; t < k; t++) {
      let acc = (options.noise ?? 0) * rng.nextNormal();
      for (let j = 0; j < p; j++) acc += theta[i * p + j]! * xi[t]![j]!;
      y[i * k + t] = acc;
    }
  }
  return { theta: fromTypedArray(theta, [samples, p]), y: fromTypedArray(y, [samples, k]) };
}
