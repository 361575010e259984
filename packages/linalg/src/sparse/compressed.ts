import {
  checkCompressed,
  checkMatrixShape,
  type MatrixShape,
  transposeCompressed,
} from './format.js';
import { checkVector } from './operator.js';

/** Storage of a CSR or CSC matrix, as SciPy names it. @public */
export interface CompressedArrays {
  /** Pointer array: the entries of outer slice i are `indices/data[indptr[i] … indptr[i+1])`. */
  indptr: Int32Array;
  /** Inner index (column for CSR, row for CSC) of each stored entry. */
  indices: Int32Array;
  /** Stored values (float64). */
  data: Float64Array;
}

/**
 * What CSR and CSC share: validated compressed arrays over an outer axis (rows for CSR, columns for CSC).
 * The two formats are the same storage read along different axes, so the validation, the scatter product and
 * the re-compression live here once.
 * @public
 */
export abstract class CompressedMatrix {
  /** [rows, columns]. */
  readonly shape: MatrixShape;
  /** Outer-slice pointers (outer length + 1 entries). */
  readonly indptr: Int32Array;
  /** Inner index of each stored entry. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly data: Float64Array;
  /** 0 when rows are compressed (CSR), 1 when columns are (CSC). */
  protected readonly outerAxis: 0 | 1;

  /** Validates and wraps the arrays (not copied; do not mutate them afterwards). */
  protected constructor(
    op: string,
    outerAxis: 0 | 1,
    shape: readonly number[],
    arrays: CompressedArrays,
  ) {
    this.shape = checkMatrixShape(op, shape);
    this.outerAxis = outerAxis;
    const outer = this.shape[outerAxis];
    const inner = this.shape[1 - outerAxis]!;
    checkCompressed(op, outer, inner, arrays.indptr, arrays.indices, arrays.data);
    this.indptr = arrays.indptr;
    this.indices = arrays.indices;
    this.data = arrays.data;
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.data.length;
  }

  /**
   * y[indices[k]] += data[k]·x[i] over the entries k of every outer slice i, O(nnz): Aᵀx for CSR storage,
   * A x for CSC storage. Both `x` and `out` are length-checked, so a short `out` is an error rather than
   * silently dropped writes.
   */
  protected scatterProduct(
    op: string,
    x: Float64Array,
    out: Float64Array | undefined,
  ): Float64Array {
    const outer = this.shape[this.outerAxis];
    const inner = this.shape[1 - this.outerAxis]!;
    checkVector(op, x, outer);
    const y = out ?? new Float64Array(inner);
    checkVector(`${op} (out)`, y, inner);
    const { indptr, indices, data } = this;
    y.fill(0);
    for (let i = 0; i < outer; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) y[indices[k]!]! += data[k]! * xi;
    }
    return y;
  }

  /** The same matrix compressed along the other axis (CSR arrays ↔ CSC arrays), O(nnz). */
  protected recompressed(): CompressedArrays {
    const outer = this.shape[this.outerAxis];
    const inner = this.shape[1 - this.outerAxis]!;
    return transposeCompressed(outer, inner, this.indptr, this.indices, this.data);
  }
}
