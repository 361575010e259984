/**
 * Golub–Kahan bidiagonalisation A = U B Vᵀ of an m×n matrix with m ≥ n (B upper bidiagonal) by alternating
 * left and right Householder reflectors (Golub & Van Loan 4th ed., Alg. 5.4.2; LAPACK `dgebd2`). Left
 * reflectors update rows by row sweeps, right reflectors by one dot product and axpy per row.
 */
import { applyLeft, applyRight, makeReflector, reflectorVector } from './householder.js';
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

/** Reduces the m×n row-major `a` (m ≥ n; overwritten) to upper bidiagonal form. */
export function bidiagonalize(a: Float64Array, m: number, n: number): Bidiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const left: Float64Array[] = [];
  const right: Float64Array[] = [];
  const tauLeft = new Float64Array(n);
  const tauRight = new Float64Array(Math.max(n - 2, 0));
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
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
