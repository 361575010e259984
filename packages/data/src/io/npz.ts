// NumPy .npz archives: a zip of .npy files, one per named array (numpy.savez / numpy.savez_compressed).
import { type NDArray, ValueError } from '@sciml/linalg';
import { DataFormatError, UNNAMED_SOURCE } from '../errors.js';
import { type SizeLimitOptions, checkMaxBytes, fail } from './bounds.js';
import {
  type NpyData,
  type ReadNpyOptions,
  type WriteNpyOptions,
  readNpy,
  writeNpy,
} from './npy.js';
import { type ZipEntry, readZip, writeZip } from './zip.js';

/**
 * Options of {@link readNpz}: those of `readNpy`, and `maxBytes`, the most bytes its deflated entries may
 * inflate to in total (default 256 MiB; checked before anything is inflated).
 * @public
 */
export interface ReadNpzOptions extends ReadNpyOptions, SizeLimitOptions {}

/**
 * Reads every array of a `.npz` archive (stored or deflated entries), keyed by name without `.npy`.
 * @example `const x = readNpz(bytes).get('x')!.array;`
 * @public
 */
export function readNpz(bytes: Uint8Array, options: ReadNpzOptions = {}): Map<string, NpyData> {
  const source = options.source ?? UNNAMED_SOURCE;
  const maxBytes = checkMaxBytes('readNpz', options.maxBytes);
  const out = new Map<string, NpyData>();
  for (const entry of readZip(bytes, 'readNpz', source, maxBytes)) {
    if (entry.name.endsWith('/')) continue; // directory entries carry no data
    const key = entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name;
    if (out.has(key)) fail({ op: 'readNpz', source, offset: 0 }, `two entries are named '${key}'`);
    out.set(key, readEntry(entry, source, options));
  }
  return out;
}

// Errors in a stored entry carry archive offsets; in a deflated one, offsets into the inflated entry.
function readEntry(entry: ZipEntry, source: string, options: ReadNpyOptions): NpyData {
  const label = `${source}:${entry.name}`;
  if (entry.storedAt === undefined)
    return readNpy(entry.data, { ...options, source: `${label} (inflated)` });
  try {
    return readNpy(entry.data, { ...options, source: label });
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw e;
    throw new DataFormatError('readNpz', {
      source: label,
      offset: entry.storedAt + e.offset,
      problem: e.problem,
    });
  }
}

/** Reads a `.npz` archive and returns its arrays by name. @public */
export function loadNpz(bytes: Uint8Array, options: ReadNpzOptions = {}): Map<string, NDArray> {
  return new Map([...readNpz(bytes, options)].map(([k, v]) => [k, v.array]));
}

/**
 * Options of {@link writeNpz}.
 * @public
 */
export interface WriteNpzOptions extends Omit<WriteNpyOptions, 'dtype'> {
  /** Deflate every entry, like `numpy.savez_compressed` (default false, like `numpy.savez`). */
  compress?: boolean;
}

/**
 * Writes named arrays as a `.npz` archive that `numpy.load` opens (`np.load(f)['x']`).
 * @example `writeNpz({ x, y }, { compress: true })`
 * @public
 */
export function writeNpz(
  arrays: Readonly<Record<string, NDArray>> | ReadonlyMap<string, NDArray>,
  options: WriteNpzOptions = {},
): Uint8Array {
  const items = arrays instanceof Map ? [...arrays] : Object.entries(arrays);
  const names = new Set<string>();
  const entries = items.map(([name, a]) => {
    if (name.length === 0 || names.has(name))
      throw new ValueError('writeNpz', `array names must be unique and non-empty, got '${name}'`);
    names.add(name);
    const { version } = options;
    return { name: `${name}.npy`, data: writeNpy(a, version === undefined ? {} : { version }) };
  });
  return writeZip(entries, options.compress ?? false);
}
