import { SingularMatrixError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { abs, div, equal, max, min, mul, sqrt, sum, where } from '../ops/index.js';
import { inv } from './lu.js';
import { svdvals } from './svd.js';
import { fromFloat64, matrixShape } from './util.js';

/** Order of a matrix norm: Frobenius, nuclear, spectral (2), smallest singular value (−2), max column sum (1), max row sum (∞), and their minima. @public */
export type MatrixNormOrder =
  | 'fro'
  | 'nuc'
  | 1
  | -1
  | 2
  | -2
  | typeof Number.POSITIVE_INFINITY
  | typeof Number.NEGATIVE_INFINITY;

/**
 * Matrix norm over the last two axes (NumPy `matrix_norm`): `'fro'` (default) √Σ aᵢⱼ², computed with
 * scaling by max|aᵢⱼ| so that it neither overflows nor underflows (LAPACK `dlange`/`dlassq` style);
 * `'nuc'` Σσᵢ; 2 σ_max (spectral); −2 σ_min; 1 / −1 max / min column sum of |aᵢⱼ|; ∞ / −∞ max / min row sum.
 * Singular values come from the SVD (Golub & Van Loan 4th ed., §2.3).
 * @public
 */
export function matrixNorm(a: NDArray, ord: MatrixNormOrder = 'fro'): NDArray {
  matrixShape('matrixNorm', a);
  switch (ord) {
    case 'fro': {
      const s = max(abs(a), { axis: [-2, -1], keepdims: true });
      // zero matrices: divide by 1 instead of 0
      const safe = where(equal(s, 0), 1, s);
      const scaled = div(a, safe);
      const r = mul(sqrt(sum(mul(scaled, scaled), { axis: [-2, -1], keepdims: true })), safe);
      return sum(r, { axis: [-2, -1] });
    }
    case 'nuc':
      return sum(svdvals(a), { axis: -1 });
    case 2:
      return max(svdvals(a), { axis: -1 });
    case -2:
      return min(svdvals(a), { axis: -1 });
    case 1:
      return max(sum(abs(a), { axis: -2 }), { axis: -1 });
    case -1:
      return min(sum(abs(a), { axis: -2 }), { axis: -1 });
    case Number.POSITIVE_INFINITY:
      return max(sum(abs(a), { axis: -1 }), { axis: -1 });
    case Number.NEGATIVE_INFINITY:
      return min(sum(abs(a), { axis: -1 }), { axis: -1 });
    default:
      throw new ValueError(
        'matrixNorm',
        `unsupported order ${String(ord)}; use 'fro', 'nuc', ±1, ±2 or ±Infinity`,
      );
  }
}

/**
 * Condition number κ(A) = ‖A‖ ‖A⁺‖ (NumPy `cond`). The default order 2 is σ_max/σ_min from the SVD (any
 * shape; Infinity when σ_min = 0); other orders use ‖A‖·‖A⁻¹‖ for square A, Infinity when A is singular.
 * @public
 */
export function cond(a: NDArray, ord: MatrixNormOrder = 2): NDArray {
  matrixShape('cond', a);
  if (ord === 2 || ord === -2) {
    const s = svdvals(a);
    const ratio = div(max(s, { axis: -1 }), min(s, { axis: -1 }));
    return ord === 2 ? ratio : div(1, ratio);
  }
  try {
    return mul(matrixNorm(a, ord), matrixNorm(inv(a), ord));
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    const batch = a.shape.slice(0, -2);
    return fromFloat64(
      new Float64Array(batch.reduce((p, d) => p * d, 1)).fill(Number.POSITIVE_INFINITY),
      batch,
      a,
    );
  }
}
