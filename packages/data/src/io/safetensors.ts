// safetensors (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the raw little-endian
// data. Validation follows the reference implementation (huggingface/safetensors, `Metadata::validate`):
// offsets are relative to the data block, contiguous from 0, without holes or overlaps, and cover it exactly.
import { type NDArray, ValueError, fromTypedArray, withOpName } from '@sciml/linalg';
import { UNNAMED_SOURCE } from '../errors.js';
import { type Where, checkedCount, fail, readUint64 } from './bounds.js';
import { type DecodeOptions, type FileDType, ITEM_SIZE, decodeElements } from './dtypes.js';
import { concatBytes, encodedData } from './encode.js';
import { type ArrayTree, flattenTree } from './pytree.js';

/** The reference implementation's limit on the JSON header (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

const FROM_CODE: Record<string, FileDType> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U64: 'uint64',
  U32: 'uint32',
  U16: 'uint16',
  U8: 'uint8',
  BOOL: 'bool',
};
const TO_CODE = Object.fromEntries(Object.entries(FROM_CODE).map(([k, v]) => [v, k])) as Record<
  FileDType,
  string
>;

/**
 * Options of {@link readSafetensors}.
 * @public
 */
export interface ReadSafetensorsOptions extends DecodeOptions {
  /** Name of the input for error messages. */
  source?: string;
}

/**
 * A decoded safetensors file.
 * @public
 */
export interface SafetensorsData {
  /** Tensors by name, in file order. */
  tensors: Map<string, NDArray>;
  /** The dtype each tensor had in the file (e.g. `'bfloat16'`, read as float32). */
  dtypes: Map<string, FileDType>;
  /** The free-form string metadata (`__metadata__`). */
  metadata: Map<string, string>;
}

interface Entry {
  name: string;
  dtype: FileDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Reads a safetensors file. Every offset and shape is checked against the buffer before anything is
 * allocated; a problem is a {@link DataFormatError} naming the byte offset.
 * @example `const { tensors } = readSafetensors(bytes); tensors.get('fc.weight')`
 * @public
 */
export function readSafetensors(
  bytes: Uint8Array,
  options: ReadSafetensorsOptions = {},
): SafetensorsData {
  const source = options.source ?? UNNAMED_SOURCE;
  const where = (offset: number): Where => ({ op: 'readSafetensors', source, offset });
  if (bytes.length < 8)
    fail(
      where(0),
      `file is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = readUint64(view, 0, where(0));
  if (n > MAX_HEADER_BYTES)
    fail(where(0), `header length ${n} exceeds the 100 MB limit of the format`);
  if (8 + n > bytes.length)
    fail(where(0), `header claims ${n} bytes but only ${bytes.length - 8} follow`);
  if (n < 2 || bytes[8] !== 0x7b) fail(where(8), "header must be a JSON object starting with '{'");
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(where(8), 'header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(where(8), `header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail(where(8), 'header must be a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata = new Map<string, string>();
  const entries: Entry[] = [];
  for (const name of Object.keys(header)) {
    const info = (header as Record<string, unknown>)[name];
    if (name === METADATA_KEY) {
      if (info === null || typeof info !== 'object' || Array.isArray(info))
        fail(where(8), '__metadata__ must be an object of strings');
      for (const k of Object.keys(info)) {
        const v = (info as Record<string, unknown>)[k];
        if (typeof v !== 'string') fail(where(8), `__metadata__['${k}'] must be a string`);
        metadata.set(k, v);
      }
      continue;
    }
    entries.push(parseEntry(name, info, where(8), dataLen));
  }
  // contiguity: sorted by begin, each tensor starts where the previous ended, the last ends at the file's end
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      const what =
        e.begin < cursor
          ? 'overlaps the previous tensor'
          : `leaves a hole at [${cursor}, ${e.begin})`;
      fail(where(dataStart + e.begin), `tensor '${e.name}' at data offset ${e.begin} ${what}`);
    }
    cursor = e.end;
  }
  if (cursor !== dataLen)
    fail(
      where(dataStart + cursor),
      `tensors cover ${cursor} data bytes but the file has ${dataLen}`,
    );
  const tensors = new Map<string, NDArray>();
  const dtypes = new Map<string, FileDType>();
  for (const e of entries) {
    const count = (e.end - e.begin) / ITEM_SIZE[e.dtype];
    const span = { op: 'readSafetensors', source, offset: dataStart + e.begin };
    const data = decodeElements(
      bytes.subarray(dataStart + e.begin, dataStart + e.end),
      count,
      e.dtype,
      true,
      span,
      options,
    );
    tensors.set(e.name, fromTypedArray(data, e.shape));
    dtypes.set(e.name, e.dtype);
  }
  return { tensors, dtypes, metadata };
}

function parseEntry(name: string, info: unknown, at: Where, dataLen: number): Entry {
  if (info === null || typeof info !== 'object' || Array.isArray(info))
    fail(at, `entry '${name}' must be an object`);
  const { dtype: code, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof code !== 'string') fail(at, `tensor '${name}' has no dtype`);
  const dtype = Object.hasOwn(FROM_CODE, code) ? FROM_CODE[code] : undefined;
  if (!dtype)
    fail(
      at,
      `tensor '${name}' has dtype ${code}, which is not supported (F64/F32/F16/BF16, I8–I64, U8–U64, BOOL)`,
    );
  if (!Array.isArray(shape)) fail(at, `tensor '${name}' has no shape array`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(at, `tensor '${name}' needs data_offsets [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLen)
    fail(at, `tensor '${name}' ends at data offset ${end}, past the ${dataLen}-byte data block`);
  const count = checkedCount({ ...at, op: at.op }, shape, ITEM_SIZE[dtype], end - begin);
  if (count * ITEM_SIZE[dtype] !== end - begin) {
    fail(
      at,
      `tensor '${name}' of shape [${shape.join(', ')}] and dtype ${code} needs ${count * ITEM_SIZE[dtype]} bytes, its offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Reads a safetensors file and returns its tensors by name. @public */
export function loadSafetensors(
  bytes: Uint8Array,
  options: ReadSafetensorsOptions = {},
): Map<string, NDArray> {
  return readSafetensors(bytes, options).tensors;
}

/**
 * Options of {@link writeSafetensors}.
 * @public
 */
export interface WriteSafetensorsOptions {
  /** String metadata stored under `__metadata__` (e.g. `{ format: 'pt' }`). */
  metadata?: Readonly<Record<string, string>>;
  /** File dtype for every tensor, or per tensor name (default: each array's dtype). E.g. `'bfloat16'`. */
  dtype?: FileDType | ((name: string, array: NDArray) => FileDType);
}

/**
 * Writes tensors (a `name → array` map or a pytree, flattened with dotted names) as a safetensors file that
 * `safetensors.torch.load` and `safetensors.numpy.load` read. Tensors are laid out largest element size
 * first, then by name, as the reference writer does, so every tensor is aligned in the file.
 * @example `writeSafetensors({ fc: { weight: w, bias: b } }, { metadata: { format: 'pt' } })`
 * @public
 */
export function writeSafetensors(
  tensors: ArrayTree | ReadonlyMap<string, NDArray>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  return withOpName('writeSafetensors', () => concatBytes(safetensorsParts(tensors, options)));
}

/**
 * The safetensors file as parts: the length-prefixed header, then each tensor's bytes (views of the arrays'
 * memory when no conversion is needed), for writers that send parts without joining them.
 */
export function safetensorsParts(
  tensors: ArrayTree | ReadonlyMap<string, NDArray>,
  options: WriteSafetensorsOptions = {},
): Uint8Array[] {
  const flat = tensors instanceof Map ? tensors : flattenTree(tensors as ArrayTree);
  const items = [...flat].map(([name, array]) => {
    if (name === METADATA_KEY) {
      throw new ValueError('writeSafetensors', `'${METADATA_KEY}' is reserved; rename the tensor`);
    }
    const d = options.dtype;
    const dtype =
      d === undefined ? (array.dtype as FileDType) : typeof d === 'function' ? d(name, array) : d;
    return { name, array, dtype };
  });
  items.sort(
    (a, b) =>
      ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (options.metadata) header[METADATA_KEY] = { ...options.metadata };
  let offset = 0;
  for (const { name, array, dtype } of items) {
    const size = array.size * ITEM_SIZE[dtype];
    Object.defineProperty(header, name, {
      value: {
        dtype: TO_CODE[dtype],
        shape: [...array.shape],
        data_offsets: [offset, offset + size],
      },
      enumerable: true,
    });
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + headerLen);
  const view = new DataView(head.buffer);
  view.setUint32(0, headerLen % 4294967296, true);
  view.setUint32(4, Math.floor(headerLen / 4294967296), true);
  head.set(json, 8);
  head.fill(0x20, 8 + json.length, 8 + headerLen);
  return [
    head,
    ...items.map(({ array, dtype }) => encodedData('writeSafetensors', array.dataSync(), dtype)),
  ];
}
