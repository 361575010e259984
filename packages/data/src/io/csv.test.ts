import { array } from '@sciml/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv, readTsv, tableToArray, writeCsv } from './csv.js';
import { readJsonArray, writeJsonArray } from './json.js';
import { DataFormatError } from '../errors.js';
import { expectFormatError } from './test-utils/helpers.js';

describe('readCsv', () => {
  it('types columns: numbers as float64, text as strings, NaN for missing values', () => {
    const t = readCsv('time,u,label\n0,1.5,a\n0.5,NA,"b, c"\n1,-2e-3,"say ""hi"""\n');
    expect(t.names).toEqual(['time', 'u', 'label']);
    expect(t.rows).toBe(3);
    expect((t.columns.get('time') as ReturnType<typeof array>).toNested()).toEqual([0, 0.5, 1]);
    expect((t.columns.get('u') as ReturnType<typeof array>).toNested()).toEqual([
      1.5,
      Number.NaN,
      -0.002,
    ]);
    expect(t.columns.get('label')).toEqual(['a', 'b, c', 'say "hi"']);
    expect(tableToArray(t).shape).toEqual([3, 2]);
    expect(tableToArray(t, ['u', 'time']).toNested()).toEqual([
      [1.5, 0],
      [Number.NaN, 0.5],
      [-0.002, 1],
    ]);
  });

  it('honours explicit int32 and bool types, CRLF line ends, a BOM and TSV', () => {
    const t = readCsv('\ufeffk,ok\r\n3,true\r\n-4,0\r\n', { types: { k: 'int32', ok: 'bool' } });
    expect((t.columns.get('k') as ReturnType<typeof array>).dtype).toBe('int32');
    expect((t.columns.get('ok') as ReturnType<typeof array>).toNested()).toEqual([true, false]);
    const tsv = readTsv('a\tb\n1\t2\n');
    expect(tableToArray(tsv).toNested()).toEqual([[1, 2]]);
    const noHeader = readCsv('1,2\n3,4', { header: false });
    expect(noHeader.names).toEqual(['0', '1']);
  });

  it('missing values are an error on request, with the offset of the field', () => {
    expectFormatError(
      () => readCsv('x,y\n1,2\n3,\n', { missing: 'error', source: 'd.csv' }),
      /missing value in column 'y' \(row 2\)/,
      10,
    );
    expectFormatError(
      () => readCsv('k\n1\nNA\n', { types: { k: 'int32' } }),
      /int32 columns cannot hold NaN/,
    );
  });

  it('malformed rows and quotes are DataFormatErrors', () => {
    expectFormatError(() => readCsv('a,b\n1,2,3\n'), /row has 3 fields, the header has 2/, 4);
    expectFormatError(() => readCsv('a,b\n"1,2\n'), /never closed/, 4);
    expectFormatError(() => readCsv('a,b\n1"x,2\n'), /quote inside an unquoted field/, 5);
    expectFormatError(() => readCsv('a,b\n"1"x,2\n'), /after a closing quote/, 7);
    expectFormatError(() => readCsv('a,a\n1,2\n'), /duplicate column names/);
    expectFormatError(() => readCsv('k\n1.5\n', { types: { k: 'int32' } }), /not a 32-bit integer/);
  });

  it('round-trips tables and matrices through writeCsv (shortest exact number text)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()), {
          minLength: 1,
          maxLength: 10,
        }),
        (rows) => {
          const text = writeCsv({
            x: array(rows.map((r) => r[0])),
            s: rows.map((r) => `#${r[1]}`),
          });
          const t = readCsv(text, { types: { s: 'string' } });
          expect(Array.from((t.columns.get('x') as ReturnType<typeof array>).dataSync())).toEqual(
            rows.map((r) => r[0]),
          );
          expect(t.columns.get('s')).toEqual(rows.map((r) => `#${r[1]}`));
        },
      ),
      { numRuns: 100, seed: 5 },
    );
    const m = array([
      [1, Number.NaN],
      [3, 4],
    ]);
    expect(writeCsv(m, { names: ['a', 'b'] })).toBe('a,b\n1,\n3,4\n');
    expect(tableToArray(readCsv(writeCsv(m))).toNested()).toEqual(m.toNested());
    expect(() => writeCsv({ m })).toThrow(/must be 1-D/);
  });
});

describe('JSON arrays', () => {
  it('read rectangular nested arrays, null as NaN, booleans as bool', () => {
    expect(readJsonArray('[[1, 2], [3, null]]').toNested()).toEqual([
      [1, 2],
      [3, Number.NaN],
    ]);
    expect(readJsonArray('[true, false]').dtype).toBe('bool');
    expect(readJsonArray('7').toNested()).toBe(7);
    expect(readJsonArray('[[1, 2]]', { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('reject ragged, non-numeric and invalid input', () => {
    expectFormatError(() => readJsonArray('[[1, 2], [3]]'), /ragged array at \[1\]/);
    expectFormatError(() => readJsonArray('[1, "2"]'), /string, not a number/);
    expectFormatError(() => readJsonArray('[1, {"__proto__": 1}]'), /object, not a number/);
    expectFormatError(() => readJsonArray('[1, 2'), /invalid JSON/);
    expectFormatError(() => readJsonArray('[null]', { missing: 'error' }), /null at flat index 0/);
  });

  it('write nested arrays; NaN becomes null and infinity is refused', () => {
    expect(writeJsonArray(array([[1, 2.5]]))).toBe('[[1,2.5]]');
    expect(writeJsonArray(array([Number.NaN]))).toBe('[null]');
    expect(() => writeJsonArray(array([Number.POSITIVE_INFINITY]))).toThrow(/infinity/);
  });
});

describe('text readers under fuzzing', () => {
  it('readCsv and readJsonArray give a result or a DataFormatError on arbitrary text', () => {
    const csvish = fc.stringMatching(/^[a-c0-9,"\n\r\t .eE+-]{0,60}$/);
    for (const arb of [fc.string({ maxLength: 60 }), csvish]) {
      fc.assert(
        fc.property(arb, (text) => {
          for (const read of [
            () => readCsv(text),
            () => readJsonArray(text),
            () => readCsv(text, { header: false, missing: 'error' }),
          ]) {
            try {
              read();
            } catch (e) {
              if (!(e instanceof DataFormatError)) throw e;
              expect(e.offset).toBeLessThanOrEqual(text.length);
            }
          }
        }),
        { numRuns: 300, seed: 8 },
      );
    }
  });
});
