// Random and Latin-hypercube designs. Both take the caller's seeded Generator, so a design is reproducible.
import { type Generator, ValueError } from '@sciml/linalg';
import { type Design, type Range, checkCount, mapUnitCube } from './params.js';

/**
 * Options of {@link randomDesign} and {@link latinHypercube}.
 * @public
 */
export interface SampledDesignOptions {
  /** Number of parameter sets. */
  readonly n: number;
  /** The random number generator (seed it for a reproducible design). */
  readonly rng: Generator;
}

function checkRng(op: string, rng: Generator | undefined): Generator {
  if (rng === undefined || typeof rng.nextFloat !== 'function') {
    throw new ValueError(op, 'pass { rng: new Generator(seed) } for a reproducible design');
  }
  return rng;
}

/**
 * A random design: `n` independent uniform points over the named ranges (random search, Bergstra & Bengio,
 * JMLR 13 (2012) 281-305).
 * @public
 */
export function randomDesign(
  ranges: Readonly<Record<string, Range>>,
  options: SampledDesignOptions,
): Design {
  checkCount('randomDesign', options.n);
  const rng = checkRng('randomDesign', options.rng);
  const d = Object.keys(ranges).length;
  const unit = Array.from({ length: options.n }, () =>
    Array.from({ length: d }, () => rng.nextFloat()),
  );
  return mapUnitCube('randomDesign', ranges, unit);
}

/**
 * A Latin-hypercube design (McKay, Beckman & Conover, Technometrics 21 (1979) 239-245): each range is cut
 * into `n` equal strata and every stratum of every parameter holds exactly one point, at a uniform position
 * inside it; the strata are paired across parameters by independent random permutations.
 * @public
 */
export function latinHypercube(
  ranges: Readonly<Record<string, Range>>,
  options: SampledDesignOptions,
): Design {
  const n = options.n;
  checkCount('latinHypercube', n);
  const rng = checkRng('latinHypercube', options.rng);
  const d = Object.keys(ranges).length;
  const unit = Array.from({ length: n }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    // Fisher–Yates shuffle of the strata 0..n−1
    const strata = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor(rng.nextFloat() * (i + 1));
      [strata[i], strata[k]] = [strata[k]!, strata[i]!];
    }
    for (let i = 0; i < n; i++) unit[i]![j] = (strata[i]! + rng.nextFloat()) / n;
  }
  return mapUnitCube('latinHypercube', ranges, unit);
}
