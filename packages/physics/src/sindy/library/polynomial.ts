import { ValueError } from '@sciml/linalg';
import { type FeatureLibrary, defineLibrary } from './feature-library.js';

/** Options of {@link polynomialLibrary}. @public */
export interface PolynomialLibraryOptions {
  /** Highest total degree (default 2). */
  degree?: number;
  /** Include the constant feature `1` (default true). */
  includeBias?: boolean;
  /** Only products of distinct variables, no powers (`x y`, never `x^2`; default false). */
  interactionOnly?: boolean;
}

/**
 * Exponent vectors of every monomial of total degree 0..degree in n variables, ordered by degree and then
 * lexicographically by variable index (scikit-learn's `combinations_with_replacement` order, as pysindy):
 * for three variables and degree 2 that is 1, x, y, z, x², xy, xz, y², yz, z².
 */
export function monomialExponents(
  n: number,
  degree: number,
  includeBias: boolean,
  interactionOnly: boolean,
): number[][] {
  const terms: number[][] = [];
  if (includeBias) terms.push(new Array<number>(n).fill(0));
  // Each monomial of degree d is a non-decreasing index sequence i1 ≤ … ≤ id (strictly increasing when
  // interactionOnly), generated in lexicographic order.
  for (let d = 1; d <= degree; d++) {
    const idx = new Array<number>(d).fill(0);
    if (interactionOnly) for (let k = 0; k < d; k++) idx[k] = k;
    if (interactionOnly && d > n) break;
    for (;;) {
      const e = new Array<number>(n).fill(0);
      for (const i of idx) e[i]!++;
      terms.push(e);
      // Advance to the next sequence: bump the rightmost index that can still grow, reset those after it.
      let k = d - 1;
      const limit = (pos: number) => (interactionOnly ? n - d + pos : n - 1);
      while (k >= 0 && idx[k] === limit(k)) k--;
      if (k < 0) break;
      idx[k]!++;
      for (let j = k + 1; j < d; j++) idx[j] = interactionOnly ? idx[j - 1]! + 1 : idx[k]!;
    }
  }
  return terms;
}

/** pysindy's name of a monomial: factors joined by spaces, powers as `x^2`; `1` for the constant. */
function monomialName(e: readonly number[], names: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < e.length; i++) {
    if (e[i] === 1) parts.push(names[i]!);
    else if (e[i]! > 1) parts.push(`${names[i]}^${e[i]}`);
  }
  return parts.length === 0 ? '1' : parts.join(' ');
}

/**
 * All monomials of the state variables up to a total degree, the library with which SINDy found the
 * Lorenz equations (Brunton, Proctor & Kutz 2016, PNAS 113(15):3932). Degree 2 in (x, y, z) gives
 * 1, x, y, z, x^2, x y, x z, y^2, y z, z^2.
 * @example
 * ```ts
 * polynomialLibrary({ degree: 2 }).names(['x', 'y']); // ['1', 'x', 'y', 'x^2', 'x y', 'y^2']
 * ```
 * @public
 */
export function polynomialLibrary(options: PolynomialLibraryOptions = {}): FeatureLibrary {
  const degree = options.degree ?? 2;
  const includeBias = options.includeBias ?? true;
  const interactionOnly = options.interactionOnly ?? false;
  if (!Number.isInteger(degree) || degree < 0) {
    throw new ValueError(
      'polynomialLibrary',
      `degree must be a non-negative integer, got ${degree}`,
    );
  }
  // Exponent tables depend on the number of variables, known only when the library meets data.
  const cache = new Map<number, { exps: number[][]; flat: Int32Array }>();
  const table = (n: number) => {
    let t = cache.get(n);
    if (!t) {
      const exps = monomialExponents(n, degree, includeBias, interactionOnly);
      t = { exps, flat: Int32Array.from(exps.flat()) };
      cache.set(n, t);
    }
    return t;
  };
  return defineLibrary({
    description: `polynomial(degree=${degree}${includeBias ? '' : ', no bias'}${interactionOnly ? ', interaction only' : ''})`,
    size: (n) => table(n).exps.length,
    names: (names) => table(names.length).exps.map((e) => monomialName(e, names)),
    evaluate: (x, out, offset) => {
      const n = x.length;
      const { exps, flat } = table(n);
      for (let f = 0; f < exps.length; f++) {
        let v = 1;
        for (let i = 0; i < n; i++) {
          // Repeated multiplication, not Math.pow: exact for the small integer powers used here.
          for (let k = flat[f * n + i]!; k > 0; k--) v *= x[i]!;
        }
        out[offset + f] = v;
      }
    },
  });
}
