import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import { assertFinite } from '../core/finite.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { zeros } from '../ops/creation.js';
import { concat, expandDims, matmul, mul, reshape, slice, sub, sum, take } from '../ops/index.js';
import { qrPivoted } from './qr.js';
import { rankOf, svd } from './svd.js';
import { defaultRtol, invertSingularValues } from './pinv.js';
import { solveTriangular } from './triangular.js';
import { matrixShape } from './util.js';

/** Result of {@link lstsq}. @public */
export interface LstsqResult {
  /** Solution, (n,) or (n, k) like b. */
  x: NDArray;
  /** Squared residual norms ‖b − A x‖² per column of b: shape () for a vector b, (k,) otherwise. */
  residuals: NDArray;
  /** Numerical rank of A at the tolerance used. */
  rank: number;
  /** Singular values of A, descending (SVD path), or |rᵢᵢ| of the pivoted QR (QR path). */
  singularValues: NDArray;
}

/** Options of {@link lstsq}. @public */
export interface LstsqOptions {
  /** Relative cut-off: singular values (or |rᵢᵢ|) below rtol times the largest count as zero; default max(m, n)·ε. */
  rtol?: number;
  /**
   * `'svd'` (default): the minimum-norm solution, as NumPy's `lstsq` (LAPACK `dgelsd`-like). `'qr'`: QR with
   * column pivoting, which gives the basic solution (at most rank nonzeros, MATLAB's backslash); it equals
   * the SVD solution when A has full column rank, and is cheaper.
   */
  method?: 'svd' | 'qr';
}

/**
 * Least-squares solution of A x ≈ b, minimising ‖b − A x‖₂ (and ‖x‖₂ among minimisers, on the SVD path),
 * for any m×n A, rank-deficient included (Golub & Van Loan 4th ed., §5.3 and §5.5). `b` is (m,) or (m, k).
 * NaN or ±Infinity in A or in b throws `NotFiniteError` (on both methods), as `solve` does.
 * @example
 * ```ts
 * // fit y = c₀ + c₁ t through three points
 * lstsq(array([[1, 0], [1, 1], [1, 2]]), array([1, 3, 4])).x; // [7/6, 3/2]
 * ```
 * @public
 */
export function lstsq(a: NDArray, b: NDArray, options: LstsqOptions = {}): LstsqResult {
  const [m, n] = matrixShape('lstsq', a);
  if (a.ndim !== 2)
    throw new ShapeError('lstsq', `needs one matrix A (2-D), got ${formatShape(a.shape)}`);
  const isVector = b.ndim === 1;
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== m) {
    throw new ShapeError(
      'lstsq',
      `A is ${formatShape(a.shape)} so b must be (${m},) or (${m}, k), got ${formatShape(b.shape)}`,
    );
  }
  // the non-finite-input policy (see assertFinite): both paths, and NaN in A or b alike, fail here
  assertFinite('lstsq', 'A', a);
  assertFinite('lstsq', 'b', b);
  const rtol = options.rtol ?? defaultRtol(m, n, a.dtype);
  const B = isVector ? reshape(b, [m, 1]) : b;
  const method = options.method ?? 'svd';
  let x: NDArray;
  let rank: number;
  let singularValues: NDArray;
  if (method === 'svd') {
    const { U, S, Vt } = svd(a, { fullMatrices: false });
    rank = rankOf(S, rtol);
    singularValues = S;
    // x = V Σ⁺ Uᵀ b
    const c = mul(matmul(U, B, { transA: true }), expandDims(invertSingularValues(S, rtol), -1));
    x = matmul(Vt, c, { transA: true });
  } else if (method === 'qr') {
    const { Q, R, perm, rank: r } = qrPivoted(a, { tol: rtol });
    rank = r;
    const k = B.shape[1]!;
    const diag = peekValues(R);
    const rn = R.shape[1]!;
    singularValues = fromTypedArray(
      Float64Array.from({ length: Math.min(m, n) }, (_, i) => Math.abs(diag[i * rn + i]!)),
      [Math.min(m, n)],
    );
    // R₁₁ z = (Qᵀ b)[:r], z padded with zeros, then undo the column permutation
    let z =
      r === 0
        ? zeros([0, k], { dtype: a.dtype as 'float64' })
        : solveTriangular(
            slice(R, { stop: r }, { stop: r }),
            slice(matmul(Q, B, { transA: true }), { stop: r }),
            { lower: false },
          );
    if (r < n) z = concat([z, zeros([n - r, k], { dtype: a.dtype as 'float64' })], { axis: 0 });
    const inversePerm = new Int32Array(n);
    peekValues(perm).forEach((p, i) => {
      inversePerm[p] = i;
    });
    x = take(z, fromTypedArray(inversePerm, [n]), 0);
  } else {
    throw new ValueError('lstsq', `method must be 'svd' or 'qr', got '${String(method)}'`);
  }
  const r = sub(B, matmul(a, x));
  const residuals = sum(mul(r, r), { axis: 0 });
  return {
    x: isVector ? reshape(x, [n]) : x,
    residuals: isVector ? reshape(residuals, []) : residuals,
    rank,
    singularValues,
  };
}
