import type { NDArray } from '../core/ndarray.js';
import { withOpName } from '../core/errors.js';
import { div, expandDims, greater, matmul, max, mul, where } from '../ops/index.js';
import { svd } from './svd.js';
import { matrixShape } from './util.js';

/**
 * σ⁺: 1/σ for σ > rtol·σ_max and 0 otherwise (the cut-off that makes the pseudo-inverse continuous in
 * the data up to the tolerance), computed elementwise so it batches and stays differentiable.
 */
export function invertSingularValues(S: NDArray, rtol: number): NDArray {
  const k = S.shape[S.ndim - 1]!;
  if (k === 0) return S;
  const tol = mul(max(S, { axis: -1, keepdims: true }), rtol);
  const keep = greater(S, tol);
  // divide by 1 where σ is dropped, so no Infinity is ever formed
  return where(keep, div(1, where(keep, S, 1)), 0);
}

/** Default relative cut-off for singular values: max(m, n)·ε (NumPy's `matrix_rank` and `lstsq`). */
export function defaultRtol(m: number, n: number, dtype: string): number {
  return Math.max(m, n) * (dtype === 'float32' ? 2 ** -23 : Number.EPSILON);
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V Σ⁺ Uᵀ from the SVD, with singular values below rtol·σ_max treated as
 * zero (Golub & Van Loan 4th ed., §5.5.2; NumPy `pinv`), batched. A⁺b is the minimum-norm least-squares
 * solution; A⁺ satisfies A A⁺ A = A, A⁺ A A⁺ = A⁺, and A A⁺, A⁺ A symmetric. `rtol` defaults to max(m, n)·ε.
 * @public
 */
export function pinv(a: NDArray, options: { rtol?: number } = {}): NDArray {
  const [m, n] = matrixShape('pinv', a);
  const { U, S, Vt } = withOpName('pinv', () => svd(a, { fullMatrices: false }));
  const sInv = invertSingularValues(S, options.rtol ?? defaultRtol(m, n, a.dtype));
  // V diag(σ⁺) Uᵀ = (Vtᵀ scaled by columns) Uᵀ
  return matmul(mul(Vt, expandDims(sInv, -1)), U, { transA: true, transB: true });
}
