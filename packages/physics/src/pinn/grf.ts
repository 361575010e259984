// Gaussian random fields on a 1-D grid: the random input functions of operator learning.
import { type Generator, ValueError, eigh, fromTypedArray, type NDArray } from '@sciml/linalg';

/** Options of {@link gaussianRandomField}. @public */
export interface GaussianRandomFieldOptions {
  /** Length scale l of the squared-exponential kernel (default 0.2, Lu et al. 2021). */
  lengthScale?: number;
  /** Variance σ² (default 1). */
  variance?: number;
  /** Generator of the draws. */
  rng: Generator;
}

/**
 * `n` samples of a zero-mean Gaussian random field with the squared-exponential covariance
 * k(x, x′) = σ² exp(−(x − x′)²/(2l²)) at the points `x` (Rasmussen & Williams, Gaussian Processes for ML,
 * 2006, §4.2; the input functions of DeepONet, Lu et al., Nat. Mach. Intell. 3 (2021) 218–229). The
 * covariance is factored as V·diag(λ)·Vᵀ by `eigh` (negative round-off eigenvalues clipped to 0, where a
 * Cholesky factor of this numerically singular matrix would fail), and each sample is V·diag(√λ)·z with
 * z ~ N(0, I). Returns (n, m).
 * @public
 */
export function gaussianRandomField(
  x: ArrayLike<number>,
  n: number,
  options: GaussianRandomFieldOptions,
): NDArray {
  const op = 'gaussianRandomField';
  const m = x.length;
  const l = options.lengthScale ?? 0.2;
  const s2 = options.variance ?? 1;
  if (m === 0 || !Array.from(x).every(Number.isFinite))
    throw new ValueError(op, 'x must be a non-empty array of finite points');
  if (!(Number.isSafeInteger(n) && n >= 1))
    throw new ValueError(op, `n must be a positive integer, got ${n}`);
  if (!(l > 0 && Number.isFinite(l) && s2 > 0 && Number.isFinite(s2)))
    throw new ValueError(op, `lengthScale and variance must be finite and > 0, got ${l}, ${s2}`);
  if (options.rng === undefined) throw new ValueError(op, 'needs { rng: new Generator(seed) }');
  const k = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) k[i * m + j] = s2 * Math.exp(-((x[i]! - x[j]!) ** 2) / (2 * l * l));
  const { values: eigenvalues, vectors: eigenvectors } = eigh(fromTypedArray(k, [m, m]));
  const lam = eigenvalues.dataSync();
  const v = eigenvectors.dataSync();
  const root = Float64Array.from(lam, (e) => Math.sqrt(Math.max(e, 0)));
  const out = new Float64Array(n * m);
  const z = new Float64Array(m);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < m; j++) z[j] = root[j]! * options.rng.nextNormal();
    for (let i = 0; i < m; i++) {
      let acc = 0;
      for (let j = 0; j < m; j++) acc += v[i * m + j]! * z[j]!;
      out[s * m + i] = acc;
    }
  }
  return fromTypedArray(out, [n, m]);
}
