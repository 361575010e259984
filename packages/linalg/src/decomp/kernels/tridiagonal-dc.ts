/**
 * Divide and conquer for the symmetric tridiagonal eigenproblem T = Z Λ Zᵀ (Cuppen 1981; with the
 * deflation of Dongarra & Sorensen 1987 and the eigenvector recomputation of Gu & Eisenstat 1995 that
 * keeps Z orthogonal to working precision; LAPACK `dstedc`/`dlaed0`–`dlaed4`). T is torn into two halves by
 * a rank-one modification; each merge solves the secular equation 1 + ρ Σ zᵢ²/(dᵢ − λ) = 0 in O(k²) and
 * forms the eigenvectors with one matrix product, so almost all of the O(n³) work runs in the GEMM.
 * Reference: Demmel, Applied Numerical Linear Algebra (1997), §5.3.3.
 */
import { gemmF64 } from '../../kernels/index.js';
import { tridiagonalQL } from './tridiagonal-ql.js';
import { rotateColumnPair } from './rotations.js';

/** Below this size the implicit QL algorithm (with its rotations) is cheaper than dividing further. */
const BASE = 32;

/**
 * Eigenvalues (ascending) and eigenvectors (columns of the n×n row-major result) of the symmetric tridiagonal
 * matrix with diagonal `d` (n) and off-diagonal `e` (n − 1).
 */
export function tridiagonalEigDC(
  d: Float64Array,
  e: Float64Array,
  n: number,
  op = 'eigh',
): [Float64Array, Float64Array] {
  if (n <= BASE) {
    const w = d.slice(0, n);
    const z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    tridiagonalQL(w, e, n, z, op);
    return sortPairs(w, z, n);
  }
  const m = n >> 1;
  const beta = e[m - 1]!;
  const rho = Math.abs(beta);
  const d1 = d.slice(0, m);
  const d2 = d.slice(m, n);
  d1[m - 1]! -= rho;
  d2[0]! -= rho;
  const [w1, q1] = tridiagonalEigDC(d1, e.subarray(0, m - 1), m, op);
  const [w2, q2] = tridiagonalEigDC(d2, e.subarray(m, n - 1), n - m, op);
  return mergeRankOne(w1, q1, m, w2, q2, n - m, rho, beta < 0 ? -1 : 1, op);
}

/** Sorts eigenvalues ascending and permutes the eigenvector columns alike. */
function sortPairs(w: Float64Array, z: Float64Array, n: number): [Float64Array, Float64Array] {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => w[i]! - w[j]!);
  const ws = new Float64Array(n);
  const zs = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    ws[j] = w[src]!;
    for (let i = 0; i < n; i++) zs[i * n + j] = z[i * n + src]!;
  }
  return [ws, zs];
}

/**
 * Eigen-decomposition of diag(Q1, Q2) (diag(w1, w2) + ρ z zᵀ) diag(Q1, Q2)ᵀ with z = (last row of Q1,
 * sign · first row of Q2): the merge step of divide and conquer.
 */
function mergeRankOne(
  w1: Float64Array,
  q1: Float64Array,
  n1: number,
  w2: Float64Array,
  q2: Float64Array,
  n2: number,
  rho0: number,
  sign: number,
  op: string,
): [Float64Array, Float64Array] {
  const n = n1 + n2;
  // dense Q = diag(Q1, Q2) (columns are permuted and rotated below)
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n1; j++) Q[i * n + j] = q1[i * n1 + j]!;
  for (let i = 0; i < n2; i++)
    for (let j = 0; j < n2; j++) Q[(n1 + i) * n + n1 + j] = q2[i * n2 + j]!;
  const dAll = new Float64Array(n);
  const zAll = new Float64Array(n);
  for (let j = 0; j < n1; j++) {
    dAll[j] = w1[j]!;
    zAll[j] = q1[(n1 - 1) * n1 + j]!;
  }
  for (let j = 0; j < n2; j++) {
    dAll[n1 + j] = w2[j]!;
    zAll[n1 + j] = sign * q2[j]!;
  }
  // ‖z‖² = 2: normalise z and fold the factor into ρ
  const rho = 2 * rho0;
  for (let i = 0; i < n; i++) zAll[i]! /= Math.SQRT2;
  // sort the poles ascending (permuting the columns of Q)
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => dAll[i]! - dAll[j]!);
  const dS = Float64Array.from(order, (i) => dAll[i]!);
  const zS = Float64Array.from(order, (i) => zAll[i]!);
  const cols: number[] = order.slice();
  const eps = Number.EPSILON;
  let dmax = 0;
  let zmax = 0;
  for (let i = 0; i < n; i++) {
    dmax = Math.max(dmax, Math.abs(dS[i]!));
    zmax = Math.max(zmax, Math.abs(zS[i]!));
  }
  const tol = 8 * eps * Math.max(dmax, rho * zmax);
  // deflation: negligible ρ zᵢ, or two poles close enough that a rotation zeroes one zᵢ
  const deflated = new Uint8Array(n);
  if (rho * zmax <= tol) deflated.fill(1);
  let prev = -1;
  for (let i = 0; i < n && rho * zmax > tol; i++) {
    if (rho * Math.abs(zS[i]!) <= tol) {
      deflated[i] = 1;
      continue;
    }
    if (prev >= 0) {
      const s0 = zS[prev]!;
      const c0 = zS[i]!;
      const tau = Math.hypot(c0, s0);
      const c = c0 / tau;
      const s = -s0 / tau;
      const t = (dS[i]! - dS[prev]!) * c * s;
      if (Math.abs(t) <= tol) {
        // rotate columns prev and i of Q so that z[prev] = 0, and deflate prev
        zS[i] = tau;
        zS[prev] = 0;
        const dp = dS[prev]!;
        const di = dS[i]!;
        dS[prev] = dp * c * c + di * s * s;
        dS[i] = dp * s * s + di * c * c;
        const a = cols[prev]!;
        const b = cols[i]!;
        // Q ← Q Gᵀ with G = [[c, s], [−s, c]] acting on (prev, i)
        rotateColumnPair(Q, n, n, a, b, c, s);
        deflated[prev] = 1;
      }
    }
    prev = i;
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!deflated[i]) keep.push(i);
  const k = keep.length;
  const lam = new Float64Array(n);
  const Z = new Float64Array(n * n);
  if (k > 0) {
    const dk = Float64Array.from(keep, (i) => dS[i]!);
    const zk = Float64Array.from(keep, (i) => zS[i]!);
    // roots: λⱼ = d[origin_j] + τⱼ with δ[j][i] = dᵢ − λⱼ kept to full relative accuracy
    const delta = new Float64Array(k * k);
    const roots = new Float64Array(k);
    for (let j = 0; j < k; j++)
      roots[j] = secularRoot(dk, zk, k, rho, j, delta.subarray(j * k, (j + 1) * k), op)[0];
    // Gu–Eisenstat: ẑᵢ² = Π_j (λⱼ − dᵢ) / (ρ Π_{l≠i} (d_l − dᵢ)), from the accurate differences δ
    const zh = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let p = -delta[(k - 1) * k + i]! / rho;
      for (let l = 0; l < k; l++) {
        if (l === i) continue;
        // pair λ_l (l < i) or λ_{l−1} (l > i) with the pole d_l
        const jj = l < i ? l : l - 1;
        p *= -delta[jj * k + i]! / (dk[l]! - dk[i]!);
      }
      zh[i] = Math.sign(zk[i]!) * Math.sqrt(Math.max(p, 0));
    }
    // eigenvectors of D + ρ ẑẑᵀ: uⱼ ∝ ẑᵢ / (dᵢ − λⱼ); S holds them as columns (k×k)
    const S = new Float64Array(k * k);
    for (let j = 0; j < k; j++) {
      let nrm = 0;
      for (let i = 0; i < k; i++) {
        const v = zh[i]! / delta[j * k + i]!;
        S[i * k + j] = v;
        nrm = Math.hypot(nrm, v);
      }
      for (let i = 0; i < k; i++) S[i * k + j]! /= nrm;
    }
    // Q_keep (n×k) · S (k×k)
    const Qk = new Float64Array(n * k);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < k; j++) Qk[r * k + j] = Q[r * n + cols[keep[j]!]!]!;
    const QS = new Float64Array(n * k);
    gemmF64(n, k, k, Qk, S, QS, false, false);
    keep.forEach((_, j) => {
      lam[j] = roots[j]!;
    });
    for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) Z[r * n + j] = QS[r * k + j]!;
  }
  // deflated pairs keep their pole and (rotated) column
  let c = k;
  for (let i = 0; i < n; i++) {
    if (!deflated[i]) continue;
    lam[c] = dS[i]!;
    const src = cols[i]!;
    for (let r = 0; r < n; r++) Z[r * n + c] = Q[r * n + src]!;
    c++;
  }
  return sortPairs(lam, Z, n);
}

/**
 * The j-th root of 1 + ρ Σ zᵢ²/(dᵢ − λ) = 0 (d ascending, ρ > 0), in (d_j, d_{j+1}) or (d_{k−1}, d_{k−1} + ρ)
 * for the last. Works in coordinates shifted to the nearer pole, so that dᵢ − λ is exact to rounding; the
 * iteration is a safeguarded rational (two-pole) Newton step inside a bisection bracket (Li 1993, the
 * "middle way" of LAPACK `dlaed4`, simplified). Writes δᵢ = dᵢ − λ into `delta` and returns λ.
 */
export function secularRoot(
  d: Float64Array,
  z: Float64Array,
  k: number,
  rho: number,
  j: number,
  delta: Float64Array,
  op: string,
  roots?: Float64Array,
): [number, number, number] {
  // pole differences d_i − d_o, computed as (r_i − r_o)(r_i + r_o) when the poles are squares r² (SVD)
  const diff = roots
    ? (i: number, o: number) => (roots[i]! - roots[o]!) * (roots[i]! + roots[o]!)
    : (i: number, o: number) => d[i]! - d[o]!;
  const last = j === k - 1;
  let zz = 0;
  for (let i = 0; i < k; i++) zz += z[i]! * z[i]!;
  const lo0 = d[j]!;
  const hi0 = last ? d[j]! + rho * zz : d[j + 1]!;
  // origin: the pole nearer the root, decided by the sign of f at the midpoint
  const mid = 0.5 * (hi0 - lo0);
  const fAt = (originIdx: number, tau: number): number => {
    let f = 1 / rho;
    for (let i = 0; i < k; i++) f += (z[i]! * z[i]!) / (diff(i, originIdx) - tau);
    return f;
  };
  let origin = j;
  // f increases from −∞ to +∞ on the interval: f(mid) < 0 puts the root in the upper half
  if (!last && fAt(j, mid) < 0) origin = j + 1;
  const o = d[origin]!;
  // bracket in τ = λ − o
  let lo = lo0 - o;
  let hi = hi0 - o;
  let tau = origin === j ? mid : -mid;
  if (last) tau = mid;
  const dd = new Float64Array(k);
  for (let i = 0; i < k; i++) dd[i] = diff(i, origin);
  lo = dd[j]!;
  hi = last ? dd[j]! + rho * zz : dd[j + 1]!;
  tau = 0.5 * (lo + hi);
  for (let it = 0; it < 2200; it++) {
    // f, and the two partial sums ψ (poles ≤ j) and φ (poles > j) with their derivatives
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    let absSum = 0;
    for (let i = 0; i < k; i++) {
      const del = dd[i]! - tau;
      const t = z[i]! / del;
      const term = z[i]! * t;
      if (i <= j) {
        psi += term;
        dpsi += t * t;
      } else {
        phi += term;
        dphi += t * t;
      }
      absSum += Math.abs(term);
    }
    const f = 1 / rho + psi + phi;
    if (f > 0) hi = tau;
    else lo = tau;
    // converged: |f| within rounding of its terms, or the bracket is a few ulps wide
    if (
      Math.abs(f) <= 8 * Number.EPSILON * (1 / rho + absSum) ||
      hi - lo <= 4 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi))
    )
      break;
    // two-pole model: ψ ≈ a + b/(δ_j − x), φ ≈ a' + b'/(δ_{j+1} − x) (one pole for the last root)
    let next: number;
    const pj = dd[j]!;
    if (last) {
      const b = dpsi * (pj - tau) ** 2;
      const a = 1 / rho + psi - dpsi * (pj - tau) + phi;
      next = a !== 0 ? pj + b / a : Number.NaN;
    } else {
      const pj1 = dd[j + 1]!;
      const b1 = dpsi * (pj - tau) ** 2;
      const b2 = dphi * (pj1 - tau) ** 2;
      const c = 1 / rho + psi - dpsi * (pj - tau) + phi - dphi * (pj1 - tau);
      // c + b1/(pj − x) + b2/(pj1 − x) = 0 → c (pj − x)(pj1 − x) + b1 (pj1 − x) + b2 (pj − x) = 0
      // in y = x − pj, with g = pj1 − pj: c y² − (c g + b1 + b2) y + b1 g = 0 ... solved stably
      const g = pj1 - pj;
      const A = c;
      const B = -(c * g + b1 + b2);
      const C = b1 * g;
      let y: number;
      if (A === 0) y = -C / B;
      else {
        const disc = Math.sqrt(Math.max(B * B - 4 * A * C, 0));
        const q = -0.5 * (B + (B >= 0 ? disc : -disc));
        const y1 = q / A;
        const y2 = q !== 0 ? C / q : y1;
        y = y1 > 0 && y1 < g ? y1 : y2;
      }
      next = pj + y;
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
    if (it === 2199) {
      // unreachable: bisection alone reaches adjacent doubles across the whole exponent range in < 2200 steps
      throw new Error(`${op}: secular equation did not converge`);
    }
  }
  for (let i = 0; i < k; i++) delta[i] = dd[i]! - tau;
  return [o + tau, origin, tau];
}
