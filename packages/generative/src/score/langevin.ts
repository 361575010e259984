import { type Generator, type NDArray, ValueError, add, mul } from '@sciml/linalg';

/** A score function ∇ₓ log p(x). */
export type ScoreFn = (x: NDArray) => NDArray;

/**
 * Unadjusted Langevin dynamics x ← x + (ε/2) ∇log p(x) + √ε z, z ~ N(0, I) (Roberts & Tweedie 1996; used with
 * learned scores by Song & Ermon 2019). Returns the final state after `steps` steps.
 */
export function langevinSample(
  score: ScoreFn,
  x0: NDArray,
  options: { stepSize: number; steps: number; rng: Generator },
): NDArray {
  const { stepSize, steps, rng } = options;
  if (!(stepSize > 0))
    throw new ValueError('langevinSample', `stepSize must be positive, got ${stepSize}`);
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError('langevinSample', `steps must be a non-negative integer, got ${steps}`);
  let x = x0;
  const noiseScale = Math.sqrt(stepSize);
  for (let k = 0; k < steps; k++) {
    const z = rng.normal(x.shape, { dtype: x.dtype as 'float64' | 'float32', backend: x.backend });
    x = add(add(x, mul(score(x), stepSize / 2)), mul(z, noiseScale));
  }
  return x;
}
