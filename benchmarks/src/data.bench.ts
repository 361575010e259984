/**
 * Reading and writing a 100 MB float32 array as `.npy` and safetensors with @sciml/data, against the raw
 * disk copy of the same bytes (`fs.readFile` / `fs.writeFile` of a buffer that needs no encoding) and,
 * for `.npy`, against npyjs. Run with `pnpm bench data`.
 *
 * The files live in the OS temp folder, so after the first read they come from the page cache: the
 * "disk" figures measure the kernel's copy into user memory, the strictest baseline for a reader.
 * The file helpers read into a buffer they own and wrap the data in place (`copy: false`: aligned
 * little-endian data becomes a typed-array view, as npyjs always does); `readNpy(bytes)` on a caller's
 * buffer copies by default, so it is compared with a plain memcpy, and with `{ copy: false }` against
 * npyjs's view. Writers send the header and the array's own memory without joining them. Both sides start
 * from the path (or bytes) and end with the array (or file).
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readNpy,
  readNpyFile,
  readSafetensorsFile,
  writeNpy,
  writeNpyFile,
  writeSafetensors,
  writeSafetensorsFile,
} from '@sciml/data';
import { fromTypedArray } from '@sciml/linalg';
import { dump as npyjsDump, parse as npyjsParse } from 'npyjs';
import { runBenchmark } from './harness/index.js';

const rows = 25_000;
const cols = 1_000; // 25e6 float32 = 100 MB
const values = new Float32Array(rows * cols);
let state = 7;
for (let i = 0; i < values.length; i++) {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  values[i] = state / 2 ** 32 - 0.5;
}
const array = fromTypedArray(values, [rows, cols]);
const npyBytes = writeNpy(array);
const stBytes = writeSafetensors({ weight: array });

const dir = mkdtempSync(join(tmpdir(), 'sciml-bench-data-'));
const npyPath = join(dir, 'x.npy');
const stPath = join(dir, 'x.safetensors');
const rawPath = join(dir, 'raw.bin');
const outPath = join(dir, 'out.bin');
writeFileSync(npyPath, npyBytes);
writeFileSync(stPath, stBytes);

/** An ArrayBuffer holding exactly the bytes of a Buffer (npyjs parses ArrayBuffers). */
function arrayBufferOf(b: Uint8Array): ArrayBuffer {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
    ? (b.buffer as ArrayBuffer)
    : (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

function sameValues(data: ArrayLike<number>, what: string): void {
  if (data.length !== values.length)
    throw new Error(`${what}: ${data.length} values, expected ${values.length}`);
  for (let i = 0; i < values.length; i += 9973) {
    if (data[i] !== values[i]) throw new Error(`${what}: value ${i} differs`);
  }
}

const rawRead = { name: 'raw disk read (fs.readFile)', run: () => readFile(npyPath) };

try {
  await runBenchmark({
    name: 'data',
    reps: 9,
    cases: [
      {
        case: '.npy read 100 MB float32 (file → NDArray)',
        work: npyBytes.length,
        unit: 'GB/s',
        ours: async () => (await readNpyFile(npyPath)).array,
        peers: [
          rawRead,
          {
            name: 'npyjs parse(readFile)',
            run: async () => npyjsParse(arrayBufferOf(await readFile(npyPath))),
          },
        ],
        verify: (ours, peer, peerName) => {
          sameValues((ours as typeof array).dataSync(), 'ours');
          if (peerName.startsWith('npyjs'))
            sameValues((peer as { data: Float32Array }).data, peerName);
        },
      },
      {
        case: '.npy parse 100 MB float32 in memory (copy)',
        work: npyBytes.length,
        unit: 'GB/s',
        ours: () => readNpy(npyBytes).array,
        peers: [{ name: 'memcpy (Uint8Array.slice)', run: () => npyBytes.slice() }],
      },
      {
        case: '.npy parse 100 MB float32 in memory (view, copy: false)',
        work: npyBytes.length,
        unit: 'GB/s',
        ours: () => readNpy(npyBytes, { copy: false }).array,
        peers: [{ name: 'npyjs parse (view)', run: () => npyjsParse(arrayBufferOf(npyBytes)) }],
      },
      {
        case: '.npy write 100 MB float32 (NDArray → file)',
        work: npyBytes.length,
        unit: 'GB/s',
        ours: () => writeNpyFile(outPath, array),
        peers: [
          { name: 'raw disk write (fs.writeFile)', run: () => writeFile(rawPath, npyBytes) },
          {
            name: 'npyjs dump + writeFile',
            run: () => writeFile(rawPath, new Uint8Array(npyjsDump(values, [rows, cols]))),
          },
        ],
      },
      {
        case: 'safetensors read 100 MB float32 (file → NDArray)',
        work: stBytes.length,
        unit: 'GB/s',
        ours: async () => (await readSafetensorsFile(stPath)).tensors.get('weight')!,
        peers: [{ name: 'raw disk read (fs.readFile)', run: () => readFile(stPath) }],
        verify: (ours) => sameValues((ours as typeof array).dataSync(), 'ours'),
      },
      {
        case: 'safetensors write 100 MB float32 (NDArray → file)',
        work: stBytes.length,
        unit: 'GB/s',
        ours: () => writeSafetensorsFile(outPath, { weight: array }),
        peers: [{ name: 'raw disk write (fs.writeFile)', run: () => writeFile(rawPath, stBytes) }],
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
