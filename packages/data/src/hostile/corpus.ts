// The hostile-input corpus of @sciml/data (issue 26): one list of cases per reader, each generated into a
// directory (nothing large is stored in the repository), read by `run-case.ts` in a child process under a
// memory and time bound. `before` records what the reader did before the fix.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  gzippedZeros,
  hardLinkCycle,
  hardLinkDiamond,
  smallFile,
  unallocatedChunks,
} from './hdf5-files.js';
import { entryCountLie, manyDeflatedEntries, overlappingRecords, ratioLie } from './zip-bombs.js';

/** Which reader a case attacks; `run-case.ts` calls that reader on the file. */
export type HostileReader = 'npy' | 'npz' | 'safetensors' | 'hdf5' | 'csv' | 'json';

/** One hostile input and what a hardened reader must do with it. */
export interface HostileCase {
  reader: HostileReader;
  name: string;
  /** What happened before the fix (issue 26). */
  before: string;
  /** Writes the input into `dir` and returns its path. */
  make(dir: string): Promise<string>;
  /** Options passed to the reader (JSON). */
  options?: Record<string, unknown>;
  /** The error's message must match this, or 'ok' when the read must succeed (then `check` runs). */
  expect: RegExp | 'ok';
}

const bytes = (name: string, data: () => Uint8Array | Promise<Uint8Array> | string) => {
  return async (dir: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, await data());
    return path;
  };
};

/** A version-1.0 .npy file with `header` (padded as NumPy pads it) and no data. */
function npyWithHeader(header: string): Uint8Array {
  const text = `${header}${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + text.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(new TextEncoder().encode(text), 10);
  return out;
}

/** A safetensors file with the JSON `header` and `dataBytes` zero bytes of data. */
function safetensorsWithHeader(header: string, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  return out;
}

/** Every hostile case, by reader. */
export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    reader: 'npy',
    name: 'npy-shape-overflow',
    before: 'rejected (kept as a regression case): a header claiming 2^40 × 2^40 elements',
    make: bytes('huge.npy', () =>
      npyWithHeader(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
      ),
    ),
    expect: /needs more bytes than the \d+ available/,
  },
  {
    reader: 'npy',
    name: 'npy-code-in-header',
    before: 'rejected (kept as a regression case): a header that is code, not a literal',
    make: bytes('code.npy', () =>
      npyWithHeader("{'descr': __import__('os').system('echo pwned'), 'shape': (1,), }"),
    ),
    expect: /.+/,
  },
  {
    reader: 'safetensors',
    name: 'safetensors-header-length-lie',
    before: 'rejected (kept as a regression case): an 8-byte header length of 2^53',
    make: bytes('length.safetensors', () => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(4, 0x200000, true);
      return b;
    }),
    expect: /64-bit size 2097152 · 2\^32 \+ 0 is larger than any buffer/,
  },
  {
    reader: 'safetensors',
    name: 'safetensors-overlapping-tensors',
    before: 'rejected (kept as a regression case): two tensors claiming the same bytes',
    make: bytes('overlap.safetensors', () =>
      safetensorsWithHeader(
        '{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}',
        16,
      ),
    ),
    expect: /overlaps the previous tensor/,
  },
  {
    reader: 'npz',
    name: 'npz-overlapping-records',
    before:
      '64 records on one 32 MiB deflated entry: inflated each (GBs of memory) before the overlap check',
    make: bytes('overlap.npz', () => overlappingRecords(64, 32)),
    expect: /overlap/,
  },
  {
    reader: 'npz',
    name: 'npz-declared-over-maxBytes',
    before: 'no total limit: inflated whatever the entries declared',
    make: bytes('many.npz', () => manyDeflatedEntries(8, 4)),
    options: { maxBytes: 2 ** 20 },
    expect:
      /more than maxBytes = 1048576 bytes \(1\.0 MiB\); if you trust the file, pass \{ maxBytes: 4194304 \}/,
  },
  {
    reader: 'npz',
    name: 'npz-entry-count-lie',
    before: 'rejected (kept as a regression case)',
    make: bytes('count.npz', entryCountLie),
    expect: /entries cannot fit/,
  },
  {
    reader: 'npz',
    name: 'npz-deflate-ratio-lie',
    before: 'rejected (kept as a regression case)',
    make: bytes('ratio.npz', ratioLie),
    expect: /maximum ratio/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-hard-link-cycle',
    before: 'walked /g/loop/g/loop/… forever at 100 % CPU',
    make: hardLinkCycle,
    expect: 'ok',
  },
  {
    reader: 'hdf5',
    name: 'hdf5-hard-link-diamond',
    before: '2^40 paths through 40 groups linking twice to the next: never finished',
    make: (dir) => hardLinkDiamond(dir, 40),
    expect: 'ok',
  },
  {
    reader: 'hdf5',
    name: 'hdf5-unallocated-chunks',
    before:
      'a 2^26-element chunked dataset with no chunk written became a 512 MiB array (1.7 GB peak)',
    make: (dir) => unallocatedChunks(dir, 2 ** 26),
    expect:
      /dataset '\/u' brings the declared data to 536870912 bytes \(512\.0 MiB\), more than maxBytes = 268435456 bytes/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-gzipped-zeros',
    before: '256 MiB of gzipped zeros in a small file peaked at 897 MB',
    make: (dir) => gzippedZeros(dir, 2 ** 25 + 2 ** 20),
    expect:
      /more than maxBytes = 268435456 bytes \(256\.0 MiB\); if you trust the file, pass \{ maxBytes: 276824064 \}/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-truncated',
    before: '"HDF5 library error (error - name not defined!)" at byte 0',
    make: async (dir) => {
      const full = await smallFile(dir);
      return bytes('truncated.h5', () => full.subarray(0, full.length >> 1))(dir);
    },
    expect: /truncated at byte \d+: the superblock says the file has \d+ bytes/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-bad-superblock-version',
    before: '"HDF5 library error" with a diagnostic stack on stderr',
    make: async (dir) => {
      const b = (await smallFile(dir)).slice();
      b[8] = 9;
      return bytes('bad-version.h5', () => b)(dir);
    },
    expect: /bad superblock: version 9/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-superblock-checksum',
    before:
      '"HDF5 library error" (a flipped bit in the root group address of a version-3 superblock)',
    make: async (dir) => {
      const b = (await smallFile(dir, 'latest')).slice();
      b[12 + 3 * 8] ^= 0x10; // the root group object header address
      return bytes('bad-checksum.h5', () => b)(dir);
    },
    expect: /bad superblock: its checksum is 0x[0-9a-f]+ but its bytes give 0x[0-9a-f]+/,
  },
  {
    reader: 'hdf5',
    name: 'hdf5-corrupt-object-header',
    before: '"HDF5 library error (error - name not defined!)" at byte 0',
    make: async (dir) => {
      const b = (await smallFile(dir)).slice();
      b.fill(0xa5, 96, b.length >> 1); // everything after the superblock up to the data
      return bytes('corrupt-header.h5', () => b)(dir);
    },
    expect: /corrupt or unsupported HDF5 structure while .* '\/'/,
  },
  {
    reader: 'csv',
    name: 'csv-prototype-column-names',
    before:
      "readCsv('constructor,b…', {types: {b: 'float64'}}) read `constructor` as bool bytes [44, 255]",
    make: bytes('proto.csv', () => 'constructor,__proto__,toString,b\n300,1,2,1\n-1,3,4,2\n'),
    options: { types: { b: 'float64' } },
    expect: 'ok',
  },
  {
    reader: 'json',
    name: 'json-int32-out-of-range',
    before: "readJsonArray('[null,1.7,3000000000]', {dtype:'int32'}) gave [0, 1, −1294967296]",
    make: bytes('int.json', () => '[1,1.7,3000000000]'),
    options: { dtype: 'int32' },
    expect: /element 1: 1\.7 is not a 32-bit integer/,
  },
  {
    reader: 'json',
    name: 'json-bool-bytes',
    before: "dtype 'bool' stored [5, 0.5, −1] as raw bytes 5, 0, 255",
    make: bytes('bool.json', () => '[5, 0.5, -1]'),
    options: { dtype: 'bool' },
    expect: /element 0: 5 is not a bool/,
  },
  {
    reader: 'json',
    name: 'json-deep-nesting',
    before: 'rejected (kept as a regression case)',
    make: bytes('deep.json', () => `${'['.repeat(100000)}${']'.repeat(100000)}`),
    expect: /nested deeper than 64/,
  },
];
