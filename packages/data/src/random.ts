// The seeded randomness every stochastic function here takes: an explicit linalg Generator or a seed.
import { Generator, ValueError } from '@sciml/linalg';

/**
 * Randomness of a stochastic function: pass `rng` to share a stream, or `seed` for a fresh one (default
 * seed 0, so results are reproducible unless asked otherwise).
 * @public
 */
export interface RandomOptions {
  /** Seed of a new Generator (ignored when `rng` is given). */
  seed?: number;
  /** Generator to draw from; it advances. */
  rng?: Generator;
}

/** The generator to use for `options`. */
export function resolveRng(op: string, options: RandomOptions): Generator {
  if (options.rng !== undefined) {
    if (!(options.rng instanceof Generator))
      throw new ValueError(op, 'rng must be a Generator from @sciml/linalg');
    return options.rng;
  }
  return new Generator(options.seed ?? 0);
}

/** Fisher–Yates permutation of 0..n−1 as an Int32Array. */
export function permutation(rng: Generator, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(0, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
