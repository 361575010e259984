import { ValueError } from '@sciml/linalg';
import { type FeatureLibrary, defineLibrary } from './feature-library.js';

/** One named candidate function of `arity` variables. @public */
export interface CustomFunction {
  /** The function; it receives `arity` variable values. */
  readonly fn: (...args: number[]) => number;
  /** Its printed name given the variables' names, e.g. `(x) => 'exp(' + x + ')'`. */
  readonly name: (...names: string[]) => string;
  /** Number of arguments (default `fn.length`, at least 1). */
  readonly arity?: number;
}

/** Options of {@link customLibrary}. @public */
export interface CustomLibraryOptions {
  /** Prepend the constant feature `1` (default false). */
  includeBias?: boolean;
}

/** Index combinations i1 < i2 < … < ik of 0..n−1 in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return out;
  for (;;) {
    out.push([...idx]);
    let j = k - 1;
    while (j >= 0 && idx[j] === n - k + j) j--;
    if (j < 0) return out;
    idx[j]!++;
    for (let l = j + 1; l < k; l++) idx[l] = idx[l - 1]! + 1;
  }
}

/**
 * A library of user functions, each applied to every combination of `arity` distinct variables (pysindy's
 * `CustomLibrary`): functions in the order given, combinations in lexicographic order.
 * @example
 * ```ts
 * customLibrary([{ fn: Math.exp, name: (x) => `exp(${x})` }, { fn: (a, b) => Math.sin(a - b), name: (a, b) => `sin(${a} - ${b})` }]);
 * ```
 * @public
 */
export function customLibrary(
  functions: readonly CustomFunction[],
  options: CustomLibraryOptions = {},
): FeatureLibrary {
  if (functions.length === 0) throw new ValueError('customLibrary', 'needs at least one function');
  const arities = functions.map((f, i) => {
    const a = f.arity ?? Math.max(f.fn.length, 1);
    if (!Number.isInteger(a) || a < 1)
      throw new ValueError('customLibrary', `function ${i} has arity ${a}; it must be ≥ 1`);
    return a;
  });
  const bias = options.includeBias ?? false;
  const cache = new Map<number, number[][][]>();
  const combos = (n: number) => {
    let c = cache.get(n);
    if (!c) {
      c = arities.map((a) => combinations(n, a));
      cache.set(n, c);
    }
    return c;
  };
  const args: number[] = [];
  return defineLibrary({
    description: `custom(${functions.length} functions)`,
    size: (n) => (bias ? 1 : 0) + combos(n).reduce((s, c) => s + c.length, 0),
    names: (names) => {
      const out = bias ? ['1'] : [];
      combos(names.length).forEach((cs, f) => {
        for (const c of cs) out.push(functions[f]!.name(...c.map((i) => names[i]!)));
      });
      return out;
    },
    evaluate: (x, out, offset) => {
      let o = offset;
      if (bias) out[o++] = 1;
      const all = combos(x.length);
      for (let f = 0; f < functions.length; f++) {
        const fn = functions[f]!.fn;
        for (const c of all[f]!) {
          args.length = c.length;
          for (let k = 0; k < c.length; k++) args[k] = x[c[k]!]!;
          out[o++] = fn(...args);
        }
      }
    },
  });
}
