/**
 * What README code calls for its `// → expected` checks (see readme/blocks.js): format the actual values,
 * compare them with the README's text number by number, and throw an error that quotes both and the line.
 */

/** Values as a README states them: arrays as `[1, 2]`, NDArrays by their values, strings in arrays quoted. */
export function show(v: unknown, nested = false): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return nested ? JSON.stringify(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'object' && 'toNested' in v && typeof v.toNested === 'function')
    return show(v.toNested(), true);
  if (Array.isArray(v) || ArrayBuffer.isView(v))
    return `[${Array.from(v as ArrayLike<unknown>, (x) => show(x, true)).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as object).map(([k, x]) => `${k}: ${show(x, true)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return String(v);
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?Infinity|NaN/g;

type Token = { kind: 'number'; text: string; value: number } | { kind: 'text'; text: string };

function tokens(s: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  const text = (t: string) => {
    const squeezed = t.replace(/\s+/g, '');
    if (squeezed) out.push({ kind: 'text', text: squeezed });
  };
  for (const m of s.matchAll(NUMBER)) {
    text(s.slice(last, m.index));
    out.push({ kind: 'number', text: m[0], value: Number(m[0]) });
    last = m.index + m[0].length;
  }
  text(s.slice(last));
  return out;
}

/** Half a unit in the last place the README wrote (0.906 → 5e-4, 1.5e-3 → 5e-5); integers: exact. */
function tolerance(text: string): number {
  const [mantissa, exponent] = text.toLowerCase().split('e') as [string, string | undefined];
  const dot = mantissa.indexOf('.');
  if (dot < 0 && exponent === undefined) return 1e-9 * Math.max(1, Math.abs(Number(text)));
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  return 0.5 * 10 ** (-decimals + Number(exponent ?? 0)) * (1 + 1e-9);
}

/** Why `actual` does not read as `expected`, or `undefined` when it does. */
export function mismatch(expected: string, actual: string): string | undefined {
  let want = expected.replace(/≈/g, '').replace(/−/g, '-').trim();
  const prefixOnly = /(\.\.\.|…)$/.test(want);
  if (prefixOnly) want = want.replace(/(\.\.\.|…)$/, '');
  const e = tokens(want);
  const a = tokens(actual);
  if (!prefixOnly && a.length !== e.length) return `${a.length} tokens printed, ${e.length} stated`;
  if (a.length < e.length) return `only ${a.length} tokens printed, ${e.length} stated`;
  for (let i = 0; i < e.length; i++) {
    const x = e[i]!;
    const y = a[i]!;
    if (x.kind === 'number' && y.kind === 'number') {
      const ok = Number.isNaN(x.value)
        ? Number.isNaN(y.value)
        : Math.abs(x.value - y.value) <= tolerance(x.text);
      if (!ok)
        return `${y.text} where the README states ${x.text} (±${tolerance(x.text).toPrecision(2)})`;
    } else if (x.kind !== y.kind || x.text !== y.text) {
      // text tokens may run on into the next text token of the other side: compare the squeezed rest
      return `'${y.text}' where the README states '${x.text}'`;
    }
  }
  return undefined;
}

/** Thrown when a README check fails: names the file and line, with both texts. */
export class ReadmeMismatchError extends Error {
  override name = 'ReadmeMismatchError';
}

/** The check functions for one README (`__readme` in the generated module). */
export function readmeChecks(readme: string) {
  const check = (line: number, expected: string, actual: string) => {
    const why = mismatch(expected, actual);
    if (why !== undefined) {
      throw new ReadmeMismatchError(
        `${readme}:${line}: the code gives\n    ${actual}\n  but the README states\n    ${expected}\n  (${why}). Fix the code or the text so they agree.`,
      );
    }
  };
  return {
    /** `console.log(...args); // → expected`: prints as usual, then compares. */
    log(line: number, expected: string, ...args: unknown[]): void {
      console.log(...args);
      check(line, expected, args.map((a) => show(a)).join(' '));
    },
    /** `expr; // → expected` or `const v = expr; // → expected`: compares, returns the value. */
    value<T>(line: number, expected: string, value: T): T {
      check(line, expected, show(value));
      return value;
    },
  };
}
