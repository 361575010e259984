// CSV and TSV (RFC 4180 quoting) with a header row, typed columns and explicit missing-value handling.
import {
  DTypeError,
  type NDArray,
  ShapeError,
  ValueError,
  fromTypedArray,
  describeValue,
} from '@sciml/linalg';
import { UNNAMED_SOURCE } from '../errors.js';
import { fail } from './bounds.js';
import { conversionProblem, storedValue, typedArrayFor } from './convert.js';

/**
 * The type of a CSV column: numbers (`float64`, or `int32` on request), `bool`, or text.
 * @public
 */
export type ColumnType = 'float64' | 'int32' | 'bool' | 'string';

/**
 * A table read from CSV: column names in file order and each column as an NDArray or strings.
 * @public
 */
export interface CsvTable {
  /** Column names (from the header, or `'0'`, `'1'`, ... without one). */
  names: string[];
  /** Each column: an NDArray for numeric and bool columns, a string array for text. */
  columns: Map<string, NDArray | string[]>;
  /** Number of data rows. */
  rows: number;
}

/**
 * Options of {@link readCsv}.
 * @public
 */
export interface ReadCsvOptions {
  /** Field separator (default `','`; `readTsv` uses a tab). */
  delimiter?: string;
  /** Whether the first row names the columns (default true). */
  header?: boolean;
  /** Missing values in numeric columns: `'nan'` (default) stores NaN, `'error'` throws a DataFormatError. */
  missing?: 'nan' | 'error';
  /** Field texts that mean "missing" (default `'', 'NA', 'N/A', 'NaN', 'nan', 'null'`). */
  missingValues?: readonly string[];
  /** Column types by name; other columns are `float64` when every present value is a number, else `string`. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Name of the input for error messages. */
  source?: string;
}

const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|Infinity)$/i;

function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (NUMBER.test(t)) return Number(t);
  const inf = INFINITY.exec(t);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

interface Field {
  text: string;
  at: number;
}

/** Splits CSV text into rows of fields with the character offset of each field. */
function tokenize(text: string, delimiter: string, op: string, source: string): Field[][] {
  const rows: Field[][] = [];
  let row: Field[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  const n = text.length;
  while (i <= n) {
    const at = i;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) fail({ op, source, offset: at }, 'quoted field is never closed');
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        fail(
          { op, source, offset: i },
          `unexpected ${JSON.stringify(text[i])} after a closing quote`,
        );
      }
    } else {
      let j = i;
      while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
      value = text.slice(i, j);
      const quote = value.indexOf('"');
      if (quote >= 0)
        fail(
          { op, source, offset: i + quote },
          'a quote inside an unquoted field; quote the whole field and double inner quotes',
        );
      i = j;
    }
    row.push({ text: value, at });
    if (i < n && text[i] === delimiter) {
      i++;
      continue;
    }
    // end of line or of input
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    if (!(row.length === 1 && row[0]!.text === '' && text[at] !== '"')) rows.push(row); // skip blank lines
    row = [];
  }
  return rows;
}

/**
 * Reads CSV text (or UTF-8 bytes) with a header row into typed columns. Quoted fields may hold delimiters,
 * newlines and doubled quotes (RFC 4180). Rows of the wrong length and text in numeric columns are a
 * DataFormatError naming the offset (in characters of the decoded text).
 * @example `const t = readCsv('x,y\n1,2\n3,NA\n'); t.columns.get('y') // [2, NaN]`
 * @public
 */
export function readCsv(input: string | Uint8Array, options: ReadCsvOptions = {}): CsvTable {
  const op = 'readCsv';
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new ValueError(
      op,
      `input must be the file's text (a string) or its bytes (a Uint8Array), got ${describeValue(input)}; for a path use readCsvFile`,
    );
  }
  const source = options.source ?? UNNAMED_SOURCE;
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ValueError(
      op,
      `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
  }
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const rows = tokenize(text, delimiter, op, source);
  const hasHeader = options.header ?? true;
  if (hasHeader && rows.length === 0) fail({ op, source, offset: 0 }, 'no header row');
  const width = rows[0]?.length ?? 0;
  const names = hasHeader
    ? rows[0]!.map((f) => f.text)
    : Array.from({ length: width }, (_, i) => String(i));
  if (new Set(names).size !== names.length)
    fail({ op, source, offset: 0 }, `duplicate column names in the header: ${names.join(', ')}`);
  const body = hasHeader ? rows.slice(1) : rows;
  for (const r of body) {
    if (r.length !== width)
      fail({ op, source, offset: r[0]!.at }, `row has ${r.length} fields, the header has ${width}`);
  }
  const missingSet = new Set(options.missingValues ?? DEFAULT_MISSING);
  const types = columnTypes(options.types, names, op);
  const columns = new Map<string, NDArray | string[]>();
  names.forEach((name, c) => {
    const type = types.get(name) ?? inferType(body, c, missingSet);
    columns.set(
      name,
      convertColumn(body, c, name, type, missingSet, options.missing ?? 'nan', source),
    );
  });
  return { names, columns, rows: body.length };
}

/** Reads tab-separated text; same options as {@link readCsv}. @public */
export function readTsv(input: string | Uint8Array, options: ReadCsvOptions = {}): CsvTable {
  return readCsv(input, { ...options, delimiter: '\t' });
}

const COLUMN_TYPES: readonly ColumnType[] = ['float64', 'int32', 'bool', 'string'];

// The `types` option as a Map of its own properties only: a column named `constructor`, `__proto__` or
// `toString` must not pick up Object.prototype's members as its type.
function columnTypes(
  types: Readonly<Record<string, ColumnType>> | undefined,
  names: readonly string[],
  op: string,
): Map<string, ColumnType> {
  const out = new Map<string, ColumnType>();
  if (types === undefined) return out;
  for (const name of Object.keys(types)) {
    const type = types[name];
    if (!COLUMN_TYPES.includes(type as ColumnType))
      throw new ValueError(
        op,
        `types['${name}'] is ${JSON.stringify(type)}; use one of ${COLUMN_TYPES.join(', ')}`,
      );
    if (!names.includes(name))
      throw new ValueError(
        op,
        `types names a column '${name}' that the header lacks; columns are ${names.join(', ')}`,
      );
    out.set(name, type as ColumnType);
  }
  return out;
}

function inferType(body: Field[][], c: number, missing: Set<string>): ColumnType {
  for (const r of body) {
    const t = r[c]!.text;
    if (!missing.has(t) && parseNumber(t) === undefined) return 'string';
  }
  return 'float64';
}

function convertColumn(
  body: Field[][],
  c: number,
  name: string,
  type: ColumnType,
  missing: Set<string>,
  onMissing: 'nan' | 'error',
  source: string,
): NDArray | string[] {
  if (type === 'string') return body.map((r) => r[c]!.text);
  const n = body.length;
  const data = typedArrayFor(type, n);
  for (let i = 0; i < n; i++) {
    const { text, at } = body[i]![c]!;
    const where = { op: 'readCsv', source, offset: at };
    if (missing.has(text)) {
      if (onMissing === 'error' || type !== 'float64') {
        fail(
          where,
          `missing value in column '${name}' (row ${i + 1})${type === 'float64' ? '' : `; ${type} columns cannot hold NaN, read it as float64`}`,
        );
      }
      data[i] = Number.NaN;
      continue;
    }
    const t = text.trim().toLowerCase();
    const v = type === 'bool' && (t === 'true' || t === 'false') ? t === 'true' : parseNumber(text);
    if (v === undefined) fail(where, `'${text}' in ${type} column '${name}' is not a number`);
    const problem = conversionProblem(v, type);
    if (problem !== undefined) fail(where, `'${text}' in ${type} column '${name}': ${problem}`);
    data[i] = storedValue(v, type);
  }
  return fromTypedArray(data, [n]);
}

/**
 * Stacks numeric columns of a table into an `[rows, columns]` float64 matrix (all numeric columns by default).
 * @public
 */
export function tableToArray(
  table: CsvTable,
  names: readonly string[] = numericNames(table),
): NDArray {
  const out = new Float64Array(table.rows * names.length);
  names.forEach((name, j) => {
    const col = table.columns.get(name);
    if (col === undefined)
      throw new ValueError(
        'tableToArray',
        `no column '${name}'; columns are ${table.names.join(', ')}`,
      );
    if (Array.isArray(col))
      throw new DTypeError(
        'tableToArray',
        `column '${name}' holds text; encode it as numbers first`,
      );
    const data = (col as NDArray).dataSync();
    for (let i = 0; i < table.rows; i++) out[i * names.length + j] = data[i]!;
  });
  return fromTypedArray(out, [table.rows, names.length]);
}

function numericNames(table: CsvTable): string[] {
  return table.names.filter((n) => !Array.isArray(table.columns.get(n)));
}

/**
 * Options of {@link writeCsv}.
 * @public
 */
export interface WriteCsvOptions {
  /** Field separator (default `','`). */
  delimiter?: string;
  /** Column names when writing a matrix (default `'0'`, `'1'`, ...). */
  names?: readonly string[];
  /** Text written for NaN (default `''`, as pandas does). */
  nan?: string;
}

/**
 * Writes a 2-D array or named columns as CSV with a header row. Numbers use the shortest text that reads
 * back to the same double; fields with delimiters, quotes or newlines are quoted.
 * @example `writeCsv({ t: times, u: values })`
 * @public
 */
export function writeCsv(
  data: NDArray | CsvTable | Readonly<Record<string, NDArray | readonly string[]>>,
  options: WriteCsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const nan = options.nan ?? '';
  let names: string[];
  let cols: (ArrayLike<number> | readonly string[])[];
  let bool: boolean[];
  if (isNDArray(data)) {
    if (data.ndim !== 2)
      throw new ShapeError('writeCsv', `expects a 2-D array, got shape (${data.shape.join(', ')})`);
    const [rows, width] = data.shape as [number, number];
    const flat = data.dataSync();
    names = options.names ? [...options.names] : Array.from({ length: width }, (_, j) => String(j));
    if (names.length !== width)
      throw new ValueError('writeCsv', `${names.length} names for ${width} columns`);
    cols = names.map((_, j) => Array.from({ length: rows }, (_, i) => flat[i * width + j]!));
    bool = names.map(() => data.dtype === 'bool');
  } else {
    const entries = isTable(data)
      ? data.names.map((n) => [n, data.columns.get(n)!] as const)
      : Object.entries(data);
    names = entries.map(([n]) => n);
    for (const [name, c] of entries) {
      if (isNDArray(c) && c.ndim !== 1) {
        throw new ShapeError(
          'writeCsv',
          `column '${name}' must be 1-D, got shape (${c.shape.join(', ')})`,
        );
      }
    }
    cols = entries.map(([, c]) => (isNDArray(c) ? c.dataSync() : c));
    bool = entries.map(([, c]) => isNDArray(c) && c.dtype === 'bool');
  }
  const rows = cols[0]?.length ?? 0;
  cols.forEach((c, j) => {
    if (c.length !== rows)
      throw new ShapeError(
        'writeCsv',
        `column '${names[j]}' has ${c.length} rows, the first has ${rows}`,
      );
  });
  const quote = (s: string) =>
    /[",\n\r]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
  const lines = [names.map(quote).join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const fields = cols.map((c, j) => {
      const v = c[i]!;
      if (typeof v === 'string') return quote(v);
      if (bool[j]) return v ? 'true' : 'false';
      return Number.isNaN(v) ? nan : Object.is(v, -0) ? '-0' : String(v);
    });
    lines.push(fields.join(delimiter));
  }
  return `${lines.join('\n')}\n`;
}

function isNDArray(x: unknown): x is NDArray {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x;
}

function isTable(x: unknown): x is CsvTable {
  return (
    typeof x === 'object' && x !== null && 'columns' in x && (x as CsvTable).columns instanceof Map
  );
}
