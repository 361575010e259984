import { array, full } from '@sciml/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unflattenTree } from './pytree.js';
import { loadSafetensors, readSafetensors, writeSafetensors } from './safetensors.js';
import { expectFormatError, fuzzReader } from './test-utils/helpers.js';

/** A file built by hand from the specification: u64 header length, JSON padded with spaces to 8 bytes, data. */
function specFile(json: string, data: number[]): Uint8Array {
  const header = new TextEncoder().encode(json);
  const padded = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded);
  out.set(data, 8 + padded);
  return out;
}

// safetensors.numpy.save({'weight': float32 [[1, 2], [3, 4]], 'bias': float16 [0.5]}, metadata={'format': 'np'})
const SPEC_JSON =
  '{"__metadata__":{"format":"np"},"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"bias":{"dtype":"F16","shape":[1],"data_offsets":[16,18]}}';
const SPEC_DATA = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0x00, 0x38];
const SPEC = specFile(SPEC_JSON, SPEC_DATA);

describe('readSafetensors', () => {
  it('reads a file written to the specification', () => {
    const { tensors, dtypes, metadata } = readSafetensors(SPEC, { source: 'model.safetensors' });
    expect(tensors.get('weight')!.toNested()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensors.get('bias')!.dtype).toBe('float32');
    expect(tensors.get('bias')!.toNested()).toEqual([0.5]);
    expect(dtypes.get('bias')).toBe('float16');
    expect(metadata.get('format')).toBe('np');
  });

  it('writes the same bytes as the reference writer for the same tensors', () => {
    const bytes = writeSafetensors(
      new Map([
        ['bias', array([0.5], { dtype: 'float32' })],
        [
          'weight',
          array(
            [
              [1, 2],
              [3, 4],
            ],
            { dtype: 'float32' },
          ),
        ],
      ]),
      { metadata: { format: 'np' }, dtype: (name) => (name === 'bias' ? 'float16' : 'float32') },
    );
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(SPEC).toString('hex'));
  });

  it('reads bfloat16, int64 and bool tensors exactly', () => {
    const file = specFile(
      '{"b":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]},"i":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"m":{"dtype":"BOOL","shape":[2],"data_offsets":[20,22]}}',
      [
        5, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x3f, 0x20,
        0xc1, 1, 0,
      ],
    );
    const t = loadSafetensors(file);
    expect(t.get('i')!.toNested()).toEqual([5, -3]);
    expect(t.get('b')!.toNested()).toEqual([1.5, -10]);
    expect(t.get('m')!.toNested()).toEqual([true, false]);
  });
});

describe('writeSafetensors', () => {
  it('round-trips a pytree through dotted names (PyTorch state_dict style)', () => {
    const tree = {
      encoder: { layers: [{ w: full([2, 3], 0.25), b: full([3], -1) }] },
      scale: array(2),
    };
    const back = readSafetensors(writeSafetensors(tree, { metadata: { format: 'pt' } }));
    expect([...back.tensors.keys()].sort()).toEqual([
      'encoder.layers.0.b',
      'encoder.layers.0.w',
      'scale',
    ]);
    const rebuilt = unflattenTree(back.tensors) as typeof tree;
    expect(rebuilt.encoder.layers[0]!.w.toNested()).toEqual(tree.encoder.layers[0]!.w.toNested());
    expect(rebuilt.scale.toNested()).toBe(2);
  });

  it('aligns data to 8 bytes and round-trips every dtype it can store', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 20 }),
        (xs) => {
          const bytes = writeSafetensors({
            f64: array(xs),
            f32: array(xs, { dtype: 'float32' }),
            i: array(xs.map(Math.round), { dtype: 'int32' }),
          });
          expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
          const t = loadSafetensors(bytes);
          expect(Array.from(t.get('f64')!.dataSync())).toEqual(xs);
          expect(Array.from(t.get('f32')!.dataSync())).toEqual(xs.map(Math.fround));
          expect(Array.from(t.get('i')!.dataSync())).toEqual(xs.map(Math.round).map((v) => v | 0));
        },
      ),
      { numRuns: 60, seed: 4 },
    );
  });
});

describe('readSafetensors rejects malformed files', () => {
  const entry = (offsets: string, shape = '[2]') =>
    `"t":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;

  it('header lengths beyond the buffer or the 100 MB limit', () => {
    const big = SPEC.slice();
    new DataView(big.buffer).setBigUint64(0, 10n ** 12n, true);
    expectFormatError(() => readSafetensors(big), /100 MB limit/, 0);
    const over = SPEC.slice();
    new DataView(over.buffer).setBigUint64(0, 5000n, true);
    expectFormatError(() => readSafetensors(over), /header claims 5000 bytes/, 0);
    expectFormatError(() => readSafetensors(SPEC.subarray(0, 4)), /8-byte header length/);
  });

  it('offsets outside the data, overlapping, with holes, or not matching the shape', () => {
    const data = new Array(8).fill(0);
    expectFormatError(
      () => readSafetensors(specFile(`{${entry('[0,16]')}}`, data)),
      /past the 8-byte data block/,
    );
    expectFormatError(
      () =>
        readSafetensors(
          specFile(
            `{${entry('[0,8]')},"u":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`,
            data,
          ),
        ),
      /overlaps/,
    );
    expectFormatError(() => readSafetensors(specFile(`{${entry('[4,8]', '[1]')}}`, data)), /hole/);
    expectFormatError(
      () => readSafetensors(specFile(`{${entry('[0,4]', '[1]')}}`, data)),
      /cover 4 data bytes/,
    );
    expectFormatError(
      () => readSafetensors(specFile(`{${entry('[0,8]', '[3]')}}`, data)),
      /needs more bytes|needs 12 bytes/,
    );
    expectFormatError(
      () =>
        readSafetensors(
          specFile(`{${entry('[0,8]', '[4294967296,4294967296,4294967296]')}}`, data),
        ),
      /needs more bytes/,
    );
    expectFormatError(() => readSafetensors(specFile(`{${entry('[8,0]')}}`, data)), /begin ≤ end/);
  });

  it('bad JSON, unknown dtypes, and prototype-polluting keys stay inert', () => {
    expectFormatError(() => readSafetensors(specFile('{"t":', [])), /not valid JSON/, 8);
    expectFormatError(() => readSafetensors(specFile('[1,2]', [])), /starting with '\{'/);
    expectFormatError(
      () =>
        readSafetensors(
          specFile('{"t":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', [0]),
        ),
      /F8_E4M3/,
    );
    expectFormatError(
      () =>
        readSafetensors(
          specFile('{"t":{"dtype":"toString","shape":[1],"data_offsets":[0,1]}}', [0]),
        ),
      /toString/,
    );
    const polluted = specFile(
      '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"__proto__":"x"}}',
      [0, 0, 0x80, 0x3f],
    );
    const r = readSafetensors(polluted);
    expect(r.tensors.get('__proto__')!.toNested()).toEqual([1]);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
    const tree = unflattenTree(r.tensors) as Record<string, unknown>;
    expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
    expect(Object.hasOwn(tree, '__proto__')).toBe(true);
  });

  it('survives fuzzing of random and mutated files', () => {
    const samples = [
      SPEC,
      writeSafetensors({ a: array([1, 2, 3]), b: array([[1]], { dtype: 'int32' }) }),
    ];
    fuzzReader((b) => readSafetensors(b), samples, { numRuns: 400 });
  });
});
