/** Parameter covariance and standard errors of a least-squares fit from the Jacobian at the solution. */
import { type NDArray, eigh, fromTypedArray } from '@sciml/linalg';

/**
 * SciPy `curve_fit`'s covariance from the Jacobian at the solution: pcov = (JᵀJ)⁺·s² with s² = 2·cost/(m − n),
 * the pseudo-inverse dropping singular values below ε·max(m, n)·σ₁ (here through the eigendecomposition of
 * JᵀJ, σᵢ² = λᵢ); J is the loss-scaled Jacobian, so a robust loss gives its Gauss–Newton covariance. Undefined
 * when m ≤ n (no residual degrees of freedom).
 */
export function trfCovariance(
  J: Float64Array,
  cost: number,
  m: number,
  n: number,
): NDArray | undefined {
  if (m <= n || !Number.isFinite(cost)) return undefined;
  const JtJ = new Float64Array(n * n);
  for (let i = 0; i < m; i++)
    for (let a = 0; a < n; a++) {
      const ja = J[i * n + a]!;
      if (ja !== 0) for (let b = 0; b < n; b++) JtJ[a * n + b]! += ja * J[i * n + b]!;
    }
  const { values, vectors } = eigh(fromTypedArray(JtJ, [n, n]));
  const lam = values.dataSync() as Float64Array;
  const V = vectors.dataSync() as Float64Array;
  const cut = (Number.EPSILON * Math.max(m, n)) ** 2 * Math.max(...lam);
  const s2 = (2 * cost) / (m - n);
  const C = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    if (!(lam[k]! > cut)) continue;
    const w = s2 / lam[k]!;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) C[a * n + b]! += w * V[a * n + k]! * V[b * n + k]!;
  }
  return fromTypedArray(C, [n, n]);
}

/** √diag(C) of a covariance matrix, or undefined without one. */
export function standardErrors(covariance: NDArray | undefined): NDArray | undefined {
  if (!covariance) return undefined;
  const n = covariance.shape[0]!;
  const c = covariance.dataSync() as ArrayLike<number>;
  return fromTypedArray(Float64Array.from({ length: n }, (_, i) => Math.sqrt(c[i * n + i]!)));
}
