import { array, arange, fromTypedArray } from '@sciml/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { loadNpy, readNpy, writeNpy } from './npy.js';
import { fromHex, expectFormatError, fuzzReader, numbersOf } from './test-utils/helpers.js';
import { NPY_FIXTURES } from './test-utils/numpy-fixtures.js';

const fixture = (name: string) => fromHex(NPY_FIXTURES[name]!.hex);

describe('readNpy on files NumPy wrote', () => {
  for (const [name, f] of Object.entries(NPY_FIXTURES)) {
    if (name === 'i8_too_big') continue;
    it(`reads ${name} (${f.descr}) with NumPy's shape and values`, () => {
      const r = readNpy(fromHex(f.hex), { source: `${name}.npy` });
      expect(r.descr).toBe(f.descr);
      expect(r.fortranOrder).toBe(f.fortran);
      expect(r.array.shape).toEqual(f.shape);
      expect(r.array.toNested()).toEqual(numbersOf(f.values));
    });
  }

  it('maps file dtypes to NDArray dtypes exactly', () => {
    const stored = (name: string) => readNpy(fixture(name)).array.dtype;
    expect([stored('f8_arange3'), stored('f4_2x3'), stored('f2'), stored('b1')]).toEqual([
      'float64',
      'float32',
      'float32',
      'bool',
    ]);
    expect([stored('i1'), stored('u1'), stored('i2_big_endian'), stored('u2')]).toEqual([
      'int32',
      'int32',
      'int32',
      'int32',
    ]);
    expect([stored('u4'), stored('i8'), stored('u8')]).toEqual(['float64', 'float64', 'float64']);
    expect(readNpy(fixture('i8')).dtype).toBe('int64');
    const labels = writeNpy(array([3, -1, 7]), { dtype: 'int64' });
    expect(readNpy(labels, { wideIntegers: 'int32' }).array.dtype).toBe('int32');
    expect(readNpy(labels, { wideIntegers: 'int32' }).array.toNested()).toEqual([3, -1, 7]);
  });

  it('refuses int64 values beyond 2^53 unless lossy, and int32 targets that overflow', () => {
    const err = expectFormatError(
      () => readNpy(fixture('i8_too_big'), { source: 'big.npy' }),
      /2\^53/,
    );
    expect(err.offset).toBe(128);
    expect(err.message).toContain('big.npy');
    expect(readNpy(fixture('i8_too_big'), { lossy: true }).array.toNested()).toEqual([2 ** 60]);
    expectFormatError(
      () => readNpy(fixture('u4'), { wideIntegers: 'int32' }),
      /does not fit in int32/,
      132,
    );
    expectFormatError(
      () => readNpy(fixture('i8'), { wideIntegers: 'int32' }),
      /does not fit in int32/,
      128,
    );
  });

  it('loadNpy returns the array alone', () => {
    expect(loadNpy(fixture('f8_arange3')).toNested()).toEqual([0, 1, 2]);
  });
});

describe('writeNpy writes the bytes NumPy writes', () => {
  const same = (name: string, bytes: Uint8Array) =>
    expect(Buffer.from(bytes).toString('hex')).toBe(NPY_FIXTURES[name]!.hex);

  it('for float64, float32, bool, scalar and empty arrays in their own dtype', () => {
    for (const name of ['f8_arange3', 'f4_2x3', 'b1', 'i4_scalar', 'f8_empty_0x3'])
      same(name, writeNpy(loadNpy(fixture(name))));
  });

  it('for other file dtypes through { dtype }', () => {
    same('i8', writeNpy(loadNpy(fixture('i8')), { dtype: 'int64' }));
    same('u8', writeNpy(loadNpy(fixture('u8')), { dtype: 'uint64' }));
    same('i1', writeNpy(loadNpy(fixture('i1')), { dtype: 'int8' }));
    same('u1', writeNpy(loadNpy(fixture('u1')), { dtype: 'uint8' }));
    same('u2', writeNpy(loadNpy(fixture('u2')), { dtype: 'uint16' }));
    same('u4', writeNpy(loadNpy(fixture('u4')), { dtype: 'uint32' }));
    same('f2', writeNpy(loadNpy(fixture('f2')), { dtype: 'float16' }));
  });

  it('for format versions 2.0 and 3.0', () => {
    same('f8_v2', writeNpy(arange(4), { version: 2 }));
    same('f4_v3', writeNpy(array([1, 2], { dtype: 'float32' }), { version: 3 }));
  });

  it('rejects values an integer file dtype cannot hold', () => {
    expect(() => writeNpy(array([1.5]), { dtype: 'int32' })).toThrow(
      /cannot be stored exactly as int32/,
    );
    expect(() => writeNpy(array([300]), { dtype: 'uint8' })).toThrow(/uint8/);
    expect(() => writeNpy(array([1]), { dtype: 'bfloat16' })).toThrow(/NumPy has no bfloat16/);
  });

  it('round-trips random arrays of every dtype and shape', () => {
    const dtypes = ['float64', 'float32', 'int32', 'bool'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...dtypes),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
        fc.integer(),
        (dtype, shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, (_, i) =>
            dtype === 'bool'
              ? (seed + i) & 1
              : ((seed * (i + 1)) % 1000) / (dtype === 'int32' ? 1 : 7),
          );
          const a = array(values, { dtype, shape });
          const back = readNpy(writeNpy(a)).array;
          expect(back.dtype).toBe(dtype);
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.dataSync())).toEqual(Array.from(a.dataSync()));
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe('readNpy rejects malformed input with the offset of the problem', () => {
  const valid = fixture('f4_2x3');

  it('wrong magic, version, truncated header and data', () => {
    const bad = valid.slice();
    bad[1] = 0x4f;
    expectFormatError(() => readNpy(bad, { source: 'x.npy' }), /magic/, 1);
    const v9 = valid.slice();
    v9[6] = 9;
    expectFormatError(() => readNpy(v9), /version 9\.0/, 6);
    expectFormatError(
      () => readNpy(valid.subarray(0, 50)),
      /header claims 118 bytes but only 40 follow/,
      8,
    );
    expectFormatError(
      () => readNpy(valid.subarray(0, valid.length - 1)),
      /needs more bytes than the 23 available/,
      128,
    );
    expectFormatError(() => readNpy(valid.subarray(0, 5)), /shorter than a \.npy preamble/);
  });

  it('trailing bytes, shapes whose product overflows, and unsupported dtypes', () => {
    const longer = new Uint8Array(valid.length + 3);
    longer.set(valid);
    expectFormatError(() => readNpy(longer), /but 27 follow the header/, 152);
    const header = (dict: string) => {
      const text = dict.padEnd(117, ' ');
      const b = new Uint8Array(128);
      b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
      b.set(
        Uint8Array.from(`${text}\n`, (c) => c.charCodeAt(0)),
        10,
      );
      return b;
    };
    expectFormatError(
      () =>
        readNpy(
          header(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
          ),
        ),
      /needs more bytes/,
      128,
    );
    expectFormatError(
      () =>
        readNpy(
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }"),
        ),
      /too large/,
    );
    expectFormatError(
      () => readNpy(header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }")),
      /non-negative/,
    );
    expectFormatError(
      () => readNpy(header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")),
      /pickles/,
    );
    expectFormatError(
      () => readNpy(header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }")),
      /structured/,
    );
    expectFormatError(
      () => readNpy(header("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }")),
      /unsupported dtype/,
    );
    expectFormatError(
      () =>
        readNpy(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), '__proto__': 1}")),
      /keys must be exactly/,
    );
    expectFormatError(
      () => readNpy(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ")),
      /malformed header/,
    );
    expectFormatError(
      () => readNpy(header("__import__('os').system('echo hi')")),
      /malformed header/,
      10,
    );
  });

  it('refuses headers longer than maxHeaderBytes', () => {
    const v2 = fixture('f8_v2');
    expectFormatError(() => readNpy(v2, { maxHeaderBytes: 64 }), /maxHeaderBytes/, 8);
  });

  it('survives fuzzing: random and mutated inputs give a result or a DataFormatError', () => {
    const samples = [
      'f8_arange3',
      'f4_2x3_fortran',
      'i2_big_endian',
      'i8',
      'f2',
      'b1',
      'f8_v2',
      'f4_v3',
    ].map(fixture);
    fuzzReader((b) => readNpy(b), samples);
  });

  it('errors are DataFormatErrors that name op, source and offset', () => {
    const err = expectFormatError(() => readNpy(new Uint8Array(20), { source: 'weights.npy' }));
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.op).toBe('readNpy');
    expect(err.message).toBe(
      'readNpy: weights.npy at byte 0: not a .npy file: the magic string \\x93NUMPY is missing',
    );
  });

  it('keeps the input buffer untouched and the result independent of it', () => {
    const bytes = fixture('f8_arange3');
    const copy = bytes.slice();
    const a = readNpy(bytes).array;
    bytes.fill(0);
    expect(a.toNested()).toEqual([0, 1, 2]);
    expect(fromTypedArray(copy).size).toBe(copy.length);
  });
});

describe('zero-copy options', () => {
  it('copy: false returns a view of aligned little-endian data; the default copies', () => {
    const bytes = writeNpy(array([1, 2, 3]));
    const view = readNpy(bytes, { copy: false }).array;
    const copied = readNpy(bytes).array;
    expect((view.dataSync() as Float64Array).buffer).toBe(bytes.buffer);
    bytes[128] = 0xff; // mutate the first element's low byte
    expect(view.toNested()).not.toEqual([1, 2, 3]);
    expect(copied.toNested()).toEqual([1, 2, 3]);
    // big-endian or misaligned data is still copied
    const be = fixture('f8_big_endian_2x2');
    expect((readNpy(be, { copy: false }).array.dataSync() as Float64Array).buffer).not.toBe(
      be.buffer,
    );
  });

  it('npyParts hands out the array memory itself and joins to writeNpy', async () => {
    const { npyParts } = await import('./npy.js');
    const a = array([[1, 2]], { dtype: 'float32' });
    const [header, data] = npyParts(a);
    expect(data.buffer).toBe(a.dataSync().buffer);
    expect([...header, ...data]).toEqual([...writeNpy(a)]);
  });
});
