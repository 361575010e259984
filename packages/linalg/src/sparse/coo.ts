import type { NDArray } from '../core/ndarray.js';
import { CscMatrix } from './csc.js';
import { CsrMatrix } from './csr.js';
import { type MatrixShape, checkMatrixShape, checkTriplets, compressTriplets } from './format.js';
import { type LinearMap, checkVector } from './operator.js';

/**
 * Coordinate (triplet) matrix: entry k is `data[k]` at (`rows[k]`, `cols[k]`); repeated positions add up, as
 * in SciPy's `coo_matrix`. The format to assemble in (finite elements, edge lists); convert to CSR to compute.
 * @public
 */
export class CooMatrix implements LinearMap {
  /** Storage format tag. */
  readonly format = 'coo' as const;
  /** [rows, columns]. */
  readonly shape: MatrixShape;
  /** Row index of each entry. */
  readonly rows: Int32Array;
  /** Column index of each entry. */
  readonly cols: Int32Array;
  /** Value of each entry. */
  readonly data: Float64Array;

  /** Builds from triplets (copied, validated); duplicates are kept until conversion, where they are summed. */
  constructor(
    shape: readonly number[],
    rows: ArrayLike<number>,
    cols: ArrayLike<number>,
    data: ArrayLike<number>,
  ) {
    this.shape = checkMatrixShape('CooMatrix', shape);
    checkTriplets('CooMatrix', this.shape, rows, cols, data);
    this.rows = Int32Array.from(rows);
    this.cols = Int32Array.from(cols);
    this.data = Float64Array.from(data);
  }

  /** Number of stored triplets (duplicates counted separately). */
  get nnz(): number {
    return this.data.length;
  }

  /** y = A x, O(nnz). */
  matvec(x: Float64Array, out = new Float64Array(this.shape[0])): Float64Array {
    checkVector('CooMatrix.matvec', x, this.shape[1]);
    checkVector('CooMatrix.matvec (out)', out, this.shape[0]);
    out.fill(0);
    for (let k = 0; k < this.data.length; k++)
      out[this.rows[k]!]! += this.data[k]! * x[this.cols[k]!]!;
    return out;
  }

  /** y = Aᵀ x, O(nnz). */
  rmatvec(x: Float64Array, out = new Float64Array(this.shape[1])): Float64Array {
    checkVector('CooMatrix.rmatvec', x, this.shape[0]);
    checkVector('CooMatrix.rmatvec (out)', out, this.shape[1]);
    out.fill(0);
    for (let k = 0; k < this.data.length; k++)
      out[this.cols[k]!]! += this.data[k]! * x[this.rows[k]!]!;
    return out;
  }

  /** CSR with duplicates summed and columns sorted. */
  toCsr(): CsrMatrix {
    return new CsrMatrix(
      this.shape,
      compressTriplets(this.shape[0], this.shape[1], this.rows, this.cols, this.data),
    );
  }

  /** CSC with duplicates summed and rows sorted. */
  toCsc(): CscMatrix {
    return new CscMatrix(
      this.shape,
      compressTriplets(this.shape[1], this.shape[0], this.cols, this.rows, this.data),
    );
  }

  /** Itself. */
  toCoo(): CooMatrix {
    return this;
  }

  /** Aᵀ (rows and columns swapped). */
  transpose(): CooMatrix {
    return new CooMatrix([this.shape[1], this.shape[0]], this.cols, this.rows, this.data);
  }

  /** The dense matrix as a float64 NDArray (duplicates summed). */
  toDense(): NDArray {
    return this.toCsr().toDense();
  }
}

/** Any of the three storage formats. @public */
export type SparseMatrix = CsrMatrix | CscMatrix | CooMatrix;
