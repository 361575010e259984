import { ConvergenceError, ShapeError, ValueError } from '../../core/errors.js';
import type { NDArray } from '../../core/ndarray.js';
import { eigh } from '../../decomp/eigh.js';
import { fromTypedArray } from '../../ops/creation.js';
import { Generator } from '../../random/generator.js';
import { type LinearMap, aslinearoperator } from '../operator.js';
import { dot, norm } from './common.js';

/** Options of {@link eigsh}. @public */
export interface EigshOptions {
  /** Number of eigenpairs (default 6, at most n − 1 unless n is small). */
  k?: number;
  /** Which end: largest algebraic ('LA', default), smallest algebraic ('SA') or largest magnitude ('LM'). */
  which?: 'LA' | 'SA' | 'LM';
  /** Krylov basis size m (default min(n, max(2k + 1, 20))). */
  ncv?: number;
  /** Stop when every wanted Ritz residual ‖A y − θ y‖ ≤ tol·max|θ| (default 1e-10). */
  tol?: number;
  /** Restart limit (default 1000). */
  maxRestarts?: number;
  /** Starting vector (default: Gaussian from `rng`). */
  v0?: ArrayLike<number>;
  /** Generator for the default starting vector (default `new Generator(0)`). */
  rng?: Generator;
}

/** Eigenpairs returned by {@link eigsh}. @public */
export interface EigshResult {
  /** The k eigenvalues, ascending. */
  values: NDArray;
  /** Orthonormal eigenvectors as the columns of an n×k array, matching `values`. */
  vectors: NDArray;
  /** Restarts performed. */
  restarts: number;
  /** Products with A. */
  matvecs: number;
}

/**
 * A few extreme eigenpairs of a symmetric operator (SciPy's `eigsh`) by the thick-restart Lanczos method with full
 * reorthogonalisation (Wu & Simon 2000, SIAM J. Matrix Anal. Appl. 22(2); equivalently Stewart's symmetric
 * Krylov–Schur): build an m-dimensional orthonormal Krylov basis, take Ritz pairs of the projected matrix, keep
 * the best k + (m − k)/2 of them and continue from the residual direction until the wanted residuals
 * |β_m s_{m,i}| are below tolerance. Each distinct eigenvalue is found once: a single start vector sees only one
 * direction of a repeated eigenvalue's eigenspace. Non-convergence is a ConvergenceError.
 * @example
 * ```ts
 * const T = sparseDiags([-1, 2, -1], [-1, 0, 1], [100, 100]);
 * const { values } = eigsh(T, { k: 2, which: 'SA' }); // 2 − 2cos(jπ/101), j = 1, 2
 * ```
 * @public
 */
export function eigsh(a: LinearMap | NDArray, options: EigshOptions = {}): EigshResult {
  const A = aslinearoperator(a);
  const [rows, n] = A.shape;
  if (rows !== n) throw new ShapeError('eigsh', `needs a square operator, got ${rows}×${n}`);
  const k = options.k ?? Math.min(6, n);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ValueError('eigsh', `k must be an integer in 1…${n}, got ${k}`);
  const m = Math.min(n, options.ncv ?? Math.max(2 * k + 1, 20));
  if (!Number.isInteger(m) || m <= k - 1 || m < k)
    throw new ValueError('eigsh', `ncv must be an integer ≥ k = ${k}, got ${m}`);
  const which = options.which ?? 'LA';
  if (which !== 'LA' && which !== 'SA' && which !== 'LM')
    throw new ValueError('eigsh', `which must be 'LA', 'SA' or 'LM', got '${String(which)}'`);
  const tol = options.tol ?? 1e-10;
  const maxRestarts = options.maxRestarts ?? 1000;
  const rng = options.rng ?? new Generator(0);

  const V = Array.from({ length: m + 1 }, () => new Float64Array(n));
  const H = new Float64Array(m * m);
  let matvecs = 0;
  const start = options.v0
    ? Float64Array.from(options.v0)
    : Float64Array.from(rng.normal([n]).dataSync() as Float64Array);
  if (start.length !== n)
    throw new ShapeError('eigsh', `v0 has ${start.length} entries, expected ${n}`);
  if (!(norm(start) > 0)) throw new ValueError('eigsh', 'v0 must be a non-zero finite vector');
  V[0]!.set(start.map((v) => v / norm(start)));
  let kept = 0; // columns 0…kept−1 hold locked Ritz vectors whose block of H is diagonal
  let betaM = 0;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    for (let j = kept; j < m; j++) {
      const w = V[j + 1]!;
      A.matvec(V[j]!, w);
      matvecs++;
      for (let i = 0; i < m; i++) H[i * m + j] = i <= j ? 0 : H[i * m + j]!;
      // classical Gram–Schmidt twice ("twice is enough", Giraud et al. 2005) against the whole basis
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) {
          const h = dot(V[i]!, w);
          H[i * m + j]! += h;
          const vi = V[i]!;
          for (let t = 0; t < n; t++) w[t]! -= h * vi[t]!;
        }
      }
      for (let i = 0; i < j; i++) H[j * m + i] = H[i * m + j]!; // symmetric: mirror the new column
      betaM = norm(w);
      if (betaM > 1e-12 * Math.abs(H[j * m + j]! || 1)) {
        for (let t = 0; t < n; t++) w[t]! /= betaM;
      } else {
        // invariant subspace: continue from a fresh random direction, uncoupled (β = 0)
        betaM = 0;
        if (j + 1 <= m) freshDirection(V, j + 1, n, rng);
      }
    }
    const { values, vectors } = eigh(fromTypedArray(H.slice(), [m, m]));
    const theta = values.dataSync() as Float64Array;
    const S = vectors.dataSync() as Float64Array; // row-major m×m, Ritz vectors as columns
    const order = wantedOrder(theta, which);
    const scale = Math.max(...Array.from(theta, Math.abs), Number.MIN_VALUE);
    const done = order
      .slice(0, k)
      .every((c) => Math.abs(betaM * S[(m - 1) * m + c]!) <= tol * scale);
    if (done || m === n) return ritzPairs(V, S, theta, order.slice(0, k), n, m, restart, matvecs);
    // thick restart: keep the best `keep` Ritz vectors, then the residual direction V[m]
    const keep = Math.min(m - 1, k + Math.floor((m - k) / 2));
    const cols = order.slice(0, keep);
    const Y = cols.map((c) => combine(V, S, c, n, m));
    const coupling = cols.map((c) => betaM * S[(m - 1) * m + c]!);
    for (let i = 0; i < keep; i++) V[i]!.set(Y[i]!);
    V[keep]!.set(V[m]!);
    H.fill(0);
    for (let i = 0; i < keep; i++) {
      H[i * m + i] = theta[cols[i]!]!;
      H[i * m + keep] = coupling[i]!;
      H[keep * m + i] = coupling[i]!;
    }
    kept = keep;
  }
  throw new ConvergenceError(
    'eigsh',
    `no convergence in ${maxRestarts} restarts; raise ncv or maxRestarts, or loosen tol`,
    maxRestarts,
  );
}

/** Ritz value indices ordered from most to least wanted. */
function wantedOrder(theta: Float64Array, which: 'LA' | 'SA' | 'LM'): number[] {
  const idx = Array.from(theta, (_, i) => i);
  if (which === 'LA') return idx.sort((p, q) => theta[q]! - theta[p]!);
  if (which === 'SA') return idx.sort((p, q) => theta[p]! - theta[q]!);
  return idx.sort((p, q) => Math.abs(theta[q]!) - Math.abs(theta[p]!));
}

/** y = V_m s_c (a Ritz vector). */
function combine(
  V: Float64Array[],
  S: Float64Array,
  c: number,
  n: number,
  m: number,
): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const s = S[i * m + c]!;
    if (s === 0) continue;
    const vi = V[i]!;
    for (let t = 0; t < n; t++) y[t]! += s * vi[t]!;
  }
  return y;
}

function freshDirection(V: Float64Array[], j: number, n: number, rng: Generator): void {
  const w = V[j]!;
  w.set(rng.normal([n]).dataSync() as Float64Array);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < j; i++) {
      const h = dot(V[i]!, w);
      for (let t = 0; t < n; t++) w[t]! -= h * V[i]![t]!;
    }
  }
  const s = norm(w);
  for (let t = 0; t < n; t++) w[t]! /= s;
}

function ritzPairs(
  V: Float64Array[],
  S: Float64Array,
  theta: Float64Array,
  cols: number[],
  n: number,
  m: number,
  restarts: number,
  matvecs: number,
): EigshResult {
  const sorted = [...cols].sort((p, q) => theta[p]! - theta[q]!);
  const k = sorted.length;
  const vecs = new Float64Array(n * k);
  sorted.forEach((c, col) => {
    const y = combine(V, S, c, n, m);
    for (let t = 0; t < n; t++) vecs[t * k + col] = y[t]!;
  });
  return {
    values: fromTypedArray(Float64Array.from(sorted, (c) => theta[c]!)),
    vectors: fromTypedArray(vecs, [n, k]),
    restarts,
    matvecs,
  };
}
