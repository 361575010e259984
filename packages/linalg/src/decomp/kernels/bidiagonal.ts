/**
 * Golub–Kahan bidiagonalisation A = U B Vᵀ of an m×n matrix with m ≥ n (B upper bidiagonal) by alternating
 * left and right Householder reflectors (Golub & Van Loan 4th ed., Alg. 5.4.2; LAPACK `dgebd2`). Left
 * reflectors update rows by row sweeps, right reflectors by one dot product and axpy per row.
 */
import { applyLeft, applyRight, makeReflector, reflectorVector } from './householder.js';
import { gemmF64 } from '../../kernels/index.js';
import { applyReflectorsBackward } from './wy.js';

/** Diagonal `d` (n), super-diagonal `e` (n−1) and the reflectors of U (left) and V (right). */
export interface Bidiagonal {
  d: Float64Array;
  e: Float64Array;
  left: Float64Array[];
  tauLeft: Float64Array;
  right: Float64Array[];
  tauRight: Float64Array;
}

/** Panel width of the blocked reduction, and the trailing size below which it finishes unblocked. */
const NB = 32;
const NX = 128;

/** Reduces the m×n row-major `a` (m ≥ n; overwritten) to upper bidiagonal form. */
export function bidiagonalize(a: Float64Array, m: number, n: number): Bidiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const left: Float64Array[] = [];
  const right: Float64Array[] = [];
  const tauLeft = new Float64Array(n);
  const tauRight = new Float64Array(Math.max(n - 2, 0));
  const w = new Float64Array(n);
  let start = 0;
  for (; n - start > NX; start += NB) {
    panel(a, m, n, start, { d, e, left, tauLeft, right, tauRight });
  }
  for (let k = start; k < n; k++) {
    const tl = makeReflector(a, k * n + k, n, m - k);
    tauLeft[k] = tl;
    d[k] = a[k * n + k]!;
    const v = reflectorVector(a, k * n + k, n, m - k);
    left.push(v);
    applyLeft(a, n, k, m - k, k + 1, n, v, tl, w);
    if (k < n - 2) {
      const tr = makeReflector(a, k * n + k + 1, 1, n - k - 1);
      tauRight[k] = tr;
      e[k] = a[k * n + k + 1]!;
      const u = reflectorVector(a, k * n + k + 1, 1, n - k - 1);
      right.push(u);
      applyRight(a, n, k + 1, m, k + 1, n - k - 1, u, tr);
    } else if (k === n - 2) {
      e[k] = a[k * n + k + 1]!;
    }
  }
  return { d, e, left, tauLeft, right, tauRight };
}

/** U (m×p; p = n economy, m full) from the left reflectors, by backward accumulation. */
export function formLeft(b: Bidiagonal, m: number, p: number): Float64Array {
  const U = new Float64Array(m * p);
  for (let i = 0; i < Math.min(m, p); i++) U[i * p + i] = 1;
  applyReflectorsBackward(U, m, p, { vs: b.left, taus: b.tauLeft }, 0);
  return U;
}

/** V (n×n) from the right reflectors (reflector k acts on indices k+1…), by backward accumulation. */
export function formRight(b: Bidiagonal, n: number): Float64Array {
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  applyReflectorsBackward(V, n, n, { vs: b.right, taus: b.tauRight }, 1);
  return V;
}

/**
 * One panel of the blocked reduction (LAPACK `dlabrd` + the trailing update of `dgebrd`): reduces rows and
 * columns o…o+NB−1 while accumulating X and Y so that the rest of the matrix is updated once,
 * A ← A − V Yᵀ − X Uᵀ, by two matrix products. Half of the work stays in matrix–vector products.
 */
function panel(a: Float64Array, m: number, n: number, o: number, out: Bidiagonal): void {
  const M = m - o;
  const N = n - o;
  const nb = NB;
  const at = (r: number, c: number) => (o + r) * n + o + c;
  const X = new Float64Array(M * nb);
  const Y = new Float64Array(N * nb);
  const t = new Float64Array(nb);
  const ycol = new Float64Array(N);
  const xcol = new Float64Array(M);
  for (let i = 0; i < nb; i++) {
    // A(i:M, i) −= A(i:M, 0:i) Y(i, 0:i)ᵀ + X(i:M, 0:i) A(0:i, i)
    // A(0:i, i) holds the right reflectors' entries; A(i−1, i) is u₀ = 1 of reflector i−1
    for (let l = 0; l < i; l++) t[l] = l === i - 1 ? 1 : a[at(l, i)]!;
    for (let r = i; r < M; r++) {
      let s = 0;
      const ar = at(r, 0);
      for (let l = 0; l < i; l++) s += a[ar + l]! * Y[i * nb + l]! + X[r * nb + l]! * t[l]!;
      a[ar + i]! -= s;
    }
    const tauq = makeReflector(a, at(i, i), n, M - i);
    out.tauLeft[o + i] = tauq;
    out.d[o + i] = a[at(i, i)]!;
    const v = reflectorVector(a, at(i, i), n, M - i);
    out.left.push(v);
    // Y(i+1:N, i) = τq [A(i:M, i+1:N)ᵀ v − Y(i+1:N, 0:i) A(i:M, 0:i)ᵀ v − A(0:i, i+1:N)ᵀ X(i:M, 0:i)ᵀ v]
    ycol.fill(0);
    const tA = new Float64Array(i);
    const tX = new Float64Array(i);
    for (let r = i; r < M; r++) {
      const vr = v[r - i]!;
      if (vr === 0) continue;
      const ar = at(r, 0);
      for (let c = i + 1; c < N; c++) ycol[c]! += vr * a[ar + c]!;
      for (let l = 0; l < i; l++) {
        tA[l]! += vr * a[ar + l]!;
        tX[l]! += vr * X[r * nb + l]!;
      }
    }
    for (let c = i + 1; c < N; c++) {
      let s = 0;
      for (let l = 0; l < i; l++) s += Y[c * nb + l]! * tA[l]!;
      ycol[c]! -= s;
    }
    for (let l = 0; l < i; l++) {
      const f = tX[l]!;
      if (f === 0) continue;
      const al = at(l, 0);
      for (let c = i + 1; c < N; c++) ycol[c]! -= f * a[al + c]!;
    }
    for (let c = i + 1; c < N; c++) Y[c * nb + i] = tauq * ycol[c]!;
    // A(i, i+1:N) −= Y(i+1:N, 0:i+1) A(i, 0:i+1)ᵀ + A(0:i, i+1:N)ᵀ X(i, 0:i)ᵀ, with v₀ = 1 at A(i, i)
    const ai = at(i, 0);
    const savedDiag = a[ai + i]!;
    a[ai + i] = 1;
    for (let c = i + 1; c < N; c++) {
      let s = 0;
      for (let l = 0; l <= i; l++) s += Y[c * nb + l]! * a[ai + l]!;
      a[ai + c]! -= s;
    }
    a[ai + i] = savedDiag;
    for (let l = 0; l < i; l++) {
      const f = X[i * nb + l]!;
      if (f === 0) continue;
      const al = at(l, 0);
      for (let c = i + 1; c < N; c++) a[ai + c]! -= f * a[al + c]!;
    }
    // right reflector on A(i, i+1:N)
    const taup = makeReflector(a, at(i, i + 1), 1, N - i - 1);
    out.tauRight[o + i] = taup;
    out.e[o + i] = a[at(i, i + 1)]!;
    const u = reflectorVector(a, at(i, i + 1), 1, N - i - 1);
    out.right.push(u);
    // X(i+1:M, i) = τp [A(i+1:M, i+1:N) u − A(i+1:M, 0:i+1) Y(i+1:N, 0:i+1)ᵀ u − X(i+1:M, 0:i) A(0:i, i+1:N) u]
    const tY = new Float64Array(i + 1);
    for (let c = i + 1; c < N; c++) {
      const uc = u[c - i - 1]!;
      if (uc === 0) continue;
      for (let l = 0; l <= i; l++) tY[l]! += uc * Y[c * nb + l]!;
    }
    const tU = new Float64Array(i);
    for (let l = 0; l < i; l++) {
      const al = at(l, i + 1);
      let s = 0;
      for (let c = 0; c < N - i - 1; c++) s += a[al + c]! * u[c]!;
      tU[l] = s;
    }
    // the unit entries of the reflectors held in A: A(r, r) for r ≤ i is v₀ = 1 of left reflector r
    for (let r = i + 1; r < M; r++) {
      const ar = at(r, 0);
      let s = 0;
      for (let c = 0; c < N - i - 1; c++) s += a[ar + i + 1 + c]! * u[c]!;
      let s2 = 0;
      for (let l = 0; l <= i; l++) s2 += a[ar + l]! * tY[l]!;
      let s3 = 0;
      for (let l = 0; l < i; l++) s3 += X[r * nb + l]! * tU[l]!;
      xcol[r] = taup * (s - s2 - s3);
    }
    for (let r = i + 1; r < M; r++) X[r * nb + i] = xcol[r]!;
  }
  // trailing update: A(nb:M, nb:N) −= V Y(nb:N, :)ᵀ + X(nb:M, :) U, V = A(nb:M, 0:nb), U = A(0:nb, nb:N) (u₀ = 1)
  const mr = M - nb;
  const nc = N - nb;
  const V = new Float64Array(mr * nb);
  const Xb = X.subarray(nb * nb, M * nb);
  for (let r = 0; r < mr; r++) for (let l = 0; l < nb; l++) V[r * nb + l] = a[at(nb + r, l)]!;
  const U = new Float64Array(nb * nc);
  for (let l = 0; l < nb; l++) for (let c = 0; c < nc; c++) U[l * nc + c] = a[at(l, nb + c)]!;
  U[(nb - 1) * nc] = 1;
  const Yb = Y.subarray(nb * nb, N * nb);
  const P1 = new Float64Array(mr * nc);
  const P2 = new Float64Array(mr * nc);
  gemmF64(mr, nc, nb, V, Yb, P1, false, true);
  gemmF64(mr, nc, nb, Xb, U, P2, false, false);
  for (let r = 0; r < mr; r++) {
    const ar = at(nb + r, nb);
    const off = r * nc;
    for (let c = 0; c < nc; c++) a[ar + c]! -= P1[off + c]! + P2[off + c]!;
  }
}
