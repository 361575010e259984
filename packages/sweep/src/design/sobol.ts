// Sobol' low-discrepancy sequence (I. M. Sobol', USSR Comput. Math. Math. Phys. 7 (1967) 86-112), generated in
// Gray-code order (Antonov & Saleev 1979) from the direction numbers of S. Joe and F. Y. Kuo, "Constructing
// Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654
// (file new-joe-kuo-6.21201), unscrambled: the points SciPy's `qmc.Sobol(d, scramble=False)` returns.
import { ValueError } from '@sciml/linalg';
import { type Design, type Range, checkCount, mapUnitCube } from './params.js';

const BITS = 32;

/**
 * Joe–Kuo rows for dimensions 2, 3, ...: `[s, a, m_1..m_s]` — the degree `s` of the primitive polynomial,
 * its inner coefficients `a` as bits, and the initial odd direction integers `m_i < 2^i`.
 */
const JOE_KUO: readonly (readonly number[])[] = [
  [1, 0, 1],
  [2, 1, 1, 3],
  [3, 1, 1, 3, 1],
  [3, 2, 1, 1, 1],
  [4, 1, 1, 1, 3, 3],
  [4, 4, 1, 3, 5, 13],
  [5, 2, 1, 1, 5, 5, 17],
  [5, 4, 1, 1, 5, 5, 5],
  [5, 7, 1, 1, 7, 11, 19],
  [5, 11, 1, 1, 5, 1, 1],
  [5, 13, 1, 1, 1, 3, 11],
];

/** The most dimensions {@link sobol} supports. */
export const SOBOL_MAX_DIMENSIONS = JOE_KUO.length + 1;

/** Direction numbers `V_i = m_i 2^{32−i}` of one dimension (0-based `dim`), by the Joe–Kuo recurrence. */
function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS + 1);
  if (dim === 0) {
    // the first dimension is the van der Corput sequence in base 2: every m_i = 1
    for (let i = 1; i <= BITS; i++) v[i] = 2 ** (BITS - i);
    return v;
  }
  const [s, a, ...m] = JOE_KUO[dim - 1]!;
  for (let i = 1; i <= s!; i++) v[i] = (m[i - 1]! * 2 ** (BITS - i)) >>> 0;
  // V_i = V_{i−s} ⊕ (V_{i−s} >> s) ⊕ ⊕_{k=1}^{s−1} a_k V_{i−k}
  for (let i = s! + 1; i <= BITS; i++) {
    let x = (v[i - s!]! ^ (v[i - s!]! >>> s!)) >>> 0;
    for (let k = 1; k < s!; k++) {
      if ((a! >>> (s! - 1 - k)) & 1) x = (x ^ v[i - k]!) >>> 0;
    }
    v[i] = x;
  }
  return v;
}

/**
 * The first `n` points of the `d`-dimensional unscrambled Sobol' sequence in `[0, 1)^d`, starting with the
 * origin. Balanced when `n` is a power of two: each coordinate then takes every value `k / n` once.
 */
export function sobolPoints(n: number, d: number): number[][] {
  checkCount('sobol', n);
  if (!Number.isSafeInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSIONS) {
    throw new ValueError(
      'sobol',
      `supports 1 to ${SOBOL_MAX_DIMENSIONS} parameters, got ${d}; use latinHypercube for more`,
    );
  }
  if (n > 2 ** BITS) throw new ValueError('sobol', `n must be at most 2^32, got ${n}`);
  const dirs = Array.from({ length: d }, (_, j) => directions(j));
  const x = new Uint32Array(d);
  const out: number[][] = [Array.from(x, (v) => v / 2 ** BITS)];
  for (let i = 1; i < n; i++) {
    // Gray code: point i differs from point i−1 by V_c, c = position of the lowest zero bit of i−1
    let c = 1;
    let value = i - 1;
    while (value & 1) {
      value = Math.floor(value / 2);
      c++;
    }
    for (let j = 0; j < d; j++) x[j] = (x[j]! ^ dirs[j]![c]!) >>> 0;
    out.push(Array.from(x, (v) => v / 2 ** BITS));
  }
  return out;
}

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
