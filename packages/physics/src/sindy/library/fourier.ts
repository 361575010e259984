import { ValueError } from '@sciml/linalg';
import { type FeatureLibrary, defineLibrary } from './feature-library.js';

/** Options of {@link fourierLibrary}. @public */
export interface FourierLibraryOptions {
  /** Number of harmonics k = 1..nFrequencies (default 1). */
  nFrequencies?: number;
  /** Include sin(k x) features (default true). */
  includeSin?: boolean;
  /** Include cos(k x) features (default true). */
  includeCos?: boolean;
}

/**
 * Sines and cosines of each variable: for k = 1..nFrequencies and each variable x, `sin(k x)` then
 * `cos(k x)` (pysindy's `FourierLibrary` order and names).
 * @public
 */
export function fourierLibrary(options: FourierLibraryOptions = {}): FeatureLibrary {
  const nFreq = options.nFrequencies ?? 1;
  const includeSin = options.includeSin ?? true;
  const includeCos = options.includeCos ?? true;
  if (!Number.isInteger(nFreq) || nFreq < 1) {
    throw new ValueError('fourierLibrary', `nFrequencies must be a positive integer, got ${nFreq}`);
  }
  if (!includeSin && !includeCos) {
    throw new ValueError(
      'fourierLibrary',
      'includeSin and includeCos are both false: the library would be empty',
    );
  }
  const perPair = (includeSin ? 1 : 0) + (includeCos ? 1 : 0);
  return defineLibrary({
    description: `fourier(nFrequencies=${nFreq})`,
    size: (n) => nFreq * n * perPair,
    names: (names) => {
      const out: string[] = [];
      for (let k = 1; k <= nFreq; k++) {
        for (const v of names) {
          if (includeSin) out.push(`sin(${k} ${v})`);
          if (includeCos) out.push(`cos(${k} ${v})`);
        }
      }
      return out;
    },
    evaluate: (x, out, offset) => {
      let f = offset;
      for (let k = 1; k <= nFreq; k++) {
        for (let i = 0; i < x.length; i++) {
          if (includeSin) out[f++] = Math.sin(k * x[i]!);
          if (includeCos) out[f++] = Math.cos(k * x[i]!);
        }
      }
    },
  });
}
