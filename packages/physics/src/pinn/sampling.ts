// Collocation samplers: points in the unit cube [0, 1)^d that a geometry maps onto its interior or boundary.
import { type Generator, ValueError, latinHypercubePoints, sobolPoints } from '@sciml/linalg';

/**
 * How collocation points are drawn: `'uniform'` (a tensor grid, endpoints included), `'random'` (i.i.d.
 * uniform), `'lhs'` (Latin hypercube, McKay et al. 1979) or `'sobol'` (the Sobol' sequence, Sobol' 1967),
 * the samplers of DeepXDE (Lu et al., SIAM Rev. 63 (2021) 208–228, §3).
 * @public
 */
export type Sampler = 'uniform' | 'random' | 'lhs' | 'sobol';

/** Options of the geometry samplers. @public */
export interface SampleOptions {
  /** Sampler (default `'sobol'`). */
  sampler?: Sampler;
  /** Generator for `'random'` and `'lhs'` (required by those two, for reproducibility). */
  rng?: Generator;
}

/**
 * `n` points in the unit cube [0, 1]^d by the chosen sampler. `'uniform'` returns a tensor grid of
 * k = round(n^{1/d}) points per axis (k^d points, endpoints included; exactly n when d = 1); `'sobol'` skips
 * the origin so that no point repeats a corner.
 * @public
 */
export function unitCubePoints(n: number, d: number, options: SampleOptions = {}): number[][] {
  const op = 'unitCubePoints';
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ValueError(op, `n must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(d) || d < 1)
    throw new ValueError(op, `d must be a positive integer, got ${d}`);
  const sampler = options.sampler ?? 'sobol';
  switch (sampler) {
    case 'uniform': {
      const k = d === 1 ? n : Math.max(2, Math.round(n ** (1 / d)));
      const axis = Array.from({ length: k }, (_, i) => (k === 1 ? 0.5 : i / (k - 1)));
      let pts: number[][] = [[]];
      for (let j = 0; j < d; j++) pts = pts.flatMap((p) => axis.map((a) => [...p, a]));
      return pts;
    }
    case 'random': {
      const rng = needRng(op, sampler, options.rng);
      return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.nextFloat()));
    }
    case 'lhs':
      return latinHypercubePoints(n, d, needRng(op, sampler, options.rng));
    case 'sobol':
      return sobolPoints(n + 1, d).slice(1);
    default:
      throw new ValueError(
        op,
        `unknown sampler '${String(sampler)}'; use 'uniform', 'random', 'lhs' or 'sobol'`,
      );
  }
}

function needRng(op: string, sampler: Sampler, rng: Generator | undefined): Generator {
  if (rng === undefined || typeof rng.nextFloat !== 'function')
    throw new ValueError(op, `sampler '${sampler}' needs { rng: new Generator(seed) }`);
  return rng;
}
