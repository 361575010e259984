// Nested JSON arrays of numbers to and from NDArray.
import {
  type DType,
  type NDArray,
  NotFiniteError,
  ValueError,
  fromTypedArray,
} from '@sciml/linalg';
import { UNNAMED_SOURCE } from '../errors.js';
import { fail } from './bounds.js';
import { conversionProblem, holdsNaN, isDType, storedValue, typedArrayFor } from './convert.js';

/**
 * Options of {@link readJsonArray}.
 * @public
 */
export interface ReadJsonArrayOptions {
  /** `null` entries: `'nan'` (default) stores NaN, `'error'` throws a DataFormatError. */
  missing?: 'nan' | 'error';
  /**
   * Stored dtype (default: `bool` for all-boolean input, else `float64`). Values must fit it exactly, by the
   * policy `readCsv` shares: integers in range for `int32`, `true`/`false`/1/0 for `bool`, no finite value
   * that overflows `float32`; anything else is a DataFormatError, never a silent wrap or truncation.
   */
  dtype?: DType;
  /** Name of the input for error messages. */
  source?: string;
}

const MAX_DEPTH = 64;

/**
 * Parses JSON text holding a number or a rectangular nested array of numbers (or booleans) into an NDArray.
 * Ragged nesting, strings and objects are a DataFormatError; nothing in the text is evaluated.
 * @example `readJsonArray('[[1, 2], [3, null]]') // 2×2 float64 with a NaN`
 * @public
 */
export function readJsonArray(text: string, options: ReadJsonArrayOptions = {}): NDArray {
  const op = 'readJsonArray';
  const source = options.source ?? UNNAMED_SOURCE;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    fail(
      { op, source, offset: pos ? Number(pos[1]) : 0 },
      `invalid JSON (${(e as Error).message})`,
    );
  }
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (shape.length > MAX_DEPTH)
      fail({ op, source, offset: 0 }, `arrays nested deeper than ${MAX_DEPTH}`);
    if (v.length === 0) break;
  }
  const flat: unknown[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      fail(
        { op, source, offset: 0 },
        `ragged array at ${path || 'top level'}: expected a list of length ${shape[depth]}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  const allBool = flat.length > 0 && flat.every((x) => typeof x === 'boolean');
  const dtype = options.dtype ?? (allBool ? 'bool' : 'float64');
  if (!isDType(dtype))
    throw new ValueError(op, `dtype must be float64, float32, int32 or bool, got ${String(dtype)}`);
  const data = typedArrayFor(dtype, flat.length);
  flat.forEach((x, i) => {
    if (x === null) {
      if (options.missing === 'error') fail({ op, source, offset: 0 }, `null at flat index ${i}`);
      if (!holdsNaN(dtype))
        fail(
          { op, source, offset: 0 },
          `null at flat index ${i}: ${dtype} cannot hold a missing value (NaN); read it as float64`,
        );
      data[i] = Number.NaN;
    } else if (typeof x === 'number' || typeof x === 'boolean') {
      const problem = conversionProblem(x, dtype);
      if (problem !== undefined) fail({ op, source, offset: 0 }, `element ${i}: ${problem}`);
      data[i] = storedValue(x, dtype);
    } else {
      fail({ op, source, offset: 0 }, `element ${i} is ${typeof x}, not a number`);
    }
  });
  return fromTypedArray(data, shape);
}

/**
 * Writes an NDArray as nested JSON arrays; NaN becomes `null` (JSON has no NaN), ±∞ is a NotFiniteError.
 * @public
 */
export function writeJsonArray(a: NDArray): string {
  const data = a.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (data[i] === Number.POSITIVE_INFINITY || data[i] === Number.NEGATIVE_INFINITY) {
      throw new NotFiniteError(
        'writeJsonArray',
        `element ${i} is ${data[i]}; JSON cannot represent infinity`,
      );
    }
  }
  return JSON.stringify(a.toNested());
}
