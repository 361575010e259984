import { bind } from '../core/dispatch.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { take } from '../ops/index.js';
import { householderQR } from './kernels/qr.js';
import { matrixShape, readFiniteMatrix } from './util.js';

/** Q and R of a QR factorisation. @public */
export interface QRResult {
  /** Orthonormal columns: m×k (reduced, k = min(m, n)) or m×m (complete). */
  Q: NDArray;
  /** Upper triangular (trapezoidal): k×n (reduced) or m×n (complete). */
  R: NDArray;
}

/** Options of {@link qr}. @public */
export interface QROptions {
  /** `'reduced'` (default, economy: Q is m×min(m,n)) or `'complete'` (Q is m×m), as in NumPy. */
  mode?: 'reduced' | 'complete';
}

/**
 * QR factorisation A = Q R by Householder reflections (Golub & Van Loan 4th ed., Alg. 5.2.1; LAPACK
 * `dgeqrf` + `dorgqr`), reduced or complete, batched over leading axes. Backward stable for any A,
 * rank-deficient included; R's diagonal may be negative (LAPACK's sign convention).
 * @example
 * ```ts
 * const { Q, R } = qr(array([[3, 1], [4, 2]])); // R[0][0] = −5
 * ```
 * @public
 */
export function qr(a: NDArray, options: QROptions = {}): QRResult {
  matrixShape('qr', a);
  const [Q, R] = bind('qr', [a], { mode: options.mode ?? 'reduced' });
  return { Q: Q!, R: R! };
}

/** QR with column pivoting: A[:, perm] = Q R with |r₀₀| ≥ |r₁₁| ≥ …. @public */
export interface PivotedQRResult extends QRResult {
  /** int32 column permutation (n,). */
  perm: NDArray;
  /** Numerical rank: the number of |rᵢᵢ| > tol · |r₀₀|. */
  rank: number;
}

/**
 * QR with column pivoting, A P = Q R (Businger–Golub; Golub & Van Loan 4th ed., §5.4.2, with LAPACK
 * `dlaqp2`'s norm downdating): the pivot order is chosen greedily by largest remaining column norm, so the
 * magnitudes |rᵢᵢ| decrease and reveal the numerical rank (`tol` defaults to max(m, n)·ε, relative to
 * |r₀₀|). Q and R are the Householder QR of A[:, perm], so they are differentiable for a fixed `perm`.
 * @public
 */
export function qrPivoted(a: NDArray, options: QROptions & { tol?: number } = {}): PivotedQRResult {
  const [m, n] = matrixShape('qrPivoted', a);
  if (a.ndim !== 2) {
    throw new ShapeError(
      'qrPivoted',
      `needs one matrix (2-D), got shape ${formatShape(a.shape)}; loop over the batch`,
    );
  }
  const { perm } = householderQR(readFiniteMatrix('qrPivoted', a).slice(), m, n, true);
  const permArray = fromTypedArray(perm, [n], { backend: a.backend });
  const { Q, R } = qr(take(a, permArray, 1), options);
  return {
    Q,
    R,
    perm: permArray,
    rank: rankFromR(R, options.tol ?? Math.max(m, n) * Number.EPSILON),
  };
}

/** Number of diagonal entries of R with |rᵢᵢ| > tol·|r₀₀|. */
function rankFromR(R: NDArray, tol: number): number {
  const [k, n] = R.shape as [number, number];
  const d = peekValues(R);
  const r0 = k > 0 && n > 0 ? Math.abs(d[0]!) : 0;
  let rank = 0;
  for (let i = 0; i < Math.min(k, n); i++) if (Math.abs(d[i * n + i]!) > tol * r0) rank++;
  return rank;
}
