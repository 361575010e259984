// Thin Node.js file helpers around the byte-level readers. `node:fs` is imported lazily inside each call,
// so browser bundles that never call these functions do not break.
import type { NDArray } from '@sciml/linalg';
import { type CsvTable, type ReadCsvOptions, readCsv } from '../io/csv.js';
import {
  type NpyData,
  type ReadNpyOptions,
  type WriteNpyOptions,
  npyParts,
  readNpy,
} from '../io/npy.js';
import { type ReadNpzOptions, type WriteNpzOptions, readNpz, writeNpz } from '../io/npz.js';
import type { ArrayTree } from '../io/pytree.js';
import {
  type ReadSafetensorsOptions,
  type SafetensorsData,
  type WriteSafetensorsOptions,
  readSafetensors,
  safetensorsParts,
} from '../io/safetensors.js';
import { nodeBuiltin } from './builtin.js';

async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await nodeBuiltin('node:fs/promises');
  return readFile(path);
}

async function writeBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  const { writeFile } = await nodeBuiltin('node:fs/promises');
  await writeFile(path, bytes);
}

// Writes parts in order without joining them, so array data goes from the array's memory to the file.
async function writeParts(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const { open } = await nodeBuiltin('node:fs/promises');
  const handle = await open(path, 'w');
  try {
    for (const part of parts) {
      let done = 0;
      while (done < part.length)
        done += (await handle.write(part, done, part.length - done)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/** Reads a `.npy` file from disk (Node.js). @public */
export async function readNpyFile(path: string, options: ReadNpyOptions = {}): Promise<NpyData> {
  // the buffer is ours alone, so the array may use it in place
  return readNpy(await readBytes(path), { source: path, copy: false, ...options });
}

/** Writes an array to a `.npy` file (Node.js). @public */
export async function writeNpyFile(
  path: string,
  array: NDArray,
  options: WriteNpyOptions = {},
): Promise<void> {
  await writeParts(path, npyParts(array, options));
}

/** Reads a `.npz` archive from disk (Node.js). @public */
export async function readNpzFile(
  path: string,
  options: ReadNpzOptions = {},
): Promise<Map<string, NpyData>> {
  return readNpz(await readBytes(path), { source: path, copy: false, ...options });
}

/** Writes named arrays to a `.npz` archive (Node.js). @public */
export async function writeNpzFile(
  path: string,
  arrays: Readonly<Record<string, NDArray>> | ReadonlyMap<string, NDArray>,
  options: WriteNpzOptions = {},
): Promise<void> {
  await writeBytes(path, writeNpz(arrays, options));
}

/** Reads a safetensors file from disk (Node.js). @public */
export async function readSafetensorsFile(
  path: string,
  options: ReadSafetensorsOptions = {},
): Promise<SafetensorsData> {
  return readSafetensors(await readBytes(path), { source: path, copy: false, ...options });
}

/** Writes tensors (a map or a pytree) to a safetensors file (Node.js). @public */
export async function writeSafetensorsFile(
  path: string,
  tensors: ArrayTree | ReadonlyMap<string, NDArray>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  await writeParts(path, safetensorsParts(tensors, options));
}

/** Reads a CSV (or, with `{ delimiter: '\t' }`, TSV) file (Node.js). @public */
export async function readCsvFile(path: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  return readCsv(await readBytes(path), { source: path, ...options });
}
