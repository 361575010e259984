import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { matmul, slice } from '../ops/index.js';
import { Generator } from '../random/index.js';
import { qr } from './qr.js';
import type { SVDResult } from './svd.js';
import { svd } from './svd.js';
import { matrixShape } from './util.js';

/** Options of {@link randomizedSvd}. @public */
export interface RandomizedSVDOptions {
  /** Extra sample columns p beyond k (default 10): the range finder samples k + p directions. */
  oversampling?: number;
  /** Power (subspace) iterations q (default 2), each re-orthonormalised by QR; more help slowly decaying spectra. */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix (default 0), or a `Generator` to draw from. */
  rng?: number | Generator;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp, SIAM Review 53(2), 2011, Alg. 4.4 + 5.1): sample
 * Y = (A Aᵀ)^q A Ω with a Gaussian Ω of k + p columns, orthonormalise (re-orthonormalising between power
 * iterations), form the small B = Qᵀ A, take its SVD and lift U = Q Ũ. Returns the leading k triplets;
 * for a matrix of rank ≤ k it is exact to rounding. Costs O(mn(k + p)(2q + 2)) instead of O(mn²).
 * @public
 */
export function randomizedSvd(
  a: NDArray,
  k: number,
  options: RandomizedSVDOptions = {},
): SVDResult {
  const [m, n] = matrixShape('randomizedSvd', a);
  if (a.ndim !== 2) throw new ValueError('randomizedSvd', 'needs one matrix (2-D)');
  const kMax = Math.min(m, n);
  if (!Number.isInteger(k) || k < 1 || k > kMax) {
    throw new ValueError(
      'randomizedSvd',
      `k must be an integer in [1, ${kMax}] for a ${m}×${n} matrix, got ${k}`,
    );
  }
  const p = options.oversampling ?? 10;
  const q = options.powerIterations ?? 2;
  if (!Number.isInteger(p) || p < 0)
    throw new ValueError('randomizedSvd', `oversampling must be a non-negative integer, got ${p}`);
  if (!Number.isInteger(q) || q < 0)
    throw new ValueError(
      'randomizedSvd',
      `powerIterations must be a non-negative integer, got ${q}`,
    );
  const l = Math.min(k + p, kMax);
  const rng = options.rng instanceof Generator ? options.rng : new Generator(options.rng ?? 0);
  const omega = rng.normal([n, l], { dtype: a.dtype as 'float64', backend: a.backend });
  let Q = qr(matmul(a, omega)).Q;
  for (let i = 0; i < q; i++) {
    const Z = qr(matmul(a, Q, { transA: true })).Q;
    Q = qr(matmul(a, Z)).Q;
  }
  const B = matmul(Q, a, { transA: true });
  const small = svd(B, { fullMatrices: false });
  return {
    U: slice(matmul(Q, small.U), null, { stop: k }),
    S: slice(small.S, { stop: k }),
    Vt: slice(small.Vt, { stop: k }),
  };
}
