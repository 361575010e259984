// Low-rank-plus-noise matrices M = U diag(s) Vᵀ + σE with known factors, for PCA/SVD/matrix-completion tests.
import { type NDArray, ValueError, fromTypedArray, qr } from '@sciml/linalg';
import { type RandomOptions, resolveRng } from '../random.js';
import { checkInt, checkNonNegative } from './check.js';

/**
 * A low-rank matrix with noise and its exact factors.
 * @public
 */
export interface LowRankData {
  /** M = L + σE, `[rows, cols]`. */
  matrix: NDArray;
  /** L = U diag(s) Vᵀ without noise. */
  lowRank: NDArray;
  /** Orthonormal left factors, `[rows, rank]`. */
  u: NDArray;
  /** Singular values of L, `[rank]`, non-increasing. */
  s: NDArray;
  /** Orthonormal right factors, `[cols, rank]`. */
  v: NDArray;
}

/**
 * A Haar-distributed m×r matrix with orthonormal columns (r ≤ m): the Q of the reduced QR of an m×r
 * Gaussian matrix, each column's sign chosen so that diag(R) ≥ 0. The sign fix makes Q a function
 * of the Gaussian matrix alone (Householder QR picks the signs of R's diagonal itself) and is what
 * makes Q Haar (Mezzadri 2007, "How to generate random matrices from the classical compact groups",
 * Notices AMS 54(5):592, §5); it is the Q that Gram–Schmidt gives. Row-major.
 */
function randomOrthonormal(rng: ReturnType<typeof resolveRng>, m: number, r: number): Float64Array {
  const g = new Float64Array(m * r);
  for (let i = 0; i < g.length; i++) g[i] = rng.nextNormal();
  const { Q, R } = qr(fromTypedArray(g, [m, r]));
  const q = Float64Array.from(Q.dataSync());
  const d = R.dataSync();
  for (let j = 0; j < r; j++) {
    if (d[j * r + j]! < 0) for (let i = 0; i < m; i++) q[i * r + j] = -q[i * r + j]!;
  }
  return q;
}

/**
 * A `rows × cols` matrix of rank `rank` plus Gaussian noise of standard deviation `noise`:
 * M = U diag(s) Vᵀ + σE with Haar-distributed random orthonormal U, V. Singular values default to
 * rank, rank−1, …, 1.
 * @example `const { matrix, s } = lowRankPlusNoise({ rows: 50, cols: 30, rank: 3, noise: 0.01 });`
 * @public
 */
export function lowRankPlusNoise(
  options: RandomOptions & {
    rows?: number;
    cols?: number;
    rank?: number;
    noise?: number;
    singularValues?: readonly number[];
  } = {},
): LowRankData {
  const op = 'lowRankPlusNoise';
  const rng = resolveRng(op, options);
  const m = checkInt(op, 'rows', options.rows ?? 20, 1);
  const n = checkInt(op, 'cols', options.cols ?? 10, 1);
  const r = checkInt(op, 'rank', options.rank ?? options.singularValues?.length ?? 2, 0);
  if (r > Math.min(m, n))
    throw new ValueError(op, `rank ${r} exceeds min(rows, cols) = ${Math.min(m, n)}`);
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0.1);
  const s = Float64Array.from(options.singularValues ?? Array.from({ length: r }, (_, k) => r - k));
  if (s.length !== r) throw new ValueError(op, `${s.length} singular values for rank ${r}`);
  for (let k = 0; k < r; k++) {
    if (!(s[k]! >= 0) || (k > 0 && s[k]! > s[k - 1]!))
      throw new ValueError(op, 'singular values must be non-negative and non-increasing');
  }
  const u = randomOrthonormal(rng, m, r);
  const v = randomOrthonormal(rng, n, r);
  const low = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < r; k++) acc += u[i * r + k]! * s[k]! * v[j * r + k]!;
      low[i * n + j] = acc;
    }
  }
  const noisy = low.map((x) => x + noise * rng.nextNormal());
  return {
    matrix: fromTypedArray(noisy, [m, n]),
    lowRank: fromTypedArray(low, [m, n]),
    u: fromTypedArray(u, [m, r]),
    s: fromTypedArray(s, [r]),
    v: fromTypedArray(v, [n, r]),
  };
}
