import { ShapeError, ValueError } from '../core/errors.js';
import type { CooMatrix } from './coo.js';
import type { CscMatrix } from './csc.js';
import { CsrMatrix } from './csr.js';

/** The n×n identity (or m×n with ones on the main diagonal) in CSR form (SciPy `sparse.eye`). @public */
export function sparseEye(n: number, m = n): CsrMatrix {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) {
    throw new ValueError('sparseEye', `sizes must be non-negative integers, got ${n}×${m}`);
  }
  const k = Math.min(n, m);
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  return CsrMatrix.fromTriplets([n, m], idx, idx, new Float64Array(k).fill(1));
}

/**
 * A matrix from diagonals (SciPy `sparse.diags`): `diagonals[t]` is placed on diagonal `offsets[t]` (k > 0 above
 * the main one). A scalar is broadcast along its diagonal; an array must have the diagonal's length.
 * @example
 * ```ts
 * const T = sparseDiags([-1, 2, -1], [-1, 0, 1], [4, 4]); // 1-D Laplacian stencil
 * ```
 * @public
 */
export function sparseDiags(
  diagonals: readonly (number | ArrayLike<number>)[],
  offsets: readonly number[],
  shape: readonly [number, number],
): CsrMatrix {
  if (diagonals.length !== offsets.length) {
    throw new ShapeError(
      'sparseDiags',
      `${diagonals.length} diagonals for ${offsets.length} offsets`,
    );
  }
  const [m, n] = shape;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  offsets.forEach((k, t) => {
    if (!Number.isInteger(k))
      throw new ValueError('sparseDiags', `offsets must be integers, got ${k}`);
    const len = Math.max(0, Math.min(m + Math.min(k, 0), n - Math.max(k, 0)));
    const d = diagonals[t]!;
    if (typeof d !== 'number' && d.length !== len) {
      throw new ShapeError(
        'sparseDiags',
        `diagonal ${k} of a ${m}×${n} matrix has ${len} entries, got ${d.length}`,
      );
    }
    const r0 = Math.max(0, -k);
    for (let s = 0; s < len; s++) {
      rows.push(r0 + s);
      cols.push(r0 + s + k);
      vals.push(typeof d === 'number' ? d : d[s]!);
    }
  });
  return CsrMatrix.fromTriplets(shape, rows, cols, vals);
}

/**
 * Kronecker product A ⊗ B in CSR: block (i, j) is A[i, j]·B, so nnz = nnz(A)·nnz(B) (SciPy `sparse.kron`).
 * The 2-D Laplacian on an nx×ny grid is I⊗T_x + T_y⊗I.
 * @public
 */
export function sparseKron(
  a: CsrMatrix | CscMatrix | CooMatrix,
  b: CsrMatrix | CscMatrix | CooMatrix,
): CsrMatrix {
  const A = a.toCsr();
  const B = b.toCsr();
  const [ma, na] = A.shape;
  const [mb, nb] = B.shape;
  const m = ma * mb;
  const indptr = new Int32Array(m + 1);
  const indices = new Int32Array(A.nnz * B.nnz);
  const data = new Float64Array(A.nnz * B.nnz);
  let w = 0;
  for (let ia = 0; ia < ma; ia++) {
    for (let ib = 0; ib < mb; ib++) {
      // row ia·mb + ib: for each entry of A's row (sorted), B's row shifted by ja·nb (sorted, so the row stays sorted)
      for (let p = A.indptr[ia]!; p < A.indptr[ia + 1]!; p++) {
        const base = A.indices[p]! * nb;
        const av = A.data[p]!;
        for (let q = B.indptr[ib]!; q < B.indptr[ib + 1]!; q++) {
          indices[w] = base + B.indices[q]!;
          data[w++] = av * B.data[q]!;
        }
      }
      indptr[ia * mb + ib + 1] = w;
    }
  }
  return new CsrMatrix([m, na * nb], { indptr, indices, data });
}
