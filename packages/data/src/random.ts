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

/** A random permutation of 0..n−1 (the Generator's Fisher–Yates) as an Int32Array. */
export function permutation(rng: Generator, n: number): Int32Array {
  return Int32Array.from(rng.permutation(n));
}
