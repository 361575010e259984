import { spmvF64 } from '../kernels/spmv.js';
import { ShapeError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import type { CooMatrix } from './coo.js';
import { CsrMatrix } from './csr.js';
import {
  type MatrixShape,
  checkCompressed,
  checkMatrixShape,
  checkTriplets,
  compressTriplets,
  transposeCompressed,
} from './format.js';
import type { CompressedArrays } from './csr.js';
import { type LinearMap, checkVector } from './operator.js';

/**
 * Compressed sparse column matrix: column j holds rows `indices[indptr[j] … indptr[j+1])`. Column access and
 * Aᵀx are its fast operations; A x scatters each column.
 * @public
 */
export class CscMatrix implements LinearMap {
  /** Storage format tag. */
  readonly format = 'csc' as const;
  /** [rows, columns]. */
  readonly shape: MatrixShape;
  /** Column pointers (columns + 1 entries). */
  readonly indptr: Int32Array;
  /** Row index of each stored entry. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly data: Float64Array;

  /** Wraps existing CSC arrays (validated, not copied). */
  constructor(shape: readonly number[], arrays: CompressedArrays) {
    this.shape = checkMatrixShape('CscMatrix', shape);
    checkCompressed(
      'CscMatrix',
      this.shape[1],
      this.shape[0],
      arrays.indptr,
      arrays.indices,
      arrays.data,
    );
    this.indptr = arrays.indptr;
    this.indices = arrays.indices;
    this.data = arrays.data;
  }

  /** Builds from triplets; duplicate positions are summed. */
  static fromTriplets(
    shape: readonly number[],
    rows: ArrayLike<number>,
    cols: ArrayLike<number>,
    values: ArrayLike<number>,
  ): CscMatrix {
    const s = checkMatrixShape('CscMatrix.fromTriplets', shape);
    checkTriplets('CscMatrix.fromTriplets', s, rows, cols, values);
    return new CscMatrix(s, compressTriplets(s[1], s[0], cols, rows, values));
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.data.length;
  }

  /** y = A x by scattering column j times x[j], O(nnz). */
  matvec(x: Float64Array, out = new Float64Array(this.shape[0])): Float64Array {
    checkVector('CscMatrix.matvec', x, this.shape[1]);
    out.fill(0);
    for (let j = 0; j < this.shape[1]; j++) {
      const xj = x[j]!;
      if (xj === 0) continue;
      for (let k = this.indptr[j]!; k < this.indptr[j + 1]!; k++)
        out[this.indices[k]!]! += this.data[k]! * xj;
    }
    return out;
  }

  /** y = Aᵀ x (a dot product per column), O(nnz): the CSR product kernel on the CSC arrays (wasm, see CsrMatrix.matvec). */
  rmatvec(x: Float64Array, out = new Float64Array(this.shape[1])): Float64Array {
    checkVector('CscMatrix.rmatvec', x, this.shape[0]);
    checkVector('CscMatrix.rmatvec (out)', out, this.shape[1]);
    spmvF64(this.shape[1], this, x, out);
    return out;
  }

  /** Row-compressed form (same matrix). */
  toCsr(): CsrMatrix {
    const t = transposeCompressed(
      this.shape[1],
      this.shape[0],
      this.indptr,
      this.indices,
      this.data,
    );
    return new CsrMatrix(this.shape, t);
  }

  /** Itself. */
  toCsc(): CscMatrix {
    return this;
  }

  /** Coordinate form (row-major order). */
  toCoo(): CooMatrix {
    return this.toCsr().toCoo();
  }

  /** The dense matrix as a float64 NDArray. */
  toDense(): NDArray {
    return this.toCsr().toDense();
  }

  /** Aᵀ in CSC form: the same arrays read as CSR of Aᵀ, re-compressed by column. */
  transpose(): CscMatrix {
    const asCsrOfT = new CsrMatrix([this.shape[1], this.shape[0]], this);
    return asCsrOfT.toCsc();
  }

  /** Column j as a dense vector. */
  column(j: number): Float64Array {
    if (!Number.isInteger(j) || j < 0 || j >= this.shape[1]) {
      throw new ShapeError('CscMatrix.column', `column ${j} lies outside 0…${this.shape[1] - 1}`);
    }
    const out = new Float64Array(this.shape[0]);
    for (let k = this.indptr[j]!; k < this.indptr[j + 1]!; k++)
      out[this.indices[k]!]! += this.data[k]!;
    return out;
  }
}
