import { bind } from '../core/dispatch.js';
import { ValueError } from '../core/errors.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { slice } from '../ops/index.js';
import { matrixShape } from './util.js';

/** Factors of a singular value decomposition A = U diag(S) Vt. @public */
export interface SVDResult {
  /** Left singular vectors as orthonormal columns. */
  U: NDArray;
  /** Singular values, non-negative and descending, shape (…, k). */
  S: NDArray;
  /** Right singular vectors as orthonormal rows (Vᵀ, NumPy's `Vh`). */
  Vt: NDArray;
}

/**
 * Singular value decomposition A = U diag(S) Vt by Golub–Kahan bidiagonalisation and implicit-shift
 * bidiagonal QR (Golub & Kahan 1965; Golub & Van Loan 4th ed., Alg. 8.6.2), batched, following NumPy:
 * `fullMatrices` (default true) gives U m×m and Vt n×n; false gives the economy (reduced) SVD with U m×k,
 * Vt k×n, k = min(m, n). Singular values descend; U and V are orthonormal to O(n ε).
 * @example
 * ```ts
 * const { U, S, Vt } = svd(array([[3, 0], [0, -2]])); // S = [3, 2]
 * ```
 * @public
 */
export function svd(a: NDArray, options: { fullMatrices?: boolean } = {}): SVDResult {
  matrixShape('svd', a);
  const [U, S, Vt] = bind('svd', [a], { fullMatrices: options.fullMatrices ?? true });
  return { U: U!, S: S!, Vt: Vt! };
}

/** Singular values of A, descending (NumPy `svdvals`). @public */
export function svdvals(a: NDArray): NDArray {
  return svd(a, { fullMatrices: false }).S;
}

/** Leading `k` singular triplets of a reduced SVD (batch axes kept). */
function leading({ U, S, Vt }: SVDResult, k: number): SVDResult {
  const batch = S.shape.slice(0, -1).map(() => null);
  return {
    U: slice(U, ...batch, null, { stop: k }),
    S: slice(S, ...batch, { stop: k }),
    Vt: slice(Vt, ...batch, { stop: k }),
  };
}

/**
 * Truncated SVD: the best rank-`k` approximation A ≈ U_k diag(S_k) Vt_k in every unitarily invariant norm
 * (Eckart–Young–Mirsky), from the leading `k` triplets of the reduced SVD. For large matrices of low rank,
 * `randomizedSvd` is much cheaper.
 * @public
 */
export function svdTruncated(a: NDArray, k: number): SVDResult {
  const [m, n] = matrixShape('svdTruncated', a);
  if (!Number.isInteger(k) || k < 0 || k > Math.min(m, n)) {
    throw new ValueError(
      'svdTruncated',
      `k must be an integer in [0, ${Math.min(m, n)}] for a ${m}×${n} matrix, got ${k}`,
    );
  }
  return leading(svd(a, { fullMatrices: false }), k);
}

/**
 * Compact SVD: only the r triplets with σᵢ > rtol·σ₀ (r = numerical rank), so A = U_r diag(S_r) Vt_r with
 * U_r m×r and Vt_r r×n. `rtol` defaults to max(m, n)·ε, NumPy's `matrix_rank` tolerance. One matrix (2-D).
 * @public
 */
export function svdCompact(a: NDArray, options: { rtol?: number } = {}): SVDResult {
  const [m, n] = matrixShape('svdCompact', a);
  if (a.ndim !== 2)
    throw new ValueError('svdCompact', 'needs one matrix (2-D): the rank differs across a batch');
  const full = svd(a, { fullMatrices: false });
  return leading(full, rankOf(full.S, options.rtol ?? Math.max(m, n) * Number.EPSILON));
}

/** Number of singular values above rtol·σ₀ in a descending vector. */
export function rankOf(S: NDArray, rtol: number): number {
  const s = peekValues(S);
  if (s.length === 0) return 0;
  const tol = rtol * s[0]!;
  let r = 0;
  while (r < s.length && s[r]! > tol) r++;
  return r;
}
