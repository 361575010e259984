// NumPy .npy files, format versions 1.0, 2.0 and 3.0, as specified in numpy/lib/format.py (NEP 1).
import { type DType, type NDArray, ValueError, fromTypedArray, assertNDArray } from '@sciml/linalg';
import { UNNAMED_SOURCE } from '../errors.js';
import { type Where, checkedCount, fail } from './bounds.js';
import { type DecodeOptions, type FileDType, ITEM_SIZE, decodeElements } from './dtypes.js';
import { concatBytes, encodedData } from './encode.js';
import { fortranToC } from './layout.js';
import { PyLiteralError, type PyValue, parsePyLiteral } from './pyliteral.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** NumPy pads headers so the data starts on a 64-byte boundary (numpy.lib.format.ARRAY_ALIGN). */
const ARRAY_ALIGN = 64;
/** NumPy reserves room for the growth axis to reach 21 digits (numpy.lib.format.GROWTH_AXIS_MAX_DIGITS). */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * Options of the npy/npz readers.
 * @public
 */
export interface ReadNpyOptions extends DecodeOptions {
  /** Name of the input for error messages (file name or URL). */
  source?: string;
  /** Largest header accepted, in bytes (default 10 000, NumPy's own `max_header_size`). */
  maxHeaderBytes?: number;
}

/**
 * A decoded .npy file: the array (C order, in the NDArray dtype the file dtype maps to) and what the file said.
 * @public
 */
export interface NpyData {
  /** The values, row-major. */
  array: NDArray;
  /** Element type stored in the file (e.g. `'int64'` for `'<i8'`). */
  dtype: FileDType;
  /** The file's dtype descriptor, e.g. `'<f8'`, `'>i2'`, `'|b1'`. */
  descr: string;
  /** True when the file stored the data in column-major order (it is returned in row-major order). */
  fortranOrder: boolean;
  /** Format version `[major, minor]`. */
  version: readonly [number, number];
}

const KIND_DTYPES: Record<string, FileDType> = {
  f8: 'float64',
  f4: 'float32',
  f2: 'float16',
  i8: 'int64',
  i4: 'int32',
  i2: 'int16',
  i1: 'int8',
  u8: 'uint64',
  u4: 'uint32',
  u2: 'uint16',
  u1: 'uint8',
  b1: 'bool',
};

const DESCR_OF: Partial<Record<FileDType, string>> = {
  float64: '<f8',
  float32: '<f4',
  float16: '<f2',
  int64: '<i8',
  int32: '<i4',
  int16: '<i2',
  int8: '|i1',
  uint64: '<u8',
  uint32: '<u4',
  uint16: '<u2',
  uint8: '|u1',
  bool: '|b1',
};

/** Parses a NumPy dtype descriptor such as `'<f8'` into a file dtype and byte order. */
function parseDescr(descr: PyValue, where: Where): { dtype: FileDType; littleEndian: boolean } {
  if (typeof descr !== 'string') {
    fail(where, 'structured (record) dtypes are not supported; save each field as its own array');
  }
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  const key = m ? (m[2] === '?' ? 'b1' : `${m[2]}${m[3]}`) : '';
  const dtype = Object.hasOwn(KIND_DTYPES, key) ? KIND_DTYPES[key] : undefined;
  if (!m || !dtype) {
    const hint = key.startsWith('O') ? ' (object arrays are pickles and are never loaded)' : '';
    fail(
      where,
      `unsupported dtype descriptor '${descr}'${hint}; expected float16/32/64, (u)int8-64 or bool`,
    );
  }
  if (m[1] === '|' && ITEM_SIZE[dtype] > 1) fail(where, `descriptor '${descr}' has no byte order`);
  return { dtype, littleEndian: m[1] !== '>' };
}

function latin1(bytes: Uint8Array): string {
  // a plain loop: spreading a typed array into String.fromCharCode is far slower for short headers
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * Reads a NumPy `.npy` file (versions 1.0–3.0; C or Fortran order; either byte order). Integer and half
 * types are converted exactly (see {@link FileDType}); anything malformed is a {@link DataFormatError}.
 * @example `const { array, descr } = readNpy(bytes); // descr '<i8' → array.dtype 'float64'`
 * @public
 */
export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NpyData {
  const source = options.source ?? UNNAMED_SOURCE;
  const where = (offset: number): Where => ({ op: 'readNpy', source, offset });
  if (bytes.length < 10)
    fail(where(bytes.length), `file is ${bytes.length} bytes, shorter than a .npy preamble`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i])
      fail(where(i), 'not a .npy file: the magic string \\x93NUMPY is missing');
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0)
    fail(where(6), `unsupported .npy format version ${major}.${minor}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) fail(where(8), 'file ends inside the header length field');
  const headerLen = lenSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenSize;
  const maxHeader = options.maxHeaderBytes ?? 10000;
  if (headerLen > maxHeader) {
    fail(where(8), `header claims ${headerLen} bytes, more than maxHeaderBytes = ${maxHeader}`);
  }
  if (headerStart + headerLen > bytes.length) {
    fail(
      where(8),
      `header claims ${headerLen} bytes but only ${bytes.length - headerStart} follow`,
    );
  }
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLen);
  const text =
    major === 3
      ? new TextDecoder('utf-8', { fatal: false }).decode(headerBytes)
      : latin1(headerBytes);
  let header: PyValue;
  try {
    header = parsePyLiteral(text);
  } catch (e) {
    if (!(e instanceof PyLiteralError)) throw e;
    const offset =
      headerStart + (major === 3 ? new TextEncoder().encode(text.slice(0, e.pos)).length : e.pos);
    fail(where(offset), `malformed header: ${e.message}`);
  }
  const at = where(headerStart);
  if (!(header instanceof Map)) fail(at, 'header is not a dictionary');
  const keys = [...header.keys()].sort().join(',');
  if (keys !== 'descr,fortran_order,shape') {
    fail(at, `header keys must be exactly descr, fortran_order, shape; found ${keys || 'none'}`);
  }
  const { dtype, littleEndian } = parseDescr(header.get('descr')!, at);
  const fortranOrder = header.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') fail(at, "'fortran_order' must be True or False");
  const shapeValue = header.get('shape');
  if (!Array.isArray(shapeValue)) fail(at, "'shape' must be a tuple of integers");
  const dataStart = headerStart + headerLen;
  const available = bytes.length - dataStart;
  const count = checkedCount(where(dataStart), shapeValue, ITEM_SIZE[dtype], available);
  const shape = shapeValue as number[];
  const nbytes = count * ITEM_SIZE[dtype];
  if (nbytes !== available) {
    fail(
      where(dataStart + nbytes),
      `shape (${shape.join(', ')}) needs ${nbytes} data bytes but ${available} follow the header`,
    );
  }
  let data = decodeElements(
    bytes.subarray(dataStart),
    count,
    dtype,
    littleEndian,
    { op: 'readNpy', source, offset: dataStart },
    options,
  );
  if (fortranOrder) data = fortranToC(data, shape);
  return {
    array: fromTypedArray(data, shape),
    dtype,
    descr: header.get('descr') as string,
    fortranOrder,
    version: [major, minor],
  };
}

/** Reads a `.npy` file and returns just the array. @public */
export function loadNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NDArray {
  return readNpy(bytes, options).array;
}

/**
 * Options of {@link writeNpy}.
 * @public
 */
export interface WriteNpyOptions {
  /** File dtype to store (default: the array's own dtype). Integer targets need integer values in range. */
  dtype?: FileDType;
  /** Format version (default: 1.0, or 2.0 when the header needs more than 65 535 bytes, as NumPy does). */
  version?: 1 | 2 | 3;
}

/** The header dictionary NumPy writes, byte for byte (keys sorted, trailing `, `, growth-axis spaces). */
function headerText(descr: string, shape: readonly number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const growth = shape.length > 0 ? GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length : 0;
  return dict + ' '.repeat(Math.max(0, growth));
}

/**
 * Encodes an array as a `.npy` file in C order, little-endian, with the exact header bytes NumPy ≥ 1.24
 * writes, so `numpy.load` reads it back and byte comparisons with NumPy's output hold.
 * @example `await writeFile('x.npy', writeNpy(array([1, 2, 3])))`
 * @public
 */
export function writeNpy(array: NDArray, options: WriteNpyOptions = {}): Uint8Array {
  assertNDArray('writeNpy', array, 'the array');
  return concatBytes(npyParts(array, options));
}

/**
 * The `.npy` file as [header, data]. The data part is a view of the array's own memory when no conversion
 * is needed (so a file writer can send it without a copy), else freshly encoded bytes.
 */
export function npyParts(array: NDArray, options: WriteNpyOptions = {}): [Uint8Array, Uint8Array] {
  const dtype = options.dtype ?? (array.dtype as DType as FileDType);
  const descr = DESCR_OF[dtype];
  if (!descr)
    throw new ValueError(
      'writeNpy',
      `NumPy has no ${dtype} dtype; write float32 or use safetensors`,
    );
  const text = headerText(descr, array.shape);
  // header + '\n', padded with spaces so magic + length + header is a multiple of ARRAY_ALIGN
  const version = options.version ?? (text.length + ARRAY_ALIGN + 12 > 65535 ? 2 : 1);
  const prefix = version === 1 ? 10 : 12;
  const hlen = text.length + 1;
  const pad = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  const headerLen = hlen + pad;
  if (version === 1 && headerLen > 65535) {
    throw new ValueError(
      'writeNpy',
      `header of ${headerLen} bytes is too long for version 1.0; use { version: 2 }`,
    );
  }
  const header = new Uint8Array(prefix + headerLen);
  header.set(MAGIC, 0);
  header[6] = version;
  header[7] = 0;
  const view = new DataView(header.buffer);
  if (version === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  const encoded =
    version === 3 ? new TextEncoder().encode(text) : Uint8Array.from(text, (c) => c.charCodeAt(0));
  header.set(encoded, prefix);
  header.fill(0x20, prefix + encoded.length, prefix + headerLen - 1);
  header[prefix + headerLen - 1] = 0x0a;
  return [header, encodedData('writeNpy', array.dataSync(), dtype)];
}
