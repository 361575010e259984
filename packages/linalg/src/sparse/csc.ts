import { spmvF64 } from '../kernels/spmv.js';
import { ShapeError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import type { CooMatrix } from './coo.js';
import { CsrMatrix } from './csr.js';
import { type CompressedArrays, CompressedMatrix } from './compressed.js';
import { checkMatrixShape, checkTriplets, compressTriplets } from './format.js';
import { type LinearMap, checkVector } from './operator.js';

/**
 * Compressed sparse column matrix: column j holds rows `indices[indptr[j] … indptr[j+1])`. Column access and
 * Aᵀx are its fast operations; A x scatters each column.
 * @public
 */
export class CscMatrix extends CompressedMatrix implements LinearMap {
  /** Storage format tag. */
  readonly format = 'csc' as const;

  /** Wraps existing CSC arrays (validated, not copied; do not mutate them afterwards). */
  constructor(shape: readonly number[], arrays: CompressedArrays) {
    super('CscMatrix', 1, shape, arrays);
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

  /** y = A x by scattering column j times x[j], O(nnz). */
  matvec(x: Float64Array, out?: Float64Array): Float64Array {
    return this.scatterProduct('CscMatrix.matvec', x, out);
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
    return new CsrMatrix(this.shape, this.recompressed());
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
