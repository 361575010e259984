/**
 * Divide and conquer for the SVD of an upper bidiagonal matrix (Jessup & Sorensen 1994; Gu & Eisenstat,
 * SIAM J. Matrix Anal. Appl. 16 (1995); LAPACK `dbdsdc`/`dlasd0`–`dlasd4`). Subproblems are n×(n+1) upper
 * bidiagonal (row i holds dᵢ at column i and eᵢ at column i+1): removing row k splits B into two such
 * problems; with their SVDs, B is orthogonally equivalent to the "broken arrow" M = e₀zᵀ + diag(0, σ₁, …),
 * whose MᵀM = diag(dᵢ²) + z zᵀ is a rank-one modification solved by the secular equation. Singular vectors
 * come from Gu–Eisenstat's recomputed ẑ (orthogonal to working precision) and, per side, two matrix products
 * over the non-deflated columns, one per row block of the children's bases (as LAPACK's `dlasd3`: half the
 * work of one product over the full, block-diagonal basis); deflated vectors are copied.
 */
import { gemmF64 } from '../../kernels/index.js';
import { bidiagonalQR } from './bidiagonal-qr.js';
import { rotateColumnPair } from './rotations.js';
import { secularRoot } from './tridiagonal-dc.js';

/** SVD of an n×(n+1) upper bidiagonal: σ (n), U (n×n) and W ((n+1)×(n+1)), column n of W spanning the null space. */
interface Node {
  s: Float64Array;
  U: Float64Array;
  W: Float64Array;
}

const BASE = 24;

/**
 * σ (descending), U and V (n×n, singular vectors as columns) of the square upper bidiagonal with diagonal
 * `d` (n) and super-diagonal `e` (n − 1).
 */
export function bidiagonalSvdDC(
  d: Float64Array,
  e: Float64Array,
  n: number,
  op = 'svd',
): [Float64Array, Float64Array, Float64Array] {
  const ext = new Float64Array(n);
  ext.set(e.subarray(0, n - 1));
  const node = solveWide(d.slice(0, n), ext, n, op);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => node.s[j]! - node.s[i]!);
  const S = new Float64Array(n);
  const U = new Float64Array(n * n);
  const V = new Float64Array(n * n);
  const n1 = n + 1;
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    S[c] = node.s[src]!;
    for (let r = 0; r < n; r++) {
      U[r * n + c] = node.U[r * n + src]!;
      V[r * n + c] = node.W[r * n1 + src]!;
    }
  }
  return [S, U, V];
}

function solveWide(d: Float64Array, e: Float64Array, n: number, op: string): Node {
  if (n <= BASE) return base(d, e, n, op);
  const k = n >> 1;
  const n2 = n - k - 1;
  const left = solveWide(d.slice(0, k), e.slice(0, k), k, op);
  const right = solveWide(d.slice(k + 1, n), e.slice(k + 1, n), n2, op);
  return merge(left, right, d[k]!, e[k]!, k, n2, op);
}

/** Small problems: chase e_{n−1} out of the last column with right rotations, then bidiagonal QR. */
function base(d: Float64Array, e: Float64Array, n: number, op: string): Node {
  const n1 = n + 1;
  const W0 = new Float64Array(n1 * n1);
  for (let i = 0; i < n1; i++) W0[i * n1 + i] = 1;
  const dd = d.slice();
  const ee = e.slice();
  let f = ee[n - 1]!;
  ee[n - 1] = 0;
  for (let j = n - 1; j >= 0 && f !== 0; j--) {
    const t = Math.hypot(dd[j]!, f);
    const c = dd[j]! / t;
    const s = f / t;
    dd[j] = t;
    if (j > 0) {
      f = -s * ee[j - 1]!;
      ee[j - 1] = c * ee[j - 1]!;
    }
    for (let r = 0; r < n1; r++) {
      const x = W0[r * n1 + j]!;
      const y = W0[r * n1 + n]!;
      W0[r * n1 + j] = c * x + s * y;
      W0[r * n1 + n] = -s * x + c * y;
    }
  }
  const U = new Float64Array(n * n);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    U[i * n + i] = 1;
    V[i * n + i] = 1;
  }
  bidiagonalQR(dd, ee, n, U, n, n, V, op);
  // W = W0 · blockdiag(V, 1)
  const W = new Float64Array(n1 * n1);
  for (let r = 0; r < n1; r++) {
    for (let c = 0; c < n; c++) {
      let acc = 0;
      for (let l = 0; l < n; l++) acc += W0[r * n1 + l]! * V[l * n + c]!;
      W[r * n1 + c] = acc;
    }
    W[r * n1 + n] = W0[r * n1 + n]!;
  }
  return { s: dd, U, W };
}

/** Merges the SVDs of B₁ (rows 0…k−1) and B₂ (rows k+1…) across the removed row k (dₖ at column k, eₖ at k+1). */
function merge(L: Node, R: Node, dk: number, ek: number, k: number, n2: number, op: string): Node {
  const n = k + 1 + n2;
  const n1 = n + 1;
  const k1 = k + 1;
  const m2 = n2 + 1;
  // z: row k of B in the bases of the children; the two null columns f₁, f₂ are rotated into one
  const z1f = dk * L.W[k * k1 + k]!;
  const z2f = ek * R.W[n2]!;
  const r0 = Math.hypot(z1f, z2f);
  const c0 = r0 === 0 ? 1 : z1f / r0;
  const s0 = r0 === 0 ? 0 : z2f / r0;
  const dAll = new Float64Array(n);
  const zAll = new Float64Array(n);
  zAll[0] = r0;
  for (let j = 0; j < k; j++) {
    dAll[1 + j] = L.s[j]!;
    zAll[1 + j] = dk * L.W[k * k1 + j]!;
  }
  for (let j = 0; j < n2; j++) {
    dAll[k1 + j] = R.s[j]!;
    zAll[k1 + j] = ek * R.W[j]!;
  }
  // dense bases: Ut (n×n) maps M-rows to rows of B; Wt (n1×n1) maps M-columns to columns of B
  const Ut = new Float64Array(n * n);
  Ut[k * n] = 1;
  for (let r = 0; r < k; r++) for (let j = 0; j < k; j++) Ut[r * n + 1 + j] = L.U[r * k + j]!;
  for (let r = 0; r < n2; r++)
    for (let j = 0; j < n2; j++) Ut[(k1 + r) * n + k1 + j] = R.U[r * n2 + j]!;
  const Wt = new Float64Array(n1 * n1);
  for (let r = 0; r < k1; r++) {
    Wt[r * n1] = c0 * L.W[r * k1 + k]!;
    for (let j = 0; j < k; j++) Wt[r * n1 + 1 + j] = L.W[r * k1 + j]!;
    Wt[r * n1 + n] = -s0 * L.W[r * k1 + k]!;
  }
  for (let r = 0; r < m2; r++) {
    const row = (k1 + r) * n1;
    Wt[row] = s0 * R.W[r * m2 + n2]!;
    for (let j = 0; j < n2; j++) Wt[row + k1 + j] = R.W[r * m2 + j]!;
    Wt[row + n] = c0 * R.W[r * m2 + n2]!;
  }
  // which row block (upper: the rows of B₁, lower: the rest) each basis column has entries in; the deflation
  // rotations below merge the flags of the columns they mix, so the products can skip the zero blocks
  const upperU = new Uint8Array(n);
  const lowerU = new Uint8Array(n);
  const upperW = new Uint8Array(n1);
  const lowerW = new Uint8Array(n1);
  lowerU[0] = 1;
  upperW[0] = 1;
  lowerW[0] = 1;
  for (let j = 1; j < k1; j++) {
    upperU[j] = 1;
    upperW[j] = 1;
  }
  for (let j = k1; j < n; j++) {
    lowerU[j] = 1;
    lowerW[j] = 1;
  }
  // sort the poles ascending (the pole 0 of column 0 stays first)
  const order = Array.from({ length: n - 1 }, (_, i) => i + 1).sort((i, j) => dAll[i]! - dAll[j]!);
  order.unshift(0);
  const dS = Float64Array.from(order, (i) => dAll[i]!);
  const zS = Float64Array.from(order, (i) => zAll[i]!);
  const cols = order.slice();
  const eps = Number.EPSILON;
  let dmax = 0;
  let zmax = 0;
  for (let i = 0; i < n; i++) {
    dmax = Math.max(dmax, Math.abs(dS[i]!));
    zmax = Math.max(zmax, Math.abs(zS[i]!));
  }
  const tol = 8 * eps * Math.max(dmax, zmax);
  const deflated = new Uint8Array(n);
  if (tol === 0) {
    // a zero block: M = 0, every singular value is 0 and the bases are already singular vectors
    const sig0 = new Float64Array(n);
    const U0 = new Float64Array(n * n);
    U0.set(Ut);
    const W0 = new Float64Array(n1 * n1);
    W0.set(Wt);
    return { s: sig0, U: U0, W: W0 };
  }
  // keep the arrow's corner and the other poles away from 0 (perturbations below tol, as dlasd2 does)
  if (Math.abs(zS[0]!) <= tol) zS[0] = tol;
  for (let i = 1; i < n; i++) if (dS[i]! < tol / 2) dS[i] = tol / 2;
  let prev = -1;
  for (let i = 1; i < n; i++) {
    if (Math.abs(zS[i]!) <= tol) {
      deflated[i] = 1;
      continue;
    }
    if (prev >= 1) {
      const tau = Math.hypot(zS[i]!, zS[prev]!);
      const c = zS[i]! / tau;
      const s = -zS[prev]! / tau;
      const t = (dS[i]! - dS[prev]!) * c * s;
      if (Math.abs(t) <= tol) {
        // rotate M-rows and M-columns (prev, i) alike: z[prev] → 0, and deflate prev
        zS[i] = tau;
        zS[prev] = 0;
        // R diag(d) Rᵀ: the diagonal mixes, the off-diagonal (≤ tol) is dropped
        const dp = dS[prev]!;
        const di = dS[i]!;
        dS[prev] = c * c * dp + s * s * di;
        dS[i] = s * s * dp + c * c * di;
        const a = cols[prev]!;
        const b = cols[i]!;
        rotateColumnPair(Ut, n, n, a, b, c, s);
        rotateColumnPair(Wt, n1, n1, a, b, c, s);
        mergeFlags(upperU, lowerU, a, b);
        mergeFlags(upperW, lowerW, a, b);
        deflated[prev] = 1;
      }
    }
    prev = i;
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!deflated[i]) keep.push(i);
  const kk = keep.length;
  const dk2 = Float64Array.from(keep, (i) => dS[i]!);
  const poles = dk2.map((x) => x * x);
  const zk = Float64Array.from(keep, (i) => zS[i]!);
  const delta = new Float64Array(kk * kk);
  const sig = new Float64Array(n);
  for (let j = 0; j < kk; j++) {
    const [, origin, tau] = secularRoot(
      poles,
      zk,
      kk,
      1,
      j,
      delta.subarray(j * kk, (j + 1) * kk),
      op,
      dk2,
    );
    sig[j] = Math.sqrt(dk2[origin]! * dk2[origin]! + tau);
  }
  // Gu–Eisenstat ẑ from the computed roots (ρ = 1)
  const zh = new Float64Array(kk);
  for (let i = 0; i < kk; i++) {
    let p = -delta[(kk - 1) * kk + i]!;
    for (let l = 0; l < kk; l++) {
      if (l === i) continue;
      const jj = l < i ? l : l - 1;
      p *= -delta[jj * kk + i]! / ((dk2[l]! - dk2[i]!) * (dk2[l]! + dk2[i]!));
    }
    zh[i] = Math.sign(zk[i]!) * Math.sqrt(Math.max(p, 0));
  }
  // singular vectors of M on the kept indices as kk×kk blocks (row: kept index, column: root):
  // v ∝ ẑᵢ/δᵢ, u ∝ (−1, dᵢ ẑᵢ/δᵢ)
  const Pk = new Float64Array(kk * kk);
  const Qk = new Float64Array(kk * kk);
  for (let j = 0; j < kk; j++) {
    let sv = 0;
    let su = 0;
    for (let i = 0; i < kk; i++) {
      const del = delta[j * kk + i]!;
      const vi = zh[i]! / del;
      const ui = i === 0 ? -1 : (dk2[i]! * zh[i]!) / del;
      Pk[i * kk + j] = vi;
      Qk[i * kk + j] = ui;
      sv += vi * vi;
      su += ui * ui;
    }
    normalizeColumn(Pk, kk, j, sv);
    normalizeColumn(Qk, kk, j, su);
  }
  // U = Ut Qm and W[:, 0:n] = Wt[:, 0:n] Pm (LAPACK `dlasd3`): the kept columns by one product per row block
  // over only the basis columns with entries in that block, the deflated ones copied; W[:, n] = Wt[:, n]
  const kept = Int32Array.from(keep, (i) => cols[i]!);
  const U = new Float64Array(n * n);
  const W = new Float64Array(n1 * n1);
  multiplyKept(Ut, n, 0, k, kept, upperU, Qk, U, n);
  multiplyKept(Ut, n, k, n, kept, lowerU, Qk, U, n);
  multiplyKept(Wt, n1, 0, k1, kept, upperW, Pk, W, n1);
  multiplyKept(Wt, n1, k1, n1, kept, lowerW, Pk, W, n1);
  let c = kk;
  for (let i = 0; i < n; i++) {
    if (!deflated[i]) continue;
    sig[c] = dS[i]!;
    const src = cols[i]!;
    for (let r = 0; r < n; r++) U[r * n + c] = Ut[r * n + src]!;
    for (let r = 0; r < n1; r++) W[r * n1 + c] = Wt[r * n1 + src]!;
    c++;
  }
  for (let r = 0; r < n1; r++) W[r * n1 + n] = Wt[r * n1 + n]!;
  return { s: sig, U, W };
}

/** After columns a and b are rotated together, each has entries wherever either had. */
function mergeFlags(upper: Uint8Array, lower: Uint8Array, a: number, b: number): void {
  upper[a] = upper[b] = upper[a]! | upper[b]!;
  lower[a] = lower[b] = lower[a]! | lower[b]!;
}

/** Scales column j of the kk×kk `X` to unit length, given its sum of squares (rescaled if that under/overflowed). */
function normalizeColumn(X: Float64Array, kk: number, j: number, sumSq: number): void {
  let norm = Math.sqrt(sumSq);
  if (!(sumSq > 1e-290 && sumSq < Number.POSITIVE_INFINITY)) {
    norm = 0;
    for (let i = 0; i < kk; i++) norm = Math.hypot(norm, X[i * kk + j]!);
  }
  for (let i = 0; i < kk; i++) X[i * kk + j]! /= norm;
}

/**
 * out[r0:r1, 0:kk] = T[r0:r1, kept] · Q for the kk×kk `Q`, multiplying only over the kept basis columns that
 * have entries in rows r0…r1−1 (`nonzero`): the rest of that row block of T is exactly zero.
 */
function multiplyKept(
  T: Float64Array,
  ld: number,
  r0: number,
  r1: number,
  kept: Int32Array,
  nonzero: Uint8Array,
  Q: Float64Array,
  out: Float64Array,
  ldOut: number,
): void {
  const rows = r1 - r0;
  const kk = kept.length;
  const inner: number[] = [];
  for (let i = 0; i < kk; i++) if (nonzero[kept[i]!]) inner.push(i);
  const s = inner.length;
  if (rows === 0 || s === 0) return;
  const A = new Float64Array(rows * s);
  for (let r = 0; r < rows; r++) {
    const src = (r0 + r) * ld;
    for (let q = 0; q < s; q++) A[r * s + q] = T[src + kept[inner[q]!]!]!;
  }
  const B = new Float64Array(s * kk);
  for (let q = 0; q < s; q++) B.set(Q.subarray(inner[q]! * kk, inner[q]! * kk + kk), q * kk);
  const C = new Float64Array(rows * kk);
  gemmF64(rows, kk, s, A, B, C, false, false);
  for (let r = 0; r < rows; r++) out.set(C.subarray(r * kk, r * kk + kk), (r0 + r) * ldOut);
}
