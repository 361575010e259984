/**
 * Golub–Kahan bidiagonalisation A = U B Vᵀ of an m×n matrix with m ≥ n (B upper bidiagonal) by alternating
 * left and right Householder reflectors (Golub & Van Loan 4th ed., Alg. 5.4.2; LAPACK `dgebd2`). Left
 * reflectors update rows by row sweeps, right reflectors by one dot product and axpy per row.
 */
import { applyLeft, applyRight, makeReflector, reflectorVector } from './householder.js';
import { gemmF64 } from '../../kernels/index.js';
import { applyReflectorsBackward } from './wy.js';
import { addProduct, addTransposedProduct } from './matvec.js';

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
 * A ← A − V Yᵀ − X Uᵀ, by two matrix products. Half of the work stays in the two matrix–vector products
 * per column over the trailing block (see ./matvec.ts).
 */
function panel(a: Float64Array, m: number, n: number, o: number, out: Bidiagonal): void {
  const M = m - o;
  const N = n - o;
  const nb = NB;
  const base = o * n + o; // A(r, c) of the panel is a[base + r·n + c]
  const X = new Float64Array(M * nb);
  const Y = new Float64Array(N * nb);
  const t = new Float64Array(nb);
  const ycol = new Float64Array(N);
  const xcol = new Float64Array(M);
  const tA = new Float64Array(nb);
  const tX = new Float64Array(nb);
  const tY = new Float64Array(nb);
  const tU = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const ai = base + i * n; // row i
    const nc = N - i - 1; // columns right of the diagonal
    const rows = M - i - 1; // rows below it
    // A(i:M, i) −= A(i:M, 0:i) Y(i, 0:i)ᵀ + X(i:M, 0:i) A(0:i, i)
    // A(0:i, i) holds the right reflectors' entries; A(i−1, i) is u₀ = 1 of reflector i−1
    if (i > 0) {
      for (let l = 0; l < i; l++) t[l] = l === i - 1 ? 1 : a[base + l * n + i]!;
      xcol.fill(0, 0, M - i);
      addProduct(a, ai, n, M - i, i, Y, i * nb, xcol, 0);
      addProduct(X, i * nb, nb, M - i, i, t, 0, xcol, 0);
      for (let r = 0; r < M - i; r++) a[ai + r * n + i]! -= xcol[r]!;
    }
    const tauq = makeReflector(a, ai + i, n, M - i);
    out.tauLeft[o + i] = tauq;
    out.d[o + i] = a[ai + i]!;
    const v = reflectorVector(a, ai + i, n, M - i);
    out.left.push(v);
    // Y(i+1:N, i) = τq [A(i:M, i+1:N)ᵀ v − Y(i+1:N, 0:i) A(i:M, 0:i)ᵀ v − A(0:i, i+1:N)ᵀ X(i:M, 0:i)ᵀ v]
    ycol.fill(0, 0, nc);
    addTransposedProduct(a, ai + i + 1, n, M - i, nc, v, 0, ycol, 0);
    tA.fill(0, 0, i);
    tX.fill(0, 0, i);
    addTransposedProduct(a, ai, n, M - i, i, v, 0, tA, 0);
    addTransposedProduct(X, i * nb, nb, M - i, i, v, 0, tX, 0);
    addProduct(Y, (i + 1) * nb, nb, nc, i, tA, 0, ycol, 0, -1);
    addTransposedProduct(a, base + i + 1, n, i, nc, tX, 0, ycol, 0, -1);
    for (let c = 0; c < nc; c++) Y[(i + 1 + c) * nb + i] = tauq * ycol[c]!;
    // A(i, i+1:N) −= Y(i+1:N, 0:i+1) A(i, 0:i+1)ᵀ + A(0:i, i+1:N)ᵀ X(i, 0:i)ᵀ, with v₀ = 1 at A(i, i)
    const savedDiag = a[ai + i]!;
    a[ai + i] = 1;
    addProduct(Y, (i + 1) * nb, nb, nc, i + 1, a, ai, a, ai + i + 1, -1);
    a[ai + i] = savedDiag;
    addTransposedProduct(a, base + i + 1, n, i, nc, X, i * nb, a, ai + i + 1, -1);
    // right reflector on A(i, i+1:N)
    const taup = makeReflector(a, ai + i + 1, 1, nc);
    out.tauRight[o + i] = taup;
    out.e[o + i] = a[ai + i + 1]!;
    const u = reflectorVector(a, ai + i + 1, 1, nc);
    out.right.push(u);
    // X(i+1:M, i) = τp [A(i+1:M, i+1:N) u − A(i+1:M, 0:i+1) Y(i+1:N, 0:i+1)ᵀ u − X(i+1:M, 0:i) A(0:i, i+1:N) u]
    // (A(i+1:M, 0:i+1) holds left reflectors below their unit diagonal entries)
    tY.fill(0, 0, i + 1);
    addTransposedProduct(Y, (i + 1) * nb, nb, nc, i + 1, u, 0, tY, 0);
    tU.fill(0, 0, i);
    addProduct(a, base + i + 1, n, i, nc, u, 0, tU, 0);
    xcol.fill(0, 0, rows);
    addProduct(a, ai + n + i + 1, n, rows, nc, u, 0, xcol, 0);
    addProduct(a, ai + n, n, rows, i + 1, tY, 0, xcol, 0, -1);
    addProduct(X, (i + 1) * nb, nb, rows, i, tU, 0, xcol, 0, -1);
    for (let r = 0; r < rows; r++) X[(i + 1 + r) * nb + i] = taup * xcol[r]!;
  }
  // trailing update A(nb:M, nb:N) −= [V X] [Yᵀ; U] as one product of inner size 2·nb, with V = A(nb:M, 0:nb)
  // (the left reflectors) and U = A(0:nb, nb:N) (the right reflectors, u₀ = 1 at A(nb−1, nb))
  const mr = M - nb;
  const nc = N - nb;
  const k2 = 2 * nb;
  const L = new Float64Array(mr * k2);
  for (let r = 0; r < mr; r++) {
    const ar = base + (nb + r) * n;
    L.set(a.subarray(ar, ar + nb), r * k2);
    L.set(X.subarray((nb + r) * nb, (nb + r + 1) * nb), r * k2 + nb);
  }
  const R = new Float64Array(k2 * nc);
  for (let c = 0; c < nc; c++) for (let l = 0; l < nb; l++) R[l * nc + c] = Y[(nb + c) * nb + l]!;
  for (let l = 0; l < nb; l++)
    R.set(a.subarray(base + l * n + nb, base + l * n + nb + nc), (nb + l) * nc);
  R[(2 * nb - 1) * nc] = 1;
  const P = new Float64Array(mr * nc);
  gemmF64(mr, nc, k2, L, R, P, false, false);
  for (let r = 0; r < mr; r++) {
    const ar = base + (nb + r) * n + nb;
    const off = r * nc;
    for (let c = 0; c < nc; c++) a[ar + c]! -= P[off + c]!;
  }
}
