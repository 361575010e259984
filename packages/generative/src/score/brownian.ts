import { type Generator, ValueError } from '@sciml/linalg';
import type { BrownianPath } from '@sciml/physics';

/**
 * A Brownian path drawn from `rng` as it is queried at non-decreasing times: W(t) = W(s) + √(t − s) z with
 * fresh z ~ N(0, I) (the Markov property makes that exact). Enough for a fixed-step solver that walks
 * forward once — it costs one normal per component and step, where a virtual Brownian tree pays ~20 for
 * being queryable in any order — and it keeps the package's one randomness convention (`rng`).
 */
export function forwardBrownianPath(rng: Generator, t0: number, dim: number): BrownianPath {
  let tNow = t0;
  const w = new Float64Array(dim);
  return {
    dim,
    evaluate(t, out = new Float64Array(dim)) {
      if (t < tNow)
        throw new ValueError(
          'forwardBrownianPath',
          `queried at t = ${t} after t = ${tNow}: this path only moves forward`,
        );
      if (t > tNow) {
        const s = Math.sqrt(t - tNow);
        for (let i = 0; i < dim; i++) w[i]! += s * rng.nextNormal();
        tNow = t;
      }
      out.set(w);
      return out;
    },
  };
}
