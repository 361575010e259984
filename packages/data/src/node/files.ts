// Thin Node.js file helpers around the byte-level readers. `node:fs` is imported lazily inside each call,
// so browser bundles that never call these functions do not break.
import type { NDArray } from '@sciml/linalg';
import { type CsvTable, type ReadCsvOptions, readCsv } from '../io/csv.js';
import {
  type NpyData,
  type ReadNpyOptions,
  type WriteNpyOptions,
  readNpy,
  writeNpy,
} from '../io/npy.js';
import { type WriteNpzOptions, readNpz, writeNpz } from '../io/npz.js';
import type { ArrayTree } from '../io/pytree.js';
import {
  type ReadSafetensorsOptions,
  type SafetensorsData,
  type WriteSafetensorsOptions,
  readSafetensors,
  writeSafetensors,
} from '../io/safetensors.js';

async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path);
}

async function writeBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, bytes);
}

/** Reads a `.npy` file from disk (Node.js). @public */
export async function readNpyFile(path: string, options: ReadNpyOptions = {}): Promise<NpyData> {
  return readNpy(await readBytes(path), { source: path, ...options });
}

/** Writes an array to a `.npy` file (Node.js). @public */
export async function writeNpyFile(
  path: string,
  array: NDArray,
  options: WriteNpyOptions = {},
): Promise<void> {
  await writeBytes(path, writeNpy(array, options));
}

/** Reads a `.npz` archive from disk (Node.js). @public */
export async function readNpzFile(
  path: string,
  options: ReadNpyOptions = {},
): Promise<Map<string, NpyData>> {
  return readNpz(await readBytes(path), { source: path, ...options });
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
  return readSafetensors(await readBytes(path), { source: path, ...options });
}

/** Writes tensors (a map or a pytree) to a safetensors file (Node.js). @public */
export async function writeSafetensorsFile(
  path: string,
  tensors: ArrayTree | ReadonlyMap<string, NDArray>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  await writeBytes(path, writeSafetensors(tensors, options));
}

/** Reads a CSV (or, with `{ delimiter: '\t' }`, TSV) file (Node.js). @public */
export async function readCsvFile(path: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  return readCsv(await readBytes(path), { source: path, ...options });
}
