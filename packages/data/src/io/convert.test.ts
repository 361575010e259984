import { type NDArray, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { conversionProblem } from './convert.js';
import { readCsv } from './csv.js';
import { readJsonArray } from './json.js';
import { expectFormatError } from './test-utils/helpers.js';

// One conversion policy for the text readers: the same value is accepted or rejected by readCsv and
// readJsonArray alike. Each row: value, dtype, the stored value or the problem's pattern.
const POLICY: [number | boolean, 'float64' | 'float32' | 'int32' | 'bool', number | RegExp][] = [
  [1.7, 'float64', 1.7],
  [1e39, 'float64', 1e39],
  [1.5, 'float32', 1.5],
  [1e39, 'float32', /beyond float32's range/],
  [3.4028235e38, 'float32', Math.fround(3.4028235e38)], // rounds down to the largest float32
  [3, 'int32', 3],
  [-2147483648, 'int32', -2147483648],
  [1.7, 'int32', /not a 32-bit integer \(not an integer/],
  [3000000000, 'int32', /not a 32-bit integer \(outside/],
  [Number.NaN, 'int32', /not a 32-bit integer \(not an integer/],
  [Number.POSITIVE_INFINITY, 'int32', /not a 32-bit integer \(not an integer/],
  [1, 'bool', 1],
  [0, 'bool', 0],
  [true, 'bool', 1],
  [5, 'bool', /not a bool/],
  [0.5, 'bool', /not a bool/],
  [-1, 'bool', /not a bool/],
];

describe('the text readers share one dtype conversion policy', () => {
  for (const [value, dtype, expected] of POLICY) {
    it(`${String(value)} as ${dtype}`, () => {
      const problem = conversionProblem(value, dtype);
      // JSON cannot spell NaN or ±∞
      const json = Number.isFinite(Number(value))
        ? readOne(() => readJsonArray(`[${String(value)}]`, { dtype }))
        : undefined;
      const csvText = `x\n${typeof value === 'number' && Number.isNaN(value) ? 'nan' : String(value)}\n`;
      const csv = dtype === 'float32' ? undefined : readOne(() => readCsvColumn(csvText, dtype));
      if (expected instanceof RegExp) {
        expect(problem).toMatch(expected);
        if (json !== undefined) {
          expect(json).toBeInstanceOf(Error);
          expect((json as Error).message).toMatch(expected);
        }
        // NaN in a CSV int32 column is a missing value, rejected with its own message
        if (csv !== undefined) expect(csv).toBeInstanceOf(Error);
      } else {
        expect(problem).toBeUndefined();
        if (json !== undefined) expect(json).toBe(expected);
        if (csv !== undefined) expect(csv).toBe(expected);
      }
    });
  }

  it('the examples of issue 26 are rejected instead of wrapped or reinterpreted', () => {
    // before: [0, 1, -1294967296] and raw bytes [5, 0, 255]
    expectFormatError(
      () => readJsonArray('[null,1.7,3000000000]', { dtype: 'int32' }),
      /int32 cannot hold a missing value/,
    );
    expectFormatError(
      () => readJsonArray('[1.7]', { dtype: 'int32' }),
      /not a 32-bit integer \(not an integer/,
    );
    expectFormatError(
      () => readJsonArray('[5, 0.5, -1]', { dtype: 'bool' }),
      /element 0: 5 is not a bool/,
    );
    expect(readJsonArray('[1, 0, true]', { dtype: 'bool' }).toNested()).toEqual([
      true,
      false,
      true,
    ]);
    expect(() => readJsonArray('[1]', { dtype: 'int64' as never })).toThrow(ValueError);
  });
});

describe('user-keyed records use own properties only', () => {
  it("columns named after Object.prototype's members read as their data says", () => {
    // before: the `constructor` column came back as a bool array [44, 255]
    const t = readCsv('constructor,b\n300,1\n-1,2\n', { types: { b: 'float64' } });
    expect((t.columns.get('constructor') as NDArray).dtype).toBe('float64');
    expect((t.columns.get('constructor') as NDArray).toNested()).toEqual([300, -1]);
    const names = ['__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const u = readCsv(`${names.join(',')}\n1,2,3,4\n`, {
      types: JSON.parse('{"__proto__":"int32"}'),
    });
    expect((u.columns.get('__proto__') as NDArray).dtype).toBe('int32');
    for (const n of names.slice(1)) expect((u.columns.get(n) as NDArray).dtype).toBe('float64');
    expect(Object.prototype).not.toHaveProperty('int32');
  });

  it('a types entry naming no column, or no column type, is a ValueError', () => {
    expect(() => readCsv('a\n1\n', { types: { b: 'int32' } })).toThrow(/lacks; columns are a/);
    expect(() => readCsv('a\n1\n', { types: { a: 'int64' as never } })).toThrow(ValueError);
  });
});

function readOne(read: () => NDArray): number | Error {
  try {
    return read().dataSync()[0]!;
  } catch (e) {
    return e as Error;
  }
}

function readCsvColumn(text: string, dtype: 'float64' | 'int32' | 'bool'): NDArray {
  return readCsv(text, { types: { x: dtype } }).columns.get('x') as NDArray;
}
