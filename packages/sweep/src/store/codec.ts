// A task's result (a pytree of NDArrays with numbers, strings and booleans as metrics) to the bytes of one
// file and back. The job's identity travels inside the file: a safetensors `__metadata__` entry, or for npz
// an int32 array of the JSON's UTF-16 code units (NumPy: `json.loads(''.join(map(chr, z['__sweep__'])))`).
import {
  readNpz,
  readSafetensors,
  unflattenTree,
  writeNpz,
  writeSafetensors,
  type ArrayTree,
} from '@sciml/data';
import { NDArray, fromTypedArray } from '@sciml/linalg';
import type { Params } from '../design/params.js';
import { ResultFormatError } from '../errors.js';

/**
 * File format of result files.
 * @public
 */
export type ResultFormat = 'safetensors' | 'npz';

/**
 * A metric: a scalar a task returns beside its arrays (a loss, an error, a flag, a label).
 * @public
 */
export type Metric = number | string | boolean;

/**
 * What a task may return: NDArrays and metrics, nested in plain objects and arrays.
 * @public
 */
export type TaskResult =
  | NDArray
  | Metric
  | readonly TaskResult[]
  | { readonly [key: string]: TaskResult };

/**
 * The identity and metrics stored in every result file.
 * @public
 */
export interface ResultHeader {
  /** The job's id. */
  readonly jobId: string;
  /** The job's parameters. */
  readonly params: Params;
  /** Seed of the job's generator. */
  readonly seed: number;
  /** The result's metrics by dotted path. */
  readonly metrics: Readonly<Record<string, Metric>>;
}

/**
 * A result read back from disk.
 * @public
 */
export interface StoredResult extends ResultHeader {
  /** The result's arrays by dotted path (`'model.0.weight'`). */
  readonly arrays: ReadonlyMap<string, NDArray>;
}

const RESERVED = '__sweep__';
const SEP = '.';

/** Splits a result into arrays and metrics by dotted path, rejecting anything no file can hold. */
export function splitResult(
  op: string,
  result: unknown,
): { arrays: Map<string, NDArray>; metrics: Record<string, Metric> } {
  const arrays = new Map<string, NDArray>();
  const metrics: Record<string, Metric> = {};
  const seen = new Set<object>();
  const walk = (node: unknown, path: string[]): void => {
    const where = path.length === 0 ? 'the result' : `'${path.join(SEP)}'`;
    if (node instanceof NDArray) {
      if (path.length === 0) arrays.set('result', node);
      else arrays.set(path.join(SEP), node);
      return;
    }
    if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') {
      metrics[path.length === 0 ? 'result' : path.join(SEP)] = node;
      return;
    }
    const isPlain =
      node !== null &&
      typeof node === 'object' &&
      (Array.isArray(node) ||
        Object.getPrototypeOf(node) === Object.prototype ||
        Object.getPrototypeOf(node) === null);
    if (!isPlain) {
      const kind =
        node === null
          ? 'null'
          : typeof node === 'object'
            ? (node.constructor?.name ?? 'object')
            : typeof node;
      throw new ResultFormatError(
        op,
        `${where} is ${kind}, which cannot be stored; return NDArrays, numbers, strings or booleans in plain objects and arrays`,
      );
    }
    if (seen.has(node as object)) throw new ResultFormatError(op, `${where} contains a cycle`);
    seen.add(node as object);
    const entries = Array.isArray(node)
      ? node.map((v, i) => [String(i), v] as const)
      : Object.entries(node);
    for (const [key, value] of entries) {
      if (key.length === 0 || key.includes(SEP) || key === RESERVED) {
        throw new ResultFormatError(
          op,
          `key '${key}' in ${where} is empty, contains '${SEP}' or is reserved; rename it`,
        );
      }
      walk(value, [...path, key]);
    }
    seen.delete(node as object);
  };
  walk(result, []);
  return { arrays, metrics };
}

function headerJson(header: ResultHeader): string {
  // Non-finite numbers survive JSON as tagged strings
  return JSON.stringify(header, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? { nonFinite: String(v) } : v,
  );
}

function parseHeader(text: string): ResultHeader {
  return JSON.parse(text, (_k, v) =>
    v !== null &&
    typeof v === 'object' &&
    typeof v.nonFinite === 'string' &&
    Object.keys(v).length === 1
      ? Number(v.nonFinite)
      : v,
  ) as ResultHeader;
}

/** Encodes one job's result as the bytes of a result file. Throws {@link ResultFormatError} on bad results. */
export function encodeResult(
  format: ResultFormat,
  header: Omit<ResultHeader, 'metrics'>,
  result: unknown,
): Uint8Array {
  const op = 'encodeResult';
  const { arrays, metrics } = splitResult(op, result);
  const json = headerJson({ ...header, metrics });
  try {
    if (format === 'safetensors') {
      return writeSafetensors(arrays, { metadata: { [RESERVED]: json } });
    }
    const codes = Int32Array.from(json, (c) => c.charCodeAt(0));
    return writeNpz(new Map([...arrays, [RESERVED, fromTypedArray(codes, [codes.length])]]));
  } catch (error) {
    // e.g. a GPU array that cannot be read synchronously, an unsupported dtype
    throw new ResultFormatError(
      op,
      `the result's arrays cannot be written as ${format}: ${String((error as Error).message ?? error)}`,
    );
  }
}

/** Decodes the bytes of a result file. */
export function decodeResult(
  format: ResultFormat,
  bytes: Uint8Array,
  source: string,
): StoredResult {
  if (format === 'safetensors') {
    const { tensors, metadata } = readSafetensors(bytes, { source });
    const json = metadata.get(RESERVED);
    if (json === undefined) {
      throw new ResultFormatError(
        'readResult',
        `${source} has no '${RESERVED}' metadata: not a sweep result`,
      );
    }
    return { ...parseHeader(json), arrays: tensors };
  }
  const entries = readNpz(bytes, { source });
  const codes = entries.get(RESERVED);
  if (codes === undefined) {
    throw new ResultFormatError(
      'readResult',
      `${source} has no '${RESERVED}' array: not a sweep result`,
    );
  }
  const json = Array.from(codes.array.dataSync() as Int32Array, (c) => String.fromCharCode(c)).join(
    '',
  );
  const arrays = new Map<string, NDArray>();
  for (const [name, npy] of entries) if (name !== RESERVED) arrays.set(name, npy.array);
  return { ...parseHeader(json), arrays };
}

/**
 * A stored result's arrays as the pytree the task returned (without its metrics).
 * @public
 */
export function resultTree(result: StoredResult): ArrayTree | undefined {
  return result.arrays.size === 0
    ? undefined
    : unflattenTree(result.arrays as ReadonlyMap<string, NDArray>);
}
