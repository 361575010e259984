/**
 * Blocked application of Householder reflectors in compact WY form, H_j₀ ⋯ H_j₀₊b₋₁ = I − V T Vᵀ
 * (Schreiber & Van Loan 1989; LAPACK `dlarft` + `dlarfb`), so that forming Q (and U, V of the SVD, the
 * eigenvectors of eigh) runs as matrix products in the WebAssembly GEMM instead of scalar row sweeps.
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), §5.1.7.
 */
import { gemmF64 } from '../../kernels/index.js';
import { applyLeft } from './householder.js';

/** Reflectors in a factorisation: `vs[j]` (v₀ = 1) acts on rows j + offset … of the target. */
export interface ReflectorSet {
  vs: readonly Float64Array[];
  taus: Float64Array;
}

/** Block size of the WY blocks: wide enough for the GEMM to pay off, small enough for T to stay cheap. */
const BLOCK = 96;

/**
 * Overwrites the row-major m×q `Q` (holding I, or any matrix whose rows above each reflector's start are
 * untouched by it) with H₀ H₁ ⋯ H_{r−1} Q, reflector j acting on rows j + offset … m − 1. Reflectors are
 * applied from the last block to the first (backward accumulation), each block as Q ← Q − V (T (Vᵀ Q)).
 */
export function applyReflectorsBackward(
  Q: Float64Array,
  m: number,
  q: number,
  refl: ReflectorSet,
  offset: number,
): void {
  const r = refl.vs.length;
  if (r === 0 || q === 0) return;
  // small problems: the scalar sweeps are cheaper than building blocks
  if (m * q < 256 * 256) {
    const w = new Float64Array(q);
    for (let j = r - 1; j >= 0; j--)
      applyLeft(Q, q, j + offset, m - j - offset, 0, q, refl.vs[j]!, refl.taus[j]!, w);
    return;
  }
  for (let end = r; end > 0; end -= BLOCK) {
    const j0 = Math.max(0, end - BLOCK);
    const b = end - j0;
    const row0 = j0 + offset;
    const len = m - row0;
    if (len <= 0) continue;
    // V: len×b, column c holds v_{j0+c} starting at row c
    const V = new Float64Array(len * b);
    for (let c = 0; c < b; c++) {
      const v = refl.vs[j0 + c]!;
      for (let i = 0; i < v.length; i++) V[(c + i) * b + c] = v[i]!;
    }
    const T = formT(V, len, b, refl.taus, j0);
    // rows row0… of Q are contiguous: W = Vᵀ Q_rows (b×q), W ← T W, Q_rows −= V W
    const Qrows = Q.subarray(row0 * q, m * q);
    const W = new Float64Array(b * q);
    gemmF64(b, q, len, V, Qrows, W, true, false);
    const TW = new Float64Array(b * q);
    gemmF64(b, q, b, T, W, TW, false, false);
    const P = new Float64Array(len * q);
    gemmF64(len, q, b, V, TW, P, false, false);
    for (let e = 0; e < P.length; e++) Qrows[e]! -= P[e]!;
  }
}

/**
 * C ← (H_{j0} ⋯ H_{j0+b−1})ᵀ C = (I − V Tᵀ Vᵀ) C for the len×nc block of the row-major `a` (row length `n`)
 * at rows r0…, columns c0…: the trailing update of blocked QR and bidiagonalisation (LAPACK `dlarfb`).
 * `V` is len×b with the reflectors as columns (zeros above their start), `T` from {@link formT}.
 */
export function applyBlockTransposeLeft(
  a: Float64Array,
  n: number,
  r0: number,
  len: number,
  c0: number,
  nc: number,
  V: Float64Array,
  T: Float64Array,
  b: number,
): void {
  if (nc <= 0 || len <= 0) return;
  const C = new Float64Array(len * nc);
  for (let i = 0; i < len; i++)
    C.set(a.subarray((r0 + i) * n + c0, (r0 + i) * n + c0 + nc), i * nc);
  const W = new Float64Array(b * nc);
  gemmF64(b, nc, len, V, C, W, true, false);
  const TW = new Float64Array(b * nc);
  gemmF64(b, nc, b, T, W, TW, true, false);
  const P = new Float64Array(len * nc);
  gemmF64(len, nc, b, V, TW, P, false, false);
  for (let i = 0; i < len; i++) {
    const row = (r0 + i) * n + c0;
    const off = i * nc;
    for (let c = 0; c < nc; c++) a[row + c]! -= P[off + c]!;
  }
}

/** The upper triangular b×b T with H_{j0} ⋯ H_{j0+b−1} = I − V T Vᵀ (LAPACK `dlarft`, forward, columnwise). */
export function formT(
  V: Float64Array,
  len: number,
  b: number,
  taus: Float64Array,
  j0: number,
): Float64Array {
  const T = new Float64Array(b * b);
  const w = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const tau = taus[j0 + i]!;
    T[i * b + i] = tau;
    if (i === 0 || tau === 0) continue;
    // w = V[:, 0:i]ᵀ v_i (v_i is zero above row i)
    w.fill(0, 0, i);
    for (let row = i; row < len; row++) {
      const vi = V[row * b + i]!;
      if (vi === 0) continue;
      const base = row * b;
      for (let c = 0; c < i; c++) w[c]! += V[base + c]! * vi;
    }
    // T[0:i, i] = −τ T[0:i, 0:i] w
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let c = r; c < i; c++) s += T[r * b + c]! * w[c]!;
      T[r * b + i] = -tau * s;
    }
  }
  return T;
}
