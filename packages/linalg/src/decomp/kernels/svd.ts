/**
 * Singular value decomposition A = U Σ Vᵀ: Golub–Kahan bidiagonalisation (blocked), then the SVD of the
 * bidiagonal matrix by divide and conquer (n > 64) or implicit-shift QR (small n), and the back-transformation
 * of its singular vectors by the blocked reflectors. Singular values are returned non-negative and descending.
 */
import { bidiagonalize, formLeft, formRight } from './bidiagonal.js';
import { bidiagonalQR } from './bidiagonal-qr.js';
import { scaleToUnit } from './scaling.js';
import { bidiagonalSvdDC } from './bidiagonal-dc.js';
import { isTallSkinny, tsqrKernel } from './tsqr.js';
import { applyReflectorsBackward } from './wy.js';
import { gemmF64 } from '../../kernels/index.js';

/** From this size the bidiagonal's singular vectors come from divide and conquer instead of QR sweeps. */
const DC_MIN = 64;

/**
 * SVD of the m×n row-major `a` (overwritten): returns U (m×m if `full`, else m×k), S (k, descending) and
 * Vᵀ (n×n if `full`, else k×n), k = min(m, n).
 */
export function svdKernel(
  a: Float64Array,
  m: number,
  n: number,
  full: boolean,
): [Float64Array, Float64Array, Float64Array] {
  if (m < n) {
    // A = (Aᵀ)ᵀ: the SVD of the tall Aᵀ = U' Σ V'ᵀ gives A = V' Σ U'ᵀ
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
    const [u2, s2, vt2] = svdKernel(at, n, m, full);
    const pu = full ? n : m;
    // U = V' = (V'ᵀ)ᵀ (m×m), Vᵀ = U'ᵀ (pu×n)
    return [transposeOf(vt2, m, m), s2, transposeOf(u2, n, pu)];
  }
  const k = n;
  const unscale = scaleToUnit(a);
  if (!full && isTallSkinny(m, n)) {
    // m ≫ n: A = Q R by TSQR, R = U_R Σ Vᵀ, U = Q U_R (LAPACK `dgesdd`'s QR-first path): the m×n work is
    // one cache-blocked QR and one GEMM instead of a bidiagonalisation and a back-transformation over m rows
    const [Q, R] = tsqrKernel(a, m, n);
    const [Ur, S, Vt] = svdKernel(R, n, n, false);
    const U = new Float64Array(m * n);
    gemmF64(m, n, n, Q, Ur, U, false, false);
    for (let j = 0; j < k; j++) S[j] = unscale(S[j]!);
    return [U, S, Vt];
  }
  const b = bidiagonalize(a, m, n);
  const pu = full ? m : n;
  if (n > DC_MIN) {
    // divide and conquer on the bidiagonal, then U = Q_U [Ub 0; 0 I] and V = Q_V Vb by the blocked reflectors
    const [S, Ub, Vb] = bidiagonalSvdDC(b.d, b.e, n, 'svd');
    const Uo = new Float64Array(m * pu);
    for (let i = 0; i < n; i++) Uo.set(Ub.subarray(i * n, i * n + n), i * pu);
    for (let i = n; i < Math.min(m, pu); i++) Uo[i * pu + i] = 1;
    applyReflectorsBackward(Uo, m, pu, { vs: b.left, taus: b.tauLeft }, 0);
    applyReflectorsBackward(Vb, n, n, { vs: b.right, taus: b.tauRight }, 1);
    for (let j = 0; j < k; j++) S[j] = unscale(S[j]!);
    return [Uo, S, transposeOf(Vb, n, n)];
  }
  const U = formLeft(b, m, pu);
  const V = formRight(b, n);
  bidiagonalQR(b.d, b.e, n, U, m, pu, V, 'svd');
  // sort descending, scale back, write U's first k columns and Vᵀ's first k rows in that order
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => b.d[j]! - b.d[i]!);
  const S = new Float64Array(k);
  for (let j = 0; j < k; j++) S[j] = unscale(b.d[order[j]!]!);
  const Uo = new Float64Array(m * pu);
  for (let i = 0; i < m; i++) {
    const row = i * pu;
    for (let j = 0; j < k; j++) Uo[row + j] = U[row + order[j]!]!;
    for (let j = k; j < pu; j++) Uo[row + j] = U[row + j]!;
  }
  const Vt = new Float64Array(n * n);
  for (let j = 0; j < k; j++) {
    const src = order[j]!;
    for (let i = 0; i < n; i++) Vt[j * n + i] = V[i * n + src]!;
  }
  return [Uo, S, Vt];
}

function transposeOf(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
  return t;
}
