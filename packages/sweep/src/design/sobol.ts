// Sobol' low-discrepancy sequence (I. M. Sobol', USSR Comput. Math. Math. Phys. 7 (1967) 86-112), generated in
// Gray-code order (Antonov & Saleev 1979) from the direction numbers of S. Joe and F. Y. Kuo, "Constructing
// Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654
// (file new-joe-kuo-6.21201), unscrambled: the points SciPy's `qmc.Sobol(d, scramble=False)` returns.
import { sobolPoints } from '@sciml/linalg';
import { type Design, type Range, mapUnitCube } from './params.js';

export { SOBOL_MAX_DIMENSIONS, sobolPoints } from '@sciml/linalg';

/**
 * A Sobol' design: the first `n` points of the Sobol' sequence mapped onto the named ranges. Fills the
 * space more evenly than random points (discrepancy O((log n)^d / n) against O(n^{-1/2})); use a power of
 * two for `n`. Deterministic: no `rng`.
 * @example `sobol({ lr: { low: 1e-4, high: 1e-1, scale: 'log' }, width: [8, 64] }, { n: 32 })`
 * @public
 */
export function sobol(
  ranges: Readonly<Record<string, Range>>,
  options: { readonly n: number },
): Design {
  return mapUnitCube('sobol', ranges, sobolPoints(options.n, Object.keys(ranges).length));
}
