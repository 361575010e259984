import { ValueError } from '@sciml/linalg';
import { type FeatureLibrary, type FeatureLibrarySpec, defineLibrary } from './feature-library.js';

/**
 * The features of several libraries side by side, in the order given (pysindy's `lib1 + lib2`).
 * @example `concatLibraries(polynomialLibrary({ degree: 2 }), fourierLibrary())`
 * @public
 */
export function concatLibraries(...libraries: readonly FeatureLibrarySpec[]): FeatureLibrary {
  if (libraries.length === 0) throw new ValueError('concatLibraries', 'needs at least one library');
  return defineLibrary({
    description: libraries.map((l) => l.description).join(' + '),
    size: (n) => libraries.reduce((s, l) => s + l.size(n), 0),
    names: (names) => libraries.flatMap((l) => l.names(names)),
    evaluate: (x, out, offset) => {
      let o = offset;
      for (const l of libraries) {
        l.evaluate(x, out, o);
        o += l.size(x.length);
      }
    },
  });
}

/**
 * Every product of one feature of `a` with one feature of `b` (pysindy's `lib1 * lib2`), `a`'s index
 * outermost; names are joined by a space (`x sin(1 y)`).
 * @public
 */
export function tensorLibraries(a: FeatureLibrarySpec, b: FeatureLibrarySpec): FeatureLibrary {
  let scratchA = new Float64Array(0);
  let scratchB = new Float64Array(0);
  return defineLibrary({
    description: `(${a.description}) × (${b.description})`,
    size: (n) => a.size(n) * b.size(n),
    names: (names) => {
      const nb = b.names(names);
      return a
        .names(names)
        .flatMap((fa) => nb.map((fb) => (fa === '1' ? fb : fb === '1' ? fa : `${fa} ${fb}`)));
    },
    evaluate: (x, out, offset) => {
      const pa = a.size(x.length);
      const pb = b.size(x.length);
      if (scratchA.length < pa) scratchA = new Float64Array(pa);
      if (scratchB.length < pb) scratchB = new Float64Array(pb);
      a.evaluate(x, scratchA, 0);
      b.evaluate(x, scratchB, 0);
      for (let i = 0; i < pa; i++) {
        for (let j = 0; j < pb; j++) out[offset + i * pb + j] = scratchA[i]! * scratchB[j]!;
      }
    },
  });
}
