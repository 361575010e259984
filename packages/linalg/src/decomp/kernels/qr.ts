/**
 * Householder QR, A = Q R (and with column pivoting, A P = Q R), on row-major float64 matrices.
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), Alg. 5.2.1 (Householder QR) and §5.4.2
 * (QR with column pivoting, with the norm-downdating safeguard of LAPACK's `dlaqp2`).
 */
import { ShapeError } from '../../core/errors.js';
import { applyLeft, makeReflector, nrm2, reflectorVector } from './householder.js';
import { isTallSkinny, tsqrKernel } from './tsqr.js';
import { applyBlockTransposeLeft, applyReflectorsBackward, formT } from './wy.js';

/** Reflectors of a factorisation: `vs[j]` (contiguous, v₀ = 1) acts on rows j… with coefficient `taus[j]`. */
export interface Reflectors {
  vs: Float64Array[];
  taus: Float64Array;
}

/**
 * Overwrites the m×n `a` with R in its upper triangle (below it: garbage) and returns the reflectors whose
 * product H₀ H₁ ⋯ is Q. With `pivot`, columns are chosen greedily by largest remaining norm and the column
 * permutation is returned too.
 */
export function householderQR(
  a: Float64Array,
  m: number,
  n: number,
  pivot = false,
): Reflectors & { perm: Int32Array } {
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const taus = new Float64Array(k);
  const w = new Float64Array(n);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  // partial column norms (current and at last recomputation) for pivoting
  const norms = new Float64Array(pivot ? n : 0);
  const norms0 = new Float64Array(pivot ? n : 0);
  if (pivot) {
    for (let j = 0; j < n; j++) norms[j] = norms0[j] = nrm2(a, j, n, m);
  }
  const tol3z = Math.sqrt(Number.EPSILON);
  if (!pivot && n >= BLOCKED_MIN && m >= BLOCKED_MIN) {
    blockedQR(a, m, n, vs, taus);
    return { vs, taus, perm };
  }
  for (let j = 0; j < k; j++) {
    if (pivot) {
      let p = j;
      for (let c = j + 1; c < n; c++) if (norms[c]! > norms[p]!) p = c;
      if (p !== j) {
        for (let r = 0; r < m; r++) {
          const t = a[r * n + p]!;
          a[r * n + p] = a[r * n + j]!;
          a[r * n + j] = t;
        }
        [perm[p], perm[j]] = [perm[j]!, perm[p]!];
        [norms[p], norms[j]] = [norms[j]!, norms[p]!];
        [norms0[p], norms0[j]] = [norms0[j]!, norms0[p]!];
      }
    }
    const tau = makeReflector(a, j * n + j, n, m - j);
    taus[j] = tau;
    const v = reflectorVector(a, j * n + j, n, m - j);
    vs.push(v);
    // H_j applied to the trailing columns (column j itself now holds β and v)
    applyLeft(a, n, j, m - j, j + 1, n, v, tau, w);
    if (pivot) {
      // downdate the partial norms; recompute when cancellation has eaten their accuracy (dlaqp2)
      for (let c = j + 1; c < n; c++) {
        if (norms[c] === 0) continue;
        let t = Math.abs(a[j * n + c]!) / norms[c]!;
        t = Math.max(0, (1 + t) * (1 - t));
        const ratio = norms[c]! / norms0[c]!;
        if (t * ratio * ratio <= tol3z) {
          norms[c] = norms0[c] = nrm2(a, (j + 1) * n + c, n, m - j - 1);
        } else {
          norms[c]! *= Math.sqrt(t);
        }
      }
    }
  }
  return { vs, taus, perm };
}

/** Panel width of blocked QR, and the size from which blocking pays off. */
const PANEL = 32;
const BLOCKED_MIN = 128;

/**
 * Blocked Householder QR (LAPACK `dgeqrf`): each panel of PANEL columns is factored by row sweeps, then the
 * rest of the matrix is updated at once with the compact WY form, (I − V Tᵀ Vᵀ) C, in the GEMM.
 */
function blockedQR(
  a: Float64Array,
  m: number,
  n: number,
  vs: Float64Array[],
  taus: Float64Array,
): void {
  const k = Math.min(m, n);
  const w = new Float64Array(n);
  for (let j0 = 0; j0 < k; j0 += PANEL) {
    const b = Math.min(PANEL, k - j0);
    const panelEnd = j0 + b;
    for (let j = j0; j < panelEnd; j++) {
      const tau = makeReflector(a, j * n + j, n, m - j);
      taus[j] = tau;
      const v = reflectorVector(a, j * n + j, n, m - j);
      vs.push(v);
      applyLeft(a, n, j, m - j, j + 1, panelEnd, v, tau, w);
    }
    if (panelEnd < n) {
      const len = m - j0;
      const V = new Float64Array(len * b);
      for (let c = 0; c < b; c++) {
        const v = vs[j0 + c]!;
        for (let i = 0; i < v.length; i++) V[(c + i) * b + c] = v[i]!;
      }
      const T = formT(V, len, b, taus, j0);
      applyBlockTransposeLeft(a, n, j0, len, panelEnd, n - panelEnd, V, T, b);
    }
  }
}

/** Q (m×q, q = min(m, n) for reduced or m for complete) from the reflectors, by backward accumulation. */
export function formQ(refl: Reflectors, m: number, q: number): Float64Array {
  const Q = new Float64Array(m * q);
  for (let i = 0; i < Math.min(m, q); i++) Q[i * q + i] = 1;
  applyReflectorsBackward(Q, m, q, refl, 0);
  return Q;
}

/** The r×n upper triangle R from the factored `a` (rows ≥ min(m, n) are zero). */
export function extractR(a: Float64Array, m: number, n: number, r: number): Float64Array {
  const R = new Float64Array(r * n);
  for (let i = 0; i < Math.min(r, m); i++) {
    for (let j = i; j < n; j++) R[i * n + j] = a[i * n + j]!;
  }
  return R;
}

/** Q and R of A (reduced: Q m×k, R k×n; complete: Q m×m, R m×n); tall-skinny reduced QR goes through TSQR. */
export function qrKernel(
  a: Float64Array,
  m: number,
  n: number,
  complete: boolean,
): [Float64Array, Float64Array] {
  if (!complete && isTallSkinny(m, n)) return tsqrKernel(a, m, n);
  const refl = householderQR(a, m, n);
  const q = complete ? m : Math.min(m, n);
  return [formQ(refl, m, q), extractR(a, m, n, q)];
}

/**
 * Reduced Householder QR of the row-major m×n float64 `a` (m ≥ n; not modified): Q (m×n) and R (n×n) by
 * LAPACK's `dgeqrf` + `dorgqr` path (Golub & Van Loan 4th ed., Alg. 5.2.1; row sweeps below 128 columns,
 * compact-WY blocks above), never through TSQR — the path `qr` took for tall-skinny matrices before TSQR,
 * kept on the kernels entry so that benchmarks can state both on the same matrix.
 * @public
 */
export function householderQrF64(
  a: Float64Array,
  m: number,
  n: number,
): { Q: Float64Array; R: Float64Array } {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < n || n < 0 || a.length !== m * n) {
    throw new ShapeError(
      'householderQrF64',
      `expected a row-major m×n matrix with m ≥ n ≥ 0 (${m}·${n} elements), got m = ${m}, n = ${n} and ` +
        `${a.length} elements; transpose a wide matrix first`,
    );
  }
  const work = a.slice();
  const refl = householderQR(work, m, n);
  return { Q: formQ(refl, m, n), R: extractR(work, m, n, n) };
}
