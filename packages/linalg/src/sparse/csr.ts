import { ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { spmmF64, spmvF64 } from '../kernels/spmv.js';
import { CooMatrix } from './coo.js';
import { CscMatrix } from './csc.js';
import { type CompressedArrays, CompressedMatrix } from './compressed.js';
import { checkMatrixShape, checkTriplets, compressTriplets } from './format.js';
import { type LinearMap, checkVector } from './operator.js';

/**
 * Compressed sparse row matrix: row i holds columns `indices[indptr[i] … indptr[i+1])` with values `data[…]`.
 * Constructors keep indices sorted and duplicate-free within each row (canonical form); every kernel here is
 * a plain typed-array loop over the stored entries, O(nnz).
 * @public
 */
export class CsrMatrix extends CompressedMatrix implements LinearMap {
  /** Storage format tag. */
  readonly format = 'csr' as const;

  /** Wraps existing CSR arrays (validated, not copied; do not mutate them afterwards). */
  constructor(shape: readonly number[], arrays: CompressedArrays) {
    super('CsrMatrix', 0, shape, arrays);
  }

  /** Builds from triplets (rows[k], cols[k], values[k]); duplicate positions are summed (SciPy's `coo → csr`). */
  static fromTriplets(
    shape: readonly number[],
    rows: ArrayLike<number>,
    cols: ArrayLike<number>,
    values: ArrayLike<number>,
  ): CsrMatrix {
    const s = checkMatrixShape('CsrMatrix.fromTriplets', shape);
    checkTriplets('CsrMatrix.fromTriplets', s, rows, cols, values);
    return new CsrMatrix(s, compressTriplets(s[0], s[1], rows, cols, values));
  }

  /** Stores the non-zero entries of a dense 2-D NDArray (entries with |a| ≤ `dropTol` are dropped; default 0). */
  static fromDense(a: NDArray, options: { dropTol?: number } = {}): CsrMatrix {
    if (a.ndim !== 2)
      throw new ShapeError(
        'CsrMatrix.fromDense',
        `expected a 2-D array, got shape [${a.shape.join(', ')}]`,
      );
    const [m, n] = [a.shape[0]!, a.shape[1]!];
    const v = a.dataSync() as ArrayLike<number>;
    const tol = options.dropTol ?? 0;
    const indptr = new Int32Array(m + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const x = v[i * n + j]!;
        if (Math.abs(x) > tol || Number.isNaN(x)) {
          cols.push(j);
          vals.push(x);
        }
      }
      indptr[i + 1] = cols.length;
    }
    return new CsrMatrix([m, n], {
      indptr,
      indices: Int32Array.from(cols),
      data: Float64Array.from(vals),
    });
  }

  /**
   * y = A x (length rows), O(nnz): from the second product with the same matrix in wasm on a resident copy,
   * split over the worker pool when large (bitwise the same numbers as the TypeScript loop).
   */
  matvec(x: Float64Array, out = new Float64Array(this.shape[0])): Float64Array {
    checkVector('CsrMatrix.matvec', x, this.shape[1]);
    checkVector('CsrMatrix.matvec (out)', out, this.shape[0]);
    spmvF64(this.shape[0], this, x, out);
    return out;
  }

  /** y = Aᵀ x (length columns), by scattering each row, O(nnz). */
  rmatvec(x: Float64Array, out?: Float64Array): Float64Array {
    return this.scatterProduct('CsrMatrix.rmatvec', x, out);
  }

  /** Y = A B for a row-major dense B of shape [columns, k]; returns row-major [rows, k] (wasm like {@link CsrMatrix.matvec}). */
  matmat(b: Float64Array, k: number, out = new Float64Array(this.shape[0] * k)): Float64Array {
    checkVector('CsrMatrix.matmat', b, this.shape[1] * k);
    checkVector('CsrMatrix.matmat (out)', out, this.shape[0] * k);
    spmmF64(this.shape[0], k, this, b, out);
    return out;
  }

  /** The dense matrix as a float64 NDArray. */
  toDense(): NDArray {
    const [m, n] = this.shape;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let k = this.indptr[i]!; k < this.indptr[i + 1]!; k++)
        out[i * n + this.indices[k]!]! += this.data[k]!;
    return fromTypedArray(out, [m, n]);
  }

  /** Itself (conversion protocol shared by the formats). */
  toCsr(): CsrMatrix {
    return this;
  }

  /** Compressed sparse column form (same matrix). */
  toCsc(): CscMatrix {
    return new CscMatrix(this.shape, this.recompressed());
  }

  /** Coordinate form (row-major order). */
  toCoo(): CooMatrix {
    const rows = new Int32Array(this.nnz);
    for (let i = 0; i < this.shape[0]; i++) rows.fill(i, this.indptr[i]!, this.indptr[i + 1]!);
    return new CooMatrix(this.shape, rows, this.indices.slice(), this.data.slice());
  }

  /** Aᵀ in CSR form, O(nnz). */
  transpose(): CsrMatrix {
    return new CsrMatrix([this.shape[1], this.shape[0]], this.recompressed());
  }

  /** s·A. */
  scale(s: number): CsrMatrix {
    return this.withData(this.data.map((v) => s * v));
  }

  /** The same sparsity pattern with new stored values (e.g. for a differentiable `values` argument). */
  withData(data: ArrayLike<number>): CsrMatrix {
    if (data.length !== this.nnz) {
      throw new ShapeError(
        'CsrMatrix.withData',
        `expected ${this.nnz} values (one per stored entry), got ${data.length}`,
      );
    }
    return new CsrMatrix(this.shape, {
      indptr: this.indptr,
      indices: this.indices,
      data: Float64Array.from(data),
    });
  }

  /** α·A + β·B for B of the same shape, in canonical CSR (a sorted merge of each row). */
  add(b: CsrMatrix | CscMatrix | CooMatrix, beta = 1, alpha = 1): CsrMatrix {
    const B = b.toCsr();
    if (B.shape[0] !== this.shape[0] || B.shape[1] !== this.shape[1]) {
      throw new ShapeError(
        'CsrMatrix.add',
        `shapes [${this.shape.join(', ')}] and [${B.shape.join(', ')}] differ`,
      );
    }
    const m = this.shape[0];
    const indptr = new Int32Array(m + 1);
    const indices = new Int32Array(this.nnz + B.nnz);
    const data = new Float64Array(this.nnz + B.nnz);
    let w = 0;
    for (let i = 0; i < m; i++) {
      let p = this.indptr[i]!;
      let q = B.indptr[i]!;
      const pe = this.indptr[i + 1]!;
      const qe = B.indptr[i + 1]!;
      while (p < pe || q < qe) {
        const cp = p < pe ? this.indices[p]! : Number.MAX_SAFE_INTEGER;
        const cq = q < qe ? B.indices[q]! : Number.MAX_SAFE_INTEGER;
        if (cp === cq) {
          indices[w] = cp;
          data[w++] = alpha * this.data[p++]! + beta * B.data[q++]!;
        } else if (cp < cq) {
          indices[w] = cp;
          data[w++] = alpha * this.data[p++]!;
        } else {
          indices[w] = cq;
          data[w++] = beta * B.data[q++]!;
        }
      }
      indptr[i + 1] = w;
    }
    return new CsrMatrix(this.shape, {
      indptr,
      indices: indices.slice(0, w),
      data: data.slice(0, w),
    });
  }

  /** The k-th diagonal (k > 0 above, k < 0 below the main one) as a float64 vector. */
  diagonal(k = 0): Float64Array {
    if (!Number.isInteger(k))
      throw new ValueError('CsrMatrix.diagonal', `k must be an integer, got ${k}`);
    const [m, n] = this.shape;
    const len = Math.max(0, Math.min(m + Math.min(k, 0), n - Math.max(k, 0)));
    const out = new Float64Array(len);
    const r0 = Math.max(0, -k);
    for (let t = 0; t < len; t++) {
      const i = r0 + t;
      const j = i + k;
      for (let p = this.indptr[i]!; p < this.indptr[i + 1]!; p++)
        if (this.indices[p] === j) out[t]! += this.data[p]!;
    }
    return out;
  }

  /** Rows start … end−1 (a NumPy-style half-open row slice; negative bounds count from the end). */
  sliceRows(start: number, end = this.shape[0]): CsrMatrix {
    const m = this.shape[0];
    const s = Math.min(m, Math.max(0, start < 0 ? m + start : start));
    const e = Math.min(m, Math.max(s, end < 0 ? m + end : end));
    if (!Number.isInteger(s) || !Number.isInteger(e))
      throw new ValueError('CsrMatrix.sliceRows', 'bounds must be integers');
    const base = this.indptr[s]!;
    const indptr = this.indptr.slice(s, e + 1).map((p) => p - base);
    return new CsrMatrix([e - s, this.shape[1]], {
      indptr,
      indices: this.indices.slice(base, this.indptr[e]!),
      data: this.data.slice(base, this.indptr[e]!),
    });
  }

  /** The rows listed in `rows` (repeats allowed), in that order. */
  selectRows(rows: ArrayLike<number>): CsrMatrix {
    const indptr = new Int32Array(rows.length + 1);
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
        throw new ValueError(
          'CsrMatrix.selectRows',
          `row ${i} lies outside 0…${this.shape[0] - 1}`,
        );
      }
      indptr[t + 1] = indptr[t]! + this.indptr[i + 1]! - this.indptr[i]!;
    }
    const indices = new Int32Array(indptr[rows.length]!);
    const data = new Float64Array(indptr[rows.length]!);
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t]!;
      indices.set(this.indices.subarray(this.indptr[i]!, this.indptr[i + 1]!), indptr[t]!);
      data.set(this.data.subarray(this.indptr[i]!, this.indptr[i + 1]!), indptr[t]!);
    }
    return new CsrMatrix([rows.length, this.shape[1]], { indptr, indices, data });
  }
}
