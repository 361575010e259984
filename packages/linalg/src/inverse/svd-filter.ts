import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { svd } from '../decomp/svd.js';
import { fromTypedArray } from '../ops/creation.js';

/**
 * The economy SVD of A with Uᵀb precomputed: everything the SVD-filter solutions, GCV and the L-curve need
 * (computed once, reused for every regularisation parameter).
 */
export interface SvdSystem {
  /** Singular values σ₁ ≥ … ≥ σ_k. */
  s: Float64Array;
  /** Coefficients βᵢ = uᵢᵀb. */
  beta: Float64Array;
  /** Vᵀ (k×n, row-major). */
  Vt: Float64Array;
  /** ‖b‖² − ‖Uᵀb‖²: the part of b outside the range of U (incompatible with any x). */
  outside: number;
  m: number;
  n: number;
}

/** Factors A once for SVD-filter solutions of A x ≈ b. */
export function svdSystem(A: NDArray, b: NDArray): SvdSystem {
  if (A.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== A.shape[0]) {
    throw new ShapeError(
      'svdSystem',
      `needs A (m, n) and b (m,), got ${formatShape(A.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [m, n] = A.shape as [number, number];
  const { U, S, Vt } = svd(A, { fullMatrices: false });
  const k = S.size;
  const u = U.dataSync();
  const bv = b.dataSync();
  const beta = new Float64Array(k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) beta[j]! += u[i * k + j]! * bv[i]!;
  let bb = 0;
  for (const v of bv) bb += v * v;
  let inside = 0;
  for (const v of beta) inside += v * v;
  return {
    s: Float64Array.from(S.dataSync()),
    beta,
    Vt: Float64Array.from(Vt.dataSync()),
    outside: Math.max(bb - inside, 0),
    m,
    n,
  };
}

/** Tikhonov filter factors fᵢ = σᵢ² / (σᵢ² + α²) (Hansen, Rank-Deficient and Discrete Ill-Posed Problems, §4.2). */
export function tikhonovFilterFactors(s: ArrayLike<number>, alpha: number): Float64Array {
  return Float64Array.from(s, (si) => (si * si) / (si * si + alpha * alpha));
}

/** Truncated-SVD filter factors: 1 for the k largest singular values, 0 after. */
export function tsvdFilterFactors(s: ArrayLike<number>, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 0 || k > s.length)
    throw new ValueError('tsvdFilterFactors', `k must be in [0, ${s.length}], got ${k}`);
  return Float64Array.from(s, (_, i) => (i < k ? 1 : 0));
}

/** Landweber filter factors after k iterations with step ω: fᵢ = 1 − (1 − ωσᵢ²)ᵏ (Hansen §6.1). */
export function landweberFilterFactors(
  s: ArrayLike<number>,
  omega: number,
  k: number,
): Float64Array {
  return Float64Array.from(s, (si) => 1 - (1 - omega * si * si) ** k);
}

/** x = Σ fᵢ (uᵢᵀb / σᵢ) vᵢ: the SVD-filtered solution for filter factors f (zero where σᵢ = 0). */
export function filteredSolution(sys: SvdSystem, f: ArrayLike<number>): NDArray {
  const { s, beta, Vt, n } = sys;
  const x = new Float64Array(n);
  for (let i = 0; i < s.length; i++) {
    if (s[i] === 0 || f[i] === 0) continue;
    const c = (f[i]! * beta[i]!) / s[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) x[j]! += c * Vt[row + j]!;
  }
  return fromTypedArray(x);
}

/** ‖A x_f − b‖² for the filtered solution: Σ ((1 − fᵢ) βᵢ)² plus the part of b outside range(U). */
export function filteredResidualNormSq(sys: SvdSystem, f: ArrayLike<number>): number {
  let r = sys.outside;
  for (let i = 0; i < sys.s.length; i++) r += ((1 - f[i]!) * sys.beta[i]!) ** 2;
  return r;
}

/** ‖x_f‖² = Σ (fᵢ βᵢ / σᵢ)². */
export function filteredSolutionNormSq(sys: SvdSystem, f: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < sys.s.length; i++)
    if (sys.s[i]! > 0) x += ((f[i]! * sys.beta[i]!) / sys.s[i]!) ** 2;
  return x;
}

/** Truncated-SVD solution x_k = Σ_{i≤k} (uᵢᵀb/σᵢ) vᵢ of A x ≈ b. */
export function tsvdSolve(A: NDArray, b: NDArray, k: number): NDArray {
  const sys = svdSystem(A, b);
  return filteredSolution(sys, tsvdFilterFactors(sys.s, k));
}
