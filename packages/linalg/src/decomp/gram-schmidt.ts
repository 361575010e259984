import { ShapeError, SingularMatrixError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import type { QRResult } from './qr.js';
import { fromFloat64, readFiniteMatrix } from './util.js';

/**
 * Thin QR by Gram–Schmidt orthogonalisation, A = Q R with Q m×n and R n×n upper triangular, for one m×n
 * matrix with m ≥ n and independent columns. `classical` (CGS) projects each column against the original
 * ones; `modified` (MGS) against the updated ones (Golub & Van Loan 4th ed., §5.2.7–5.2.8; Björck 1967).
 * For teaching and comparison: the loss of orthogonality ‖QᵀQ − I‖ grows like κ(A)² ε for CGS and κ(A) ε
 * for MGS, whereas Householder `qr` keeps it at ε. Computed directly on the CPU (not differentiable).
 * @public
 */
export function gramSchmidt(
  a: NDArray,
  options: { method?: 'classical' | 'modified' } = {},
): QRResult {
  const method = options.method ?? 'modified';
  const op = 'gramSchmidt';
  if (a.ndim !== 2) throw new ShapeError(op, `needs one matrix, got shape ${formatShape(a.shape)}`);
  const [m, n] = a.shape as [number, number];
  if (m < n) {
    throw new ShapeError(
      op,
      `needs at least as many rows as columns, got ${formatShape(a.shape)}; use qr for wide matrices`,
    );
  }
  const A = readFiniteMatrix('gramSchmidt', a);
  // work column by column on a transposed copy so that every vector is contiguous
  const V = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) V[j * m + i] = A[i * n + j]!;
  const Qt = new Float64Array(n * m);
  const R = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const vj = j * m;
    let original = 0;
    for (let t = 0; t < m; t++) original = Math.hypot(original, V[vj + t]!);
    for (let i = 0; i < j; i++) {
      const qi = i * m;
      // CGS: rᵢⱼ = qᵢᵀ aⱼ (original column); MGS: rᵢⱼ = qᵢᵀ vⱼ (column already reduced by q₀…qᵢ₋₁)
      let r = 0;
      if (method === 'classical') for (let t = 0; t < m; t++) r += Qt[qi + t]! * A[t * n + j]!;
      else for (let t = 0; t < m; t++) r += Qt[qi + t]! * V[vj + t]!;
      R[i * n + j] = r;
      for (let t = 0; t < m; t++) V[vj + t]! -= r * Qt[qi + t]!;
    }
    let norm = 0;
    for (let t = 0; t < m; t++) norm = Math.hypot(norm, V[vj + t]!);
    // what is left of the column is rounding noise: it lies in the span of the previous ones
    if (norm <= m * Number.EPSILON * original) {
      throw new SingularMatrixError(
        op,
        `column ${j} is a linear combination of the previous ones; use qrPivoted for rank-deficient matrices`,
      );
    }
    R[j * n + j] = norm;
    for (let t = 0; t < m; t++) Qt[j * m + t] = V[vj + t]! / norm;
  }
  const Q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Q[i * n + j] = Qt[j * m + i]!;
  return { Q: fromFloat64(Q, [m, n], a), R: fromFloat64(R, [n, n], a) };
}
