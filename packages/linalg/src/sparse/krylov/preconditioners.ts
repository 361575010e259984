import { ShapeError, SingularMatrixError, ValueError } from '../../core/errors.js';
import type { SparseMatrix } from '../coo.js';
import type { CsrMatrix } from '../csr.js';
import type { MatrixShape } from '../format.js';
import { type LinearMap, checkVector } from '../operator.js';

function squareCsr(op: string, a: SparseMatrix): CsrMatrix {
  const A = a.toCsr();
  if (A.shape[0] !== A.shape[1])
    throw new ShapeError(op, `needs a square matrix, got ${A.shape.join('×')}`);
  // the sweeps read each row's lower part before its diagonal: canonicalise unsorted or duplicated rows
  for (let i = 0; i < A.shape[0]; i++) {
    for (let k = A.indptr[i]! + 1; k < A.indptr[i + 1]!; k++)
      if (A.indices[k - 1]! >= A.indices[k]!) return A.toCoo().toCsr();
  }
  return A;
}

/** Position of each row's diagonal entry in CSR storage; a missing or zero diagonal is a SingularMatrixError. */
function diagonalPositions(op: string, A: CsrMatrix): Int32Array {
  const n = A.shape[0];
  const at = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = A.indptr[i]!; k < A.indptr[i + 1]!; k++) if (A.indices[k] === i) at[i] = k;
    if (at[i]! < 0 || A.data[at[i]!] === 0) {
      throw new SingularMatrixError(
        op,
        `the diagonal entry of row ${i} is zero or not stored; reorder the unknowns or use another preconditioner`,
      );
    }
  }
  return at;
}

/**
 * Jacobi (diagonal) preconditioner: applies M⁻¹ r = D⁻¹ r with D = diag(A) (Saad, Iterative Methods, §10.2).
 * @public
 */
export function jacobi(a: SparseMatrix): LinearMap {
  const A = squareCsr('jacobi', a);
  const n = A.shape[0];
  const pos = diagonalPositions('jacobi', A);
  const inv = Float64Array.from(pos, (k) => 1 / A.data[k]!);
  return {
    shape: A.shape,
    matvec(r: Float64Array, out = new Float64Array(n)) {
      checkVector('jacobi', r, n);
      checkVector('jacobi (out)', out, n);
      for (let i = 0; i < n; i++) out[i] = inv[i]! * r[i]!;
      return out;
    },
  };
}

/**
 * Symmetric successive over-relaxation preconditioner M = (D + ωL) D⁻¹ (D + ωU) / (ω(2 − ω)) for 0 < ω < 2
 * (Saad, Iterative Methods, §10.2, eq. 10.10): one forward and one backward Gauss–Seidel sweep per
 * application; symmetric positive definite when A is, so it suits CG and MINRES.
 * @public
 */
export function ssor(a: SparseMatrix, options: { omega?: number } = {}): LinearMap {
  const A = squareCsr('ssor', a);
  const omega = options.omega ?? 1;
  if (!(omega > 0 && omega < 2))
    throw new ValueError('ssor', `omega must lie in (0, 2), got ${omega}`);
  const n = A.shape[0];
  const pos = diagonalPositions('ssor', A);
  const { indptr, indices, data } = A;
  const scale = omega * (2 - omega);
  return {
    shape: A.shape,
    matvec(r: Float64Array, out = new Float64Array(n)) {
      checkVector('ssor', r, n);
      checkVector('ssor (out)', out, n);
      // forward: (D + ωL) y = r
      for (let i = 0; i < n; i++) {
        let s = r[i]!;
        for (let k = indptr[i]!; k < pos[i]!; k++) s -= omega * data[k]! * out[indices[k]!]!;
        out[i] = s / data[pos[i]!]!;
      }
      // z = D y, then backward: (D + ωU) w = z, scaled by ω(2 − ω)
      for (let i = n - 1; i >= 0; i--) {
        let s = data[pos[i]!]! * out[i]!;
        for (let k = pos[i]! + 1; k < indptr[i + 1]!; k++)
          s -= omega * data[k]! * out[indices[k]!]!;
        out[i] = s / data[pos[i]!]!;
      }
      for (let i = 0; i < n; i++) out[i]! *= scale;
      return out;
    },
  };
}

/** An incomplete LU factorisation with the sparsity pattern of A, applied as M⁻¹ r = U⁻¹ L⁻¹ r. @public */
export interface Ilu0 extends LinearMap {
  /** [n, n]. */
  readonly shape: MatrixShape;
  /** L (unit lower, below the diagonal) and U (on and above it) in A's CSR pattern. */
  readonly factors: CsrMatrix;
}

/**
 * ILU(0): LU factors restricted to the non-zero pattern of A (Saad, Iterative Methods, Alg. 10.4, IKJ variant).
 * Needs every diagonal entry stored and non-zero; a zero pivot during elimination is a SingularMatrixError.
 * @public
 */
export function ilu0(a: SparseMatrix): Ilu0 {
  const A = squareCsr('ilu0', a);
  const n = A.shape[0];
  const { indptr, indices } = A;
  const lu = A.data.slice();
  const pos = diagonalPositions('ilu0', A);
  const where = new Int32Array(n).fill(-1); // column → storage position within the current row
  for (let i = 1; i < n; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) where[indices[k]!] = k;
    for (let k = indptr[i]!; k < pos[i]!; k++) {
      const col = indices[k]!; // l_{i,col} = a_{i,col} / u_{col,col}
      const lik = lu[k]! / lu[pos[col]!]!;
      lu[k] = lik;
      for (let q = pos[col]! + 1; q < indptr[col + 1]!; q++) {
        const at = where[indices[q]!]!;
        if (at >= 0) lu[at]! -= lik * lu[q]!;
      }
    }
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) where[indices[k]!] = -1;
    if (lu[pos[i]!] === 0 || !Number.isFinite(lu[pos[i]!]!)) {
      throw new SingularMatrixError(
        'ilu0',
        `zero pivot in row ${i}; use jacobi or ssor, or reorder the unknowns`,
      );
    }
  }
  const factors = A.withData(lu);
  return {
    shape: A.shape,
    factors,
    matvec(r: Float64Array, out = new Float64Array(n)) {
      checkVector('ilu0', r, n);
      checkVector('ilu0 (out)', out, n);
      for (let i = 0; i < n; i++) {
        let s = r[i]!;
        for (let k = indptr[i]!; k < pos[i]!; k++) s -= lu[k]! * out[indices[k]!]!;
        out[i] = s;
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = out[i]!;
        for (let k = pos[i]! + 1; k < indptr[i + 1]!; k++) s -= lu[k]! * out[indices[k]!]!;
        out[i] = s / lu[pos[i]!]!;
      }
      return out;
    },
  };
}
