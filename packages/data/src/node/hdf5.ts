// HDF5 reading through h5wasm (the HDF5 C library compiled to WebAssembly; an optional peer dependency,
// imported lazily, Node.js only). Numeric datasets become NDArrays with the same exact conversions as the
// other readers; attributes come back as numbers, strings or arrays.
import { type NDArray, SciMLError, ValueError, fromTypedArray } from '@sciml/linalg';
import { DataFormatError } from '../errors.js';
import { type SizeLimitOptions, checkDeclaredBytes, checkMaxBytes } from '../io/bounds.js';
import { type DecodeOptions, type FileDType, decodeElements } from '../io/dtypes.js';
import { nodeBuiltin } from './builtin.js';
import { type Probe, checkSuperblock } from './hdf5-superblock.js';

/**
 * An attribute value: scalars as numbers/strings/booleans, numeric arrays as NDArray.
 * @public
 */
export type Hdf5Attribute = number | bigint | string | boolean | NDArray | readonly unknown[];

/**
 * What {@link readHdf5} found in a file.
 * @public
 */
export interface Hdf5Data {
  /** Numeric datasets by absolute path (e.g. `'/fields/u'`). */
  datasets: Map<string, NDArray>;
  /** The element type each dataset had in the file. */
  dtypes: Map<string, FileDType>;
  /** Attributes by object path (`'/'` for the root group), then by name. */
  attributes: Map<string, Map<string, Hdf5Attribute>>;
  /**
   * Datasets that were not read (strings, compound types, ...) and hard links to groups already read (a
   * second path to a group, or a cycle back to an ancestor), with the reason.
   */
  skipped: Map<string, string>;
}

/**
 * Options of {@link readHdf5}.
 * @public
 */
export interface ReadHdf5Options extends DecodeOptions, SizeLimitOptions {
  /** Read only these dataset paths (default: every numeric dataset). */
  datasets?: readonly string[];
}

interface H5Entity {
  type: string;
  /** The object's size facts (datasets): element count and bytes per element. */
  readonly metadata?: { total_size: number; size: number };
  /** An object reference: its bytes identify the object whatever path reached it. */
  create_reference?(): { ref_data: Uint8Array };
  keys?(): string[];
  get?(name: string): H5Entity | null;
  readonly value?: unknown;
  readonly shape?: number[] | null;
  readonly attrs: Record<
    string,
    {
      readonly value: unknown;
      readonly shape: number[] | null;
      readonly metadata?: { total_size: number; size: number };
    }
  >;
}

interface H5File extends H5Entity {
  close(): unknown;
}

interface H5Module {
  ready: Promise<{ FS?: H5FS; activate_throwing_error_handler?: () => number }>;
  File: new (path: string, mode: string) => H5File;
}

interface H5FS {
  writeFile(path: string, data: Uint8Array): void;
  unlink(path: string): void;
}

// h5wasm ships two builds: `h5wasm/node` opens real files (Node.js, read lazily), `h5wasm` keeps files in an
// in-memory file system and carries its wasm inline (browsers, and Node for bytes).
async function loadH5wasm(build: 'h5wasm' | 'h5wasm/node'): Promise<H5Module> {
  try {
    // a variable specifier: bundlers leave it alone, so builds without h5wasm never try to resolve it
    const specifier: string = build;
    const mod = (await import(/* @vite-ignore */ specifier)) as { default?: H5Module } & H5Module;
    return mod.default ?? mod;
  } catch (e) {
    throw new ValueError(
      'readHdf5',
      `needs the optional peer dependency h5wasm (npm install h5wasm): ${(e as Error).message}`,
    );
  }
}

const TYPED: [new (...args: never[]) => ArrayBufferView, FileDType][] = [
  [Float64Array, 'float64'],
  [Float32Array, 'float32'],
  [Int32Array, 'int32'],
  [Int16Array, 'int16'],
  [Int8Array, 'int8'],
  [Uint32Array, 'uint32'],
  [Uint16Array, 'uint16'],
  [Uint8Array, 'uint8'],
  [BigInt64Array, 'int64'],
  [BigUint64Array, 'uint64'],
];

function fileDTypeOf(v: unknown): FileDType | undefined {
  for (const [ctor, dtype] of TYPED) if (v instanceof ctor) return dtype;
  return undefined;
}

function toArray(
  value: unknown,
  shape: readonly number[],
  path: string,
  source: string,
  options: DecodeOptions,
): { array: NDArray; dtype: FileDType } | string {
  if (typeof value === 'number')
    return {
      array: fromTypedArray(Float64Array.of(value), shape.length ? [...shape] : []),
      dtype: 'float64',
    };
  if (typeof value === 'bigint')
    return toArray(BigInt64Array.of(value), shape, path, source, options);
  const dtype = fileDTypeOf(value);
  if (!dtype)
    return `not numeric (${value === null ? 'null' : typeof value === 'string' ? 'string' : (value as object).constructor?.name})`;
  const view = value as ArrayBufferView;
  const count = shape.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const data = decodeElements(
    bytes,
    count,
    dtype,
    true,
    { op: 'readHdf5', source: `${source}:${path}`, offset: 0 },
    options,
  );
  return { array: fromTypedArray(data, [...shape]), dtype };
}

/**
 * Reads the numeric datasets and the attributes of an HDF5 file with h5wasm (an optional peer dependency):
 * a path in Node.js (h5wasm's Node build reads the file lazily), or the file's bytes anywhere (browsers
 * included; h5wasm's in-memory file system).
 * @example `const { datasets } = await readHdf5('run.h5'); datasets.get('/u')`
 * @public
 */
export async function readHdf5(
  file: string | Uint8Array,
  options: ReadHdf5Options = {},
): Promise<Hdf5Data> {
  const maxBytes = checkMaxBytes('readHdf5', options.maxBytes);
  if (typeof file === 'string') {
    await checkProbed(await fileProbe(file), file);
    const h5 = await loadH5wasm('h5wasm/node');
    // HDF5 reports errors as exceptions (turned into DataFormatErrors below), not as stacks on stderr
    (await h5.ready).activate_throwing_error_handler?.();
    return readOpened(() => new h5.File(file, 'r'), file, options, maxBytes);
  }
  const source = '<bytes>';
  await checkProbed(bytesProbe(file), source);
  const h5 = await loadH5wasm('h5wasm');
  const { FS, activate_throwing_error_handler } = await h5.ready;
  activate_throwing_error_handler?.();
  if (!FS)
    throw new ValueError('readHdf5', "h5wasm's in-memory file system is missing; update h5wasm");
  const name = `/sciml-data-${++memfsCounter}.h5`;
  FS.writeFile(name, file);
  try {
    return readOpened(() => new h5.File(name, 'r'), source, options, maxBytes);
  } finally {
    FS.unlink(name);
  }
}

let memfsCounter = 0;

async function checkProbed(probe: Probe, source: string): Promise<void> {
  try {
    await checkSuperblock(probe, source);
  } finally {
    await probe.close?.();
  }
}

// The library's own messages ("name not defined!") do not say what is wrong; the object being read when it
// failed does, so every library call runs with the path it concerns.
function readOpened(
  open: () => H5File,
  source: string,
  options: ReadHdf5Options,
  maxBytes: number,
): Hdf5Data {
  const context = { path: '/', doing: 'opening the file' };
  let f: H5File | undefined;
  try {
    f = open();
    return walk(f, source, options, maxBytes, context);
  } catch (e) {
    if (e instanceof SciMLError) throw e;
    throw new DataFormatError('readHdf5', {
      source,
      offset: 0,
      problem: `corrupt or unsupported HDF5 structure while ${context.doing} '${context.path}': the superblock is valid but the HDF5 library could not read this object (${innermostHdf5Error(String((e as Error)?.message ?? e))})`,
    });
  } finally {
    try {
      f?.close();
    } catch {
      // closing a file HDF5 could not read fails too; the error above is the one that matters
    }
  }
}

/** The deepest entry of an HDF5 error stack (`#006: ... in H5F__super_read(): truncated file ...`), or all of it. */
function innermostHdf5Error(message: string): string {
  const entries = [...message.matchAll(/#\d+: .* in (\w+)\(\): (.*)$/gm)];
  const last = entries.at(-1);
  return last ? `${last[1]}: ${last[2]!.trim()}` : message.trim();
}

function bytesProbe(bytes: Uint8Array): Probe {
  return { size: bytes.length, read: async (at, length) => bytes.subarray(at, at + length) };
}

async function fileProbe(path: string): Promise<Probe> {
  const { open } = await nodeBuiltin('node:fs/promises');
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (at, length) => {
      const out = new Uint8Array(length);
      const { bytesRead } = await handle.read(out, 0, length, at);
      return out.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/** Bytes a value of `count` elements of `size` bytes will take once decoded. */
function declaredBytes(metadata: { total_size: number; size: number } | undefined): number {
  return metadata ? metadata.total_size * metadata.size : 0;
}

// Hard links can make the group graph a cycle (`g.create_hard_link('/', 'loop')`) or reach one object by
// many paths (2^n of them through n diamond-shaped groups): each object, identified by its object
// reference, is read once, and a second path to it is reported instead of walked again.
function walk(
  root: H5Entity,
  source: string,
  options: ReadHdf5Options,
  maxBytes: number,
  context: { path: string; doing: string },
): Hdf5Data {
  const out: Hdf5Data = {
    datasets: new Map(),
    dtypes: new Map(),
    attributes: new Map(),
    skipped: new Map(),
  };
  const wanted = options.datasets
    ? new Set(options.datasets.map((p) => (p.startsWith('/') ? p : `/${p}`)))
    : undefined;
  const groups = new Map<string, string>(); // group's object reference (hex) → first path reaching it
  const read = new Map<string, string>(); // dataset's object reference → the path it was read under
  let total = 0;
  const budget = (bytes: number, what: string): void => {
    total += bytes;
    checkDeclaredBytes(
      { op: 'readHdf5', source, offset: 0 },
      total,
      maxBytes,
      `reading ${what} brings the declared data to`,
    );
  };
  const visit = (node: H5Entity, path: string): void => {
    context.path = path;
    context.doing = 'identifying';
    const isGroup = node.type === 'Group' && node.keys !== undefined && node.get !== undefined;
    const id = objectId(node);
    if (isGroup && id !== undefined) {
      const first = groups.get(id);
      if (first !== undefined) {
        const cycle = isAncestor(first, path) ? ' (a cycle)' : '';
        out.skipped.set(path, `hard link to the group ${first}, already read${cycle}`);
        return;
      }
      groups.set(id, path);
    }
    const firstRead = id === undefined ? undefined : read.get(id);
    if (firstRead === undefined) {
      context.doing = 'reading the attributes of';
      const attrs = new Map<string, Hdf5Attribute>();
      for (const [name, attr] of Object.entries(node.attrs)) {
        budget(declaredBytes(attr.metadata), `attribute '${path}@${name}'`);
        attrs.set(name, attributeValue(attr.value, attr.shape, `${path}@${name}`, source, options));
      }
      if (attrs.size > 0) out.attributes.set(path, attrs);
    }
    if (isGroup) {
      context.doing = 'listing the group';
      for (const key of node.keys!()) {
        context.path = path;
        context.doing = `opening the member '${key}' of`;
        const child = node.get!(key);
        if (child) visit(child, path === '/' ? `/${key}` : `${path}/${key}`);
      }
    } else if (node.type === 'Dataset' && (!wanted || wanted.has(path))) {
      if (firstRead !== undefined) {
        // the same dataset under a second path: share the array, read nothing twice
        out.datasets.set(path, out.datasets.get(firstRead)!);
        out.dtypes.set(path, out.dtypes.get(firstRead)!);
        return;
      }
      context.doing = 'reading the dataset';
      budget(declaredBytes(node.metadata), `dataset '${path}'`);
      const r = toArray(node.value, node.shape ?? [], path, source, options);
      if (typeof r === 'string') out.skipped.set(path, r);
      else {
        out.datasets.set(path, r.array);
        out.dtypes.set(path, r.dtype);
        if (id !== undefined) read.set(id, path);
      }
    }
  };
  visit(root, '/');
  if (wanted) {
    for (const p of wanted)
      if (!out.datasets.has(p))
        throw new ValueError('readHdf5', `no numeric dataset '${p}' in ${source}`);
  }
  return out;
}

function objectId(node: H5Entity): string | undefined {
  if (!node.create_reference) return undefined;
  const bytes = node.create_reference().ref_data;
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function isAncestor(a: string, b: string): boolean {
  return a === '/' || b.startsWith(`${a}/`);
}

function attributeValue(
  value: unknown,
  shape: number[] | null,
  path: string,
  source: string,
  options: DecodeOptions,
): Hdf5Attribute {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value;
  const r = toArray(value, shape ?? [], path, source, options);
  if (typeof r === 'string') return String(value);
  return r.array;
}
