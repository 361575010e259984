import { ShapeError, formatShape } from '../core/errors.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { mT, matmul, slice, take } from '../ops/index.js';
import { defaultRtol } from './pinv.js';
import { qr } from './qr.js';
import { rankOf, svd } from './svd.js';
import { solveTriangular } from './triangular.js';
import { fromFloat64, readFloat64, readFiniteMatrix } from './util.js';

function oneMatrix(op: string, a: NDArray): [number, number] {
  if (a.ndim !== 2)
    throw new ShapeError(op, `needs one matrix (2-D), got shape ${formatShape(a.shape)}`);
  return a.shape as [number, number];
}

/**
 * Numerical rank: the number of singular values above rtol·σ_max (NumPy `matrix_rank`; Golub & Van Loan
 * 4th ed., §5.4.1). `rtol` defaults to max(m, n)·ε.
 * @public
 */
export function matrixRank(a: NDArray, options: { rtol?: number } = {}): number {
  const [m, n] = oneMatrix('matrixRank', a);
  return rankOf(svd(a, { fullMatrices: false }).S, options.rtol ?? defaultRtol(m, n, a.dtype));
}

/**
 * Orthonormal basis of the column space (range) of A: the first r left singular vectors, r = numerical
 * rank (SciPy `orth`). Shape m×r.
 * @public
 */
export function columnSpace(a: NDArray, options: { rtol?: number } = {}): NDArray {
  const [m, n] = oneMatrix('columnSpace', a);
  const { U, S } = svd(a, { fullMatrices: false });
  return slice(U, null, { stop: rankOf(S, options.rtol ?? defaultRtol(m, n, a.dtype)) });
}

/** Orthonormal basis of the row space of A (columns, n×r): the first r right singular vectors. @public */
export function rowSpace(a: NDArray, options: { rtol?: number } = {}): NDArray {
  const [m, n] = oneMatrix('rowSpace', a);
  const { S, Vt } = svd(a, { fullMatrices: false });
  return mT(slice(Vt, { stop: rankOf(S, options.rtol ?? defaultRtol(m, n, a.dtype)) }));
}

/**
 * Orthonormal basis of the null space {x : A x = 0} (columns, n×(n−r)): the last n − r right singular
 * vectors of the full SVD (SciPy `null_space`).
 * @public
 */
export function nullSpace(a: NDArray, options: { rtol?: number } = {}): NDArray {
  const [m, n] = oneMatrix('nullSpace', a);
  const { S, Vt } = svd(a, { fullMatrices: true });
  return mT(slice(Vt, { start: rankOf(S, options.rtol ?? defaultRtol(m, n, a.dtype)) }));
}

/** Orthonormal basis of the left null space {y : Aᵀ y = 0} (columns, m×(m−r)). @public */
export function leftNullSpace(a: NDArray, options: { rtol?: number } = {}): NDArray {
  const [m, n] = oneMatrix('leftNullSpace', a);
  const { U, S } = svd(a, { fullMatrices: true });
  return slice(U, null, { start: rankOf(S, options.rtol ?? defaultRtol(m, n, a.dtype)) });
}

/** A = C R with C the independent columns of A. @public */
export interface CRResult {
  /** The r columns of A that are independent of the columns before them (m×r). */
  C: NDArray;
  /** r×n with R[:, columns] = I: column j of A is C R[:, j] (the nonzero rows of rref(A)). */
  R: NDArray;
  /** Indices of the columns of A kept in C, ascending. */
  columns: number[];
}

/**
 * CR factorisation A = C R (Strang, "Linear Algebra for Everyone", 2020): C holds the first column of A
 * that is nonzero and every later column not in the span of those before it (greedy, left to right, tested
 * by orthogonal projection with re-orthogonalised Gram–Schmidt against rtol·‖A‖₂, rtol = max(m, n)·ε by
 * default); R = C⁺A is the reduced row echelon form without its zero rows, with the identity in the pivot
 * columns set exactly.
 * @public
 */
export function crFactorization(a: NDArray, options: { rtol?: number } = {}): CRResult {
  const [m, n] = oneMatrix('crFactorization', a);
  const rtol = options.rtol ?? defaultRtol(m, n, a.dtype);
  const data = readFiniteMatrix('crFactorization', a);
  const sigmaMax = n === 0 || m === 0 ? 0 : (peekValues(svd(a, { fullMatrices: false }).S)[0] ?? 0);
  const tol = rtol * sigmaMax;
  const basis: Float64Array[] = [];
  const columns: number[] = [];
  const v = new Float64Array(m);
  for (let j = 0; j < n && basis.length < m; j++) {
    for (let i = 0; i < m; i++) v[i] = data[i * n + j]!;
    // two passes of Gram–Schmidt ("twice is enough", Giraud et al. 2005)
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= d * q[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.hypot(norm, v[i]!);
    if (norm > tol && norm > 0) {
      basis.push(v.map((x) => x / norm));
      columns.push(j);
    }
  }
  const r = columns.length;
  const C = take(a, columns, 1);
  let R: Float64Array;
  if (r === 0) {
    R = new Float64Array(0);
  } else {
    // R = C⁺ A = R_c⁻¹ Q_cᵀ A for the full-column-rank C = Q_c R_c
    const { Q, R: Rc } = qr(C);
    R = readFloat64(solveTriangular(Rc, matmul(Q, a, { transA: true }), { lower: false })).slice();
    columns.forEach((c, i) => {
      for (let k = 0; k < r; k++) R[k * n + c] = k === i ? 1 : 0;
    });
  }
  return { C, R: fromFloat64(R, [r, n], a), columns };
}
