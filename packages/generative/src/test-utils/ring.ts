import { Generator, type NDArray } from '@sciml/linalg';
import {
  type ModeCoverage,
  modeCoverage,
  ringMixture,
  ringMixtureCenters,
} from '../data/gaussian-mixture.js';
import { mmd2, mmdThreshold } from '../metrics/mmd.js';

/** Sample size of every ring-of-Gaussians check: the threshold is computed at the same size. */
export const RING_N = 500;

/** What a trained model's samples are judged by: MMD² to a fresh true sample against the null threshold. */
export interface RingVerdict {
  mmd: number;
  threshold: number;
  coverage: ModeCoverage;
}

/**
 * MMD² between `samples` (`[RING_N, 2]`) and a true sample, the 95 % quantile of true-vs-true MMD² at the same
 * size (20 pairs), and the mode coverage. Own generator, so the verdict does not depend on how much
 * randomness the model's training drew.
 */
export function judgeRing(samples: NDArray, seed = 99): RingVerdict {
  const rng = new Generator(seed);
  const truth = (n: number, r: Generator) => ringMixture(n, { rng: r });
  const threshold = mmdThreshold(truth, RING_N, { rng, repeats: 20 });
  return {
    mmd: mmd2(truth(RING_N, rng), samples),
    threshold,
    coverage: modeCoverage(samples, ringMixtureCenters()),
  };
}
