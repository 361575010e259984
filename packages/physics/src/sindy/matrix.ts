import {
  DTypeError,
  NDArray,
  NotFiniteError,
  ShapeError,
  ValueError,
  formatShape,
  fromTypedArray,
} from '@sciml/linalg';

/**
 * A dense row-major float64 matrix. SINDy's inner loops (stencils, thresholding, per-sample library
 * evaluation) run on plain typed arrays; `NDArray` is the type at the public boundary.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Input accepted where SINDy needs a data matrix: an `NDArray` or nested JS arrays, (samples × variables). */
export type MatrixLike = NDArray | readonly (readonly number[])[];

/**
 * Reads a (samples × variables) matrix as float64. A 1-D array is one variable (a column). Rejects
 * non-float dtypes, other ranks and non-finite values with typed errors naming `op`.
 */
export function readMatrix(op: string, x: MatrixLike, what = 'x'): Matrix {
  if (!(x instanceof NDArray)) {
    const rows = x.length;
    const cols = rows === 0 ? 0 : x[0]!.length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i]!;
      if (row.length !== cols) {
        throw new ShapeError(
          op,
          `${what} is ragged: row ${i} has ${row.length} entries, row 0 has ${cols}`,
        );
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j]!;
    }
    return checkFinite(op, { rows, cols, data }, what);
  }
  if (x.dtype !== 'float64' && x.dtype !== 'float32') {
    throw new DTypeError(
      op,
      `${what} must be float64 or float32, got ${x.dtype}; convert it with astype(x, 'float64')`,
    );
  }
  if (x.ndim !== 1 && x.ndim !== 2) {
    throw new ShapeError(
      op,
      `${what} must be (samples, variables) or (samples,), got shape ${formatShape(x.shape)}`,
    );
  }
  const rows = x.shape[0]!;
  const cols = x.ndim === 2 ? x.shape[1]! : 1;
  const src = x.dataSync();
  const data = src instanceof Float64Array ? src : Float64Array.from(src);
  return checkFinite(op, { rows, cols, data }, what);
}

function checkFinite(op: string, m: Matrix, what: string): Matrix {
  for (let e = 0; e < m.data.length; e++) {
    if (!Number.isFinite(m.data[e])) {
      const i = Math.floor(e / Math.max(m.cols, 1));
      throw new NotFiniteError(
        op,
        `${what} has a non-finite value (${m.data[e]}) in row ${i}; drop or impute it first`,
      );
    }
  }
  return m;
}

/** Wraps a matrix as a (rows × cols) float64 `NDArray` (shares the buffer). */
export function toNDArray(m: Matrix): NDArray {
  return fromTypedArray(m.data, [m.rows, m.cols]);
}

/** An all-zero matrix. */
export function zerosMatrix(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The rows of every part, one after another (several trajectories stacked along samples). */
export function concatRows(op: string, parts: readonly Matrix[]): Matrix {
  if (parts.length === 1) return parts[0]!;
  const cols = parts[0]!.cols;
  let rows = 0;
  for (const p of parts) {
    if (p.cols !== cols) {
      throw new ShapeError(
        op,
        `every trajectory needs the same number of variables, got ${cols} and ${p.cols}`,
      );
    }
    rows += p.rows;
  }
  const data = new Float64Array(rows * cols);
  let off = 0;
  for (const p of parts) {
    data.set(p.data, off);
    off += p.data.length;
  }
  return { rows, cols, data };
}

/** Checks a positive integer option. */
export function checkPositiveInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new ValueError(op, `${name} must be a positive integer, got ${v}`);
  return v;
}

/** Checks a non-negative finite option. */
export function checkNonNegative(op: string, name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0)
    throw new ValueError(op, `${name} must be finite and ≥ 0, got ${v}`);
  return v;
}
