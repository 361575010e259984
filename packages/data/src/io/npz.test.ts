import { arange, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { writeNpy } from './npy.js';
import { loadNpz, readNpz, writeNpz } from './npz.js';
import { expectFormatError, fromHex, fuzzReader } from './test-utils/helpers.js';
import { NPZ_DEFLATED_HEX, NPZ_STORED_HEX } from './test-utils/numpy-fixtures.js';
import { readZip, writeZip } from './zip.js';

describe('readNpz on archives NumPy wrote', () => {
  for (const [kind, hex] of [
    ['np.savez (stored, zip64 local headers)', NPZ_STORED_HEX],
    ['np.savez_compressed (deflated)', NPZ_DEFLATED_HEX],
  ] as const) {
    it(`reads ${kind}`, () => {
      const r = readNpz(fromHex(hex), { source: 'arrays.npz' });
      expect([...r.keys()].sort()).toEqual(['x', 'y']);
      expect(r.get('x')!.array.toNested()).toEqual([0, 1, 2, 3]);
      expect(r.get('y')!.descr).toBe('<i4');
      expect(r.get('y')!.array.toNested()).toEqual([
        [1, 2],
        [3, 4],
      ]);
    });
  }
});

describe('writeNpz', () => {
  const x = arange(5);
  const y = array([[true, false]]);

  it('round-trips stored and deflated archives', () => {
    for (const compress of [false, true]) {
      const back = loadNpz(writeNpz({ x, y }, { compress }));
      expect(back.get('x')!.toNested()).toEqual([0, 1, 2, 3, 4]);
      expect(back.get('y')!.toNested()).toEqual([[true, false]]);
    }
  });

  it('deflate shrinks redundant data, and entries hold NumPy-identical .npy bytes', () => {
    const z = array(new Array(4096).fill(1));
    expect(writeNpz({ z }, { compress: true }).length).toBeLessThan(writeNpz({ z }).length / 10);
    const entries = readZip(writeNpz(new Map([['x', x]])), 'test', 't');
    expect(entries.map((e) => e.name)).toEqual(['x.npy']);
  });

  it('rejects duplicate or empty names', () => {
    expect(() => writeNpz({ '': x })).toThrow(/unique and non-empty/);
  });
});

describe('readNpz rejects malformed archives', () => {
  const good = writeNpz({ x: arange(3), y: arange(2) });

  it('not a zip, truncated, corrupt CRC', () => {
    expectFormatError(() => readNpz(new Uint8Array(100)), /not a zip archive/);
    expectFormatError(() => readNpz(good.subarray(0, good.length - 5)), /truncated zip/);
    const flipped = good.slice();
    flipped[30 + 'x.npy'.length + 130] ^= 0xff; // a data byte of x.npy
    expectFormatError(() => readNpz(flipped), /CRC-32 mismatch in 'x\.npy'/);
  });

  it('central directory entries pointing outside the file or overlapping each other', () => {
    const end = good.length - 22;
    const view = new DataView(good.buffer);
    const cd = view.getUint32(end + 16, true);
    const outside = good.slice();
    new DataView(outside.buffer).setUint32(cd + 42, 1e9, true);
    expectFormatError(() => readNpz(outside), /runs past the end/);
    // both entries claim the first local header: a zip-bomb style overlap
    const overlap = good.slice();
    const second = cd + 46 + 'x.npy'.length;
    const ov = new DataView(overlap.buffer);
    ov.setUint32(second + 42, 0, true);
    ov.setUint32(second + 16, ov.getUint32(cd + 16, true), true); // same CRC
    ov.setUint32(second + 20, ov.getUint32(cd + 20, true), true);
    ov.setUint32(second + 24, ov.getUint32(cd + 24, true), true);
    expectFormatError(() => readNpz(overlap), /overlap/);
  });

  it('deflate sizes beyond the maximum ratio are refused before allocating', () => {
    const bomb = writeZip([{ name: 'a.npy', data: new Uint8Array(1000) }], true);
    const cd = new DataView(bomb.buffer).getUint32(bomb.length - 22 + 16, true);
    new DataView(bomb.buffer).setUint32(cd + 24, 0xfffffff0, true);
    expectFormatError(() => readNpz(bomb), /maximum ratio/);
  });

  it('survives fuzzing of random and mutated archives', () => {
    const samples = [
      fromHex(NPZ_STORED_HEX),
      fromHex(NPZ_DEFLATED_HEX),
      writeNpz({ a: arange(3) }, { compress: true }),
    ];
    fuzzReader((b) => readNpz(b), samples, { numRuns: 400, inner: true });
  });
});

describe('readNpz error offsets', () => {
  it('point into the archive for stored entries and into the inflated entry otherwise', () => {
    const stored = writeNpz({ x: arange(3) });
    const bad = stored.slice();
    bad[30 + 'x.npy'.length + 1] = 0x00; // second magic byte of x.npy
    // the CRC is checked first; recompute it so the npy reader sees the corruption
    const patched = writeZip([{ name: 'x.npy', data: bad.subarray(35, 35 + 152) }], false);
    const err = expectFormatError(() => readNpz(patched, { source: 'a.npz' }), /magic/, 36);
    expect(err.source).toBe('a.npz:x.npy');
    const deflated = writeZip([{ name: 'x.npy', data: bad.subarray(35, 35 + 152) }], true);
    const err2 = expectFormatError(() => readNpz(deflated, { source: 'a.npz' }), /magic/, 1);
    expect(err2.source).toBe('a.npz:x.npy (inflated)');
  });
});

/**
 * A stored-entry zip written with every zip64 structure (APPNOTE 4.3.14–4.3.15, 4.5.3): central directory
 * sizes and offsets set to 0xFFFFFFFF with the values in a zip64 extra field, and a zip64 end record with
 * its locator before an end record full of 0xFFFF markers — what archives over 4 GiB look like.
 */
function zip64Archive(entries: { name: string; data: Uint8Array }[]): Uint8Array {
  const parts: number[] = [];
  const u16 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number) => {
    u16(v & 0xffff);
    u16(v >>> 16);
  };
  const u64 = (v: number) => {
    u32(v % 2 ** 32);
    u32(Math.floor(v / 2 ** 32));
  };
  const offsets: number[] = [];
  const crcs = entries.map((e) => crcOf(e.data));
  entries.forEach((e, i) => {
    offsets.push(parts.length);
    u32(0x04034b50);
    u16(45);
    u16(0);
    u16(0);
    u16(0);
    u16(0x21);
    u32(crcs[i]!);
    u32(e.data.length);
    u32(e.data.length);
    u16(e.name.length);
    u16(0);
    parts.push(...Array.from(e.name, (c) => c.charCodeAt(0)), ...e.data);
  });
  const cdStart = parts.length;
  entries.forEach((e, i) => {
    u32(0x02014b50);
    u16(45);
    u16(45);
    u16(0);
    u16(0);
    u16(0);
    u16(0x21);
    u32(crcs[i]!);
    u32(0xffffffff);
    u32(0xffffffff);
    u16(e.name.length);
    u16(28); // zip64 extra: id, size, then usize, csize, offset
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    u32(0xffffffff);
    parts.push(...Array.from(e.name, (c) => c.charCodeAt(0)));
    u16(0x0001);
    u16(24);
    u64(e.data.length);
    u64(e.data.length);
    u64(offsets[i]!);
  });
  const cdSize = parts.length - cdStart;
  const end64 = parts.length;
  u32(0x06064b50);
  u64(44);
  u16(45);
  u16(45);
  u32(0);
  u32(0);
  u64(entries.length);
  u64(entries.length);
  u64(cdSize);
  u64(cdStart);
  u32(0x07064b50);
  u32(0);
  u64(end64);
  u32(1);
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(0xffff);
  u16(0xffff);
  u32(0xffffffff);
  u32(0xffffffff);
  u16(0);
  return Uint8Array.from(parts);
}

function crcOf(data: Uint8Array): number {
  const zip = writeZip([{ name: 'c', data }], false);
  return new DataView(zip.buffer).getUint32(14, true); // CRC field of the local header
}

describe('zip64 archives', () => {
  it('reads sizes and offsets from zip64 extra fields and the zip64 end record', () => {
    const x = writeNpy(arange(4));
    const y = writeNpy(array([[1, 2]], { dtype: 'int32' }));
    const archive = zip64Archive([
      { name: 'x.npy', data: x },
      { name: 'y.npy', data: y },
    ]);
    const back = loadNpz(archive);
    expect(back.get('x')!.toNested()).toEqual([0, 1, 2, 3]);
    expect(back.get('y')!.toNested()).toEqual([[1, 2]]);
    const brokenLocator = archive.slice();
    brokenLocator[archive.length - 22 - 20] ^= 0xff;
    expectFormatError(() => readNpz(brokenLocator), /zip64 locator missing/);
    fuzzReader((b) => readNpz(b), [archive], { numRuns: 200, inner: true });
  });
});
