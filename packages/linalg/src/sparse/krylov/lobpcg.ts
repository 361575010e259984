import { ConvergenceError, ShapeError, ValueError } from '../../core/errors.js';
import type { NDArray } from '../../core/ndarray.js';
import { eigh } from '../../decomp/eigh.js';
import { fromTypedArray } from '../../ops/creation.js';
import { Generator } from '../../random/generator.js';
import { type LinearMap, aslinearoperator } from '../operator.js';
import { dot, norm } from './common.js';

/** Options of {@link lobpcg}. @public */
export interface LobpcgOptions {
  /** Number of eigenpairs (default 1); ignored when `X` is given (its columns set k). */
  k?: number;
  /** Which end of the spectrum: smallest ('SA', default) or largest ('LA') algebraic eigenvalues. */
  which?: 'SA' | 'LA';
  /** Initial block, an n×k NDArray (default: Gaussian from `rng`). */
  X?: NDArray;
  /**
   * Preconditioner T ≈ A⁻¹ (symmetric positive definite) applied to the residuals, e.g. {@link ilu0},
   * {@link ssor}, {@link jacobi} or any {@link LinearMap}; it changes the speed, not the answer.
   */
  M?: LinearMap;
  /** Stop when every ‖A xᵢ − λᵢ xᵢ‖ ≤ tol·max(|λ|) (default 1e-8). */
  tol?: number;
  /** Iteration limit (default 1000). */
  maxIter?: number;
  /** Generator for the default initial block (default `new Generator(0)`). */
  rng?: Generator;
}

/** Eigenpairs returned by {@link lobpcg}. @public */
export interface LobpcgResult {
  /** The k eigenvalues, ascending. */
  values: NDArray;
  /** Orthonormal eigenvectors as the columns of an n×k array, matching `values`. */
  vectors: NDArray;
  /** Residual norms ‖A xᵢ − λᵢ xᵢ‖ of the returned pairs, matching `values`. */
  residualNorms: NDArray;
  /** Iterations performed. */
  iterations: number;
  /** Products with A (one per column of each block multiplied). */
  matvecs: number;
}

/**
 * Directions whose Gram eigenvalue is below GRAM_DROP·max are dropped when orthonormalising: their A-images are
 * formed by recurrence, and dividing by √d amplifies the recurrence's rounding by 1/√d (10⁴ here), which would
 * otherwise stall the residual far above the tolerance.
 */
const GRAM_DROP = 1e-8;

/** Columns of a basis, one Float64Array each, with their products by A. */
interface Block {
  v: Float64Array[];
  av: Float64Array[];
}

/**
 * A few extreme eigenpairs of a symmetric operator by the Locally Optimal Block Preconditioned Conjugate
 * Gradient method (Knyazev 2001, SIAM J. Sci. Comput. 23(2), 517–541; SciPy's `lobpcg`): each step takes the
 * Rayleigh–Ritz pairs of A on span[X, W, P], with X the current block, W = T·(A X − X Λ) the preconditioned
 * residuals of the unconverged columns and P the previous step's update direction. The basis is orthonormalised
 * before each Rayleigh–Ritz step (twice, through the eigendecomposition of its Gram matrix, dropping
 * numerically dependent directions; Hetmaniuk & Lehoucq 2006, J. Comput. Phys. 218), which keeps the method
 * stable when W and P become nearly parallel near convergence. Converged columns are soft-locked (they stay
 * in the basis but get no new directions). Small problems (n < 5k) are solved densely. Non-convergence is a
 * ConvergenceError.
 * @example
 * ```ts
 * const T = sparseDiags([-1, 2, -1], [-1, 0, 1], [200, 200]);
 * const { values } = lobpcg(T, { k: 2, M: ilu0(T) }); // 2 − 2cos(jπ/201), j = 1, 2
 * ```
 * @public
 */
export function lobpcg(a: LinearMap | NDArray, options: LobpcgOptions = {}): LobpcgResult {
  const A = aslinearoperator(a);
  const [rows, n] = A.shape;
  if (rows !== n) throw new ShapeError('lobpcg', `needs a square operator, got ${rows}×${n}`);
  const which = options.which ?? 'SA';
  if (which !== 'SA' && which !== 'LA')
    throw new ValueError('lobpcg', `which must be 'SA' or 'LA', got '${String(which)}'`);
  const X0 = initialBlock(options, n);
  const k = X0.length;
  const tol = options.tol ?? 1e-8;
  const maxIter = options.maxIter ?? 1000;
  if (!(tol > 0)) throw new ValueError('lobpcg', `tol must be positive, got ${tol}`);
  if (!Number.isInteger(maxIter) || maxIter < 0)
    throw new ValueError('lobpcg', `maxIter must be a non-negative integer, got ${maxIter}`);
  const M = options.M;
  if (M && (M.shape[0] !== n || M.shape[1] !== n)) {
    throw new ShapeError(
      'lobpcg',
      `the preconditioner is ${M.shape.join('×')}, expected ${n}×${n}`,
    );
  }
  let matvecs = 0;
  const applyA = (v: Float64Array[]): Float64Array[] =>
    v.map((x) => {
      matvecs++;
      return A.matvec(x, new Float64Array(n));
    });
  if (n < 5 * k) return denseEigenpairs(A, n, k, which);

  // X: Rayleigh–Ritz on the initial block
  let X: Block = rayleighRitz(orthonormalBlock({ v: X0, av: applyA(X0) }), k, which).block;
  let theta = rayleighQuotients(X);
  let P: Block = { v: [], av: [] };
  for (let iter = 0; iter <= maxIter; iter++) {
    let { R, rnorm, active } = residuals(X, theta, tol);
    if (!active.includes(true)) {
      // A·X was updated by recurrence; confirm with a fresh product before stopping
      X = { v: X.v, av: applyA(X.v) };
      theta = rayleighQuotients(X);
      ({ R, rnorm, active } = residuals(X, theta, tol));
      if (!active.includes(true)) return pack(X, theta, rnorm, iter, matvecs, n, k);
    }
    if (iter === maxIter) break;
    // W = T·R for the active columns, orthogonalised against X (so the basis [X, W, P] is well posed)
    const W = R.filter((_, j) => active[j]).map((r) => (M ? M.matvec(r, new Float64Array(n)) : r));
    for (const w of W) projectOut(w, X.v);
    const basis: Block = {
      v: [...X.v, ...W, ...P.v],
      av: [...X.av, ...applyA(W), ...P.av],
    };
    const { block, coeff } = rayleighRitz(orthonormalBlock(basis), k, which);
    // P = the part of the new X spanned by W and P (Knyazev's "conjugate" direction), per active column
    P = directions(basis, coeff, k, active);
    X = block;
    theta = rayleighQuotients(X);
  }
  throw new ConvergenceError(
    'lobpcg',
    `no convergence in ${maxIter} iterations; raise maxIter, pass a preconditioner M, or loosen tol`,
    maxIter,
  );
}

/** Residuals R = A X − X Θ, their norms, and which columns are still above tol·max|θ|. */
function residuals(X: Block, theta: number[], tol: number) {
  const R = X.av.map((ax, j) => ax.map((v, t) => v - theta[j]! * X.v[j]![t]!));
  const rnorm = R.map(norm);
  const scale = Math.max(...theta.map(Math.abs), Number.MIN_VALUE);
  return { R, rnorm, active: rnorm.map((r) => r > tol * scale) };
}

/** The initial block as k column vectors (validated), from `options.X` or Gaussian. */
function initialBlock(options: LobpcgOptions, n: number): Float64Array[] {
  if (options.X) {
    const X = options.X;
    if (X.ndim !== 2 || X.shape[0] !== n || X.shape[1]! < 1) {
      throw new ShapeError('lobpcg', `X must be an ${n}×k array, got [${X.shape.join(', ')}]`);
    }
    const k = X.shape[1]!;
    const d = X.dataSync() as ArrayLike<number>;
    const cols = Array.from({ length: k }, (_, j) =>
      Float64Array.from({ length: n }, (_, t) => Number(d[t * k + j])),
    );
    for (const c of cols)
      if (!c.every(Number.isFinite)) throw new ValueError('lobpcg', 'X has non-finite entries');
    return cols;
  }
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ValueError('lobpcg', `k must be an integer in 1…${n}, got ${k}`);
  const rng = options.rng ?? new Generator(0);
  return Array.from({ length: k }, () => Float64Array.from(rng.normal([n]).dataSync()));
}

/** w ← w − Σ q (qᵀw) over orthonormal q, twice ("twice is enough", Giraud et al. 2005). */
function projectOut(w: Float64Array, Q: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of Q) {
      const h = dot(q, w);
      for (let t = 0; t < w.length; t++) w[t]! -= h * q[t]!;
    }
  }
}

/** Symmetric Gram matrix G_ij = uᵢᵀvⱼ, row-major s×s. */
function gram(u: Float64Array[], v: Float64Array[]): Float64Array {
  const s = u.length;
  const G = new Float64Array(s * s);
  for (let i = 0; i < s; i++) {
    for (let j = i; j < s; j++) {
      // uᵀv is symmetric in exact arithmetic (v = A u, A symmetric); average away its rounding
      const g = u === v ? dot(u[i]!, u[j]!) : 0.5 * (dot(u[i]!, v[j]!) + dot(u[j]!, v[i]!));
      G[i * s + j] = g;
      G[j * s + i] = g;
    }
  }
  return G;
}

/** Σ_i c[i·cols + j]·V_i for each column j of the s×cols coefficient matrix c. */
function combine(V: Float64Array[], c: Float64Array, cols: number, n: number): Float64Array[] {
  return Array.from({ length: cols }, (_, j) => {
    const y = new Float64Array(n);
    V.forEach((vi, i) => {
      const s = c[i * cols + j]!;
      if (s !== 0) for (let t = 0; t < n; t++) y[t]! += s * vi[t]!;
    });
    return y;
  });
}

/** An orthonormalised basis: Q = S·C with C (s×r) and A Q = (A S)·C, for r ≤ s independent directions. */
interface Orthonormal {
  block: Block;
  /** Row-major s×r map from the original basis S to Q. */
  map: Float64Array;
  r: number;
}

/**
 * Orthonormalise S through its Gram matrix: SᵀS = V D Vᵀ, C = V_r D_r^{-1/2} over the eigenvalues above
 * 1e-12·max (numerically dependent directions are dropped); done twice so QᵀQ = I to rounding.
 */
function orthonormalBlock(S: Block): Orthonormal {
  const s = S.v.length;
  const n = S.v[0]!.length;
  // unit columns first, so the drop threshold measures dependence, not scale (residuals shrink to ~tol)
  const scales = S.v.map((v) => {
    const l = norm(v);
    return l > 0 && Number.isFinite(l) ? 1 / l : 0;
  });
  let map: Float64Array = new Float64Array(s * s);
  scales.forEach((c, i) => {
    map[i * s + i] = c;
  });
  let Q: Block = {
    v: S.v.map((v, i) => v.map((x) => x * scales[i]!)),
    av: S.av.map((v, i) => v.map((x) => x * scales[i]!)),
  };
  let r = s;
  for (let pass = 0; pass < 2; pass++) {
    const G = gram(Q.v, Q.v);
    const { values, vectors } = eigh(fromTypedArray(G, [r, r]));
    const d = values.dataSync() as Float64Array;
    const V = vectors.dataSync() as Float64Array;
    const dmax = Math.max(...d);
    const keep = Array.from(d, (_, i) => i).filter((i) => d[i]! > GRAM_DROP * dmax);
    const C = new Float64Array(r * keep.length);
    for (let i = 0; i < r; i++)
      keep.forEach((c, j) => {
        C[i * keep.length + j] = V[i * r + c]! / Math.sqrt(d[c]!);
      });
    Q = { v: combine(Q.v, C, keep.length, n), av: combine(Q.av, C, keep.length, n) };
    map = matmul(map, C, s, r, keep.length);
    r = keep.length;
  }
  return { block: Q, map, r };
}

/** (m×p)·(p×q), row-major. */
function matmul(a: Float64Array, b: Float64Array, m: number, p: number, q: number): Float64Array {
  const c = new Float64Array(m * q);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < p; l++) {
      const s = a[i * p + l]!;
      if (s !== 0) for (let j = 0; j < q; j++) c[i * q + j]! += s * b[l * q + j]!;
    }
  return c;
}

/**
 * Rayleigh–Ritz on an orthonormal basis: the k wanted eigenpairs of QᵀAQ give the new block X = Q·Y; `coeff`
 * (s×k) expresses X in the original basis S (for the P update).
 */
function rayleighRitz(o: Orthonormal, k: number, which: 'SA' | 'LA') {
  const { block: Q, map, r } = o;
  if (r < k) {
    throw new ConvergenceError(
      'lobpcg',
      `the block lost rank (${r} independent directions for k = ${k}); pass a different initial X`,
      0,
    );
  }
  const H = gram(Q.v, Q.av);
  const { values, vectors } = eigh(fromTypedArray(H, [r, r]));
  const th = values.dataSync() as Float64Array;
  const Y = vectors.dataSync() as Float64Array;
  const order = Array.from(th, (_, i) => i).sort((p, q) =>
    which === 'SA' ? th[p]! - th[q]! : th[q]! - th[p]!,
  );
  const cols = order.slice(0, k).sort((p, q) => th[p]! - th[q]!);
  const Yk = new Float64Array(r * k);
  for (let i = 0; i < r; i++) {
    cols.forEach((c, j) => {
      Yk[i * k + j] = Y[i * r + c]!;
    });
  }
  const n = Q.v[0]!.length;
  const block = { v: combine(Q.v, Yk, k, n), av: combine(Q.av, Yk, k, n) };
  const s = map.length / r;
  return { block, coeff: matmul(map, Yk, s, r, k) };
}

/** θⱼ = xⱼᵀ A xⱼ for the orthonormal columns of X. */
function rayleighQuotients(X: Block): number[] {
  return X.v.map((x, j) => dot(x, X.av[j]!));
}

/**
 * The new search directions P = S_{W,P}·C_{W,P}: each new Ritz vector minus its component along the old X
 * block (the rows of `coeff` past the first k), for the columns that were active.
 */
function directions(S: Block, coeff: Float64Array, k: number, active: boolean[]): Block {
  const s = S.v.length;
  const n = S.v[0]!.length;
  const rest = s - k;
  const C = new Float64Array(rest * k);
  for (let i = 0; i < rest; i++) for (let j = 0; j < k; j++) C[i * k + j] = coeff[(k + i) * k + j]!;
  const v = combine(S.v.slice(k), C, k, n);
  const av = combine(S.av.slice(k), C, k, n);
  const keep = active.map((on, j) => (on && norm(v[j]!) > 0 ? j : -1)).filter((j) => j >= 0);
  return { v: keep.map((j) => v[j]!), av: keep.map((j) => av[j]!) };
}

/** Small problems: form A column by column and take the wanted pairs of its dense eigendecomposition. */
function denseEigenpairs(A: LinearMap, n: number, k: number, which: 'SA' | 'LA'): LobpcgResult {
  const dense = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = A.matvec(e, new Float64Array(n));
    for (let i = 0; i < n; i++) dense[i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (dense[i * n + j]! + dense[j * n + i]!);
      dense[i * n + j] = m;
      dense[j * n + i] = m;
    }
  const { values, vectors } = eigh(fromTypedArray(dense, [n, n]));
  const th = values.dataSync() as Float64Array;
  const V = vectors.dataSync() as Float64Array;
  const start = which === 'SA' ? 0 : n - k;
  const cols = Array.from({ length: k }, (_, j) => start + j);
  const X: Block = {
    v: cols.map((c) => Float64Array.from({ length: n }, (_, t) => V[t * n + c]!)),
    av: [],
  };
  X.av = X.v.map((x) => A.matvec(x, new Float64Array(n)));
  const theta = cols.map((c) => th[c]!);
  const rnorm = X.av.map((ax, j) => norm(ax.map((v, t) => v - theta[j]! * X.v[j]![t]!)));
  return pack(X, theta, rnorm, 0, n + k, n, k);
}

function pack(
  X: Block,
  theta: number[],
  rnorm: number[],
  iterations: number,
  matvecs: number,
  n: number,
  k: number,
): LobpcgResult {
  const order = theta.map((_, j) => j).sort((p, q) => theta[p]! - theta[q]!);
  const vecs = new Float64Array(n * k);
  order.forEach((c, col) => {
    const x = X.v[c]!;
    for (let t = 0; t < n; t++) vecs[t * k + col] = x[t]!;
  });
  return {
    values: fromTypedArray(Float64Array.from(order, (c) => theta[c]!)),
    vectors: fromTypedArray(vecs, [n, k]),
    residualNorms: fromTypedArray(Float64Array.from(order, (c) => rnorm[c]!)),
    iterations,
    matvecs,
  };
}
