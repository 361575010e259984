import { ShapeError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from './creation.js';

/** The part of ml-matrix's `Matrix` (or any `AbstractMatrix`) that interop needs, typed structurally. */
export interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** Copies an ml-matrix `Matrix` (or anything with rows/columns/get) into a float64 NDArray. */
export function fromMlMatrix(m: MlMatrixLike): NDArray {
  const data = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.columns; j++) data[i * m.columns + j] = m.get(i, j);
  return fromTypedArray(data, [m.rows, m.columns]);
}

/**
 * Copies a matrix (or a vector, as one column) into an ml-matrix `Matrix`. The constructor is passed in so
 * @sciml/linalg does not depend on ml-matrix: `toMlMatrix(a, Matrix)`.
 */
export function toMlMatrix<M>(x: NDArray, MatrixClass: new (data: number[][]) => M): M {
  if (x.ndim !== 1 && x.ndim !== 2)
    throw new ShapeError('toMlMatrix', `needs a vector or matrix, got ${formatShape(x.shape)}`);
  const [m, n] = x.ndim === 1 ? [x.shape[0]!, 1] : [x.shape[0]!, x.shape[1]!];
  const flat = x.dataSync();
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) rows.push(Array.from(flat.subarray(i * n, (i + 1) * n)));
  return new MatrixClass(rows);
}
