/**
 * Implicit-shift QR on an upper bidiagonal matrix (Golub & Kahan 1965; Golub & Van Loan 4th ed., Alg. 8.6.2),
 * with the deflation and splitting cases of LINPACK `dsvdc` as in JAMA, each sweep's rotations recorded and
 * streamed through the rows of U and V in one pass.
 */
import { ConvergenceError } from '../../core/errors.js';
import { applyRotationSequence } from './rotations.js';

/**
 * Diagonalises the upper bidiagonal (s, e) in place (s: n, e: n−1 super-diagonal), applying the right
 * rotations to the columns of the row-major n×n `v` and the left ones to the columns of the m×ldu `u`.
 * Singular values come out non-negative but unsorted.
 */
export function bidiagonalQR(
  s: Float64Array,
  eSuper: Float64Array,
  n: number,
  u: Float64Array | null,
  m: number,
  ldu: number,
  v: Float64Array | null,
  op = 'svd',
): void {
  const e = new Float64Array(n);
  e.set(eSuper.subarray(0, Math.max(n - 1, 0)));
  const eps = Number.EPSILON;
  const tiny = 2 ** -966;
  const csV = new Float64Array(n);
  const snV = new Float64Array(n);
  const csU = new Float64Array(n);
  const snU = new Float64Array(n);
  let p = n;
  let iterations = 0;
  const maxIterations = 75 * n;
  // rotation of columns (i, j) of a row-major matrix: [x_i, x_j] ← [c x_i + s x_j, −s x_i + c x_j]
  const rotate = (
    z: Float64Array,
    rows: number,
    ld: number,
    i: number,
    j: number,
    c: number,
    sn: number,
  ) => {
    for (let r = 0; r < rows; r++) {
      const xi = z[r * ld + i]!;
      const xj = z[r * ld + j]!;
      z[r * ld + i] = c * xi + sn * xj;
      z[r * ld + j] = -sn * xi + c * xj;
    }
  };
  while (p > 0) {
    // find the largest k < p−1 with a negligible e[k] (k = −1 if none)
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]!) <= tiny + eps * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // deflate a negligible s[p−1]: chase e[p−2] up with right rotations
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (v) rotate(v, n, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // split at a negligible s[k−1]: chase e[k−1] right with left rotations
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (u) rotate(u, m, ldu, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      if (++iterations > maxIterations) {
        throw new ConvergenceError(
          op,
          `bidiagonal QR did not converge after ${maxIterations} sweeps (n = ${n})`,
          iterations,
        );
      }
      // Wilkinson shift from the trailing 2×2 block of BᵀB, computed on scaled entries
      const scale = Math.max(
        Math.abs(s[p - 1]!),
        Math.abs(s[p - 2]!),
        Math.abs(e[p - 2]!),
        Math.abs(s[k]!),
        Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      let count = 0;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        csV[count] = cs;
        snV[count] = -sn;
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        csU[count] = cs;
        snU[count] = -sn;
        count++;
      }
      e[p - 2] = f;
      if (v) applyRotationSequence(v, n, 0, n, k, count, csV, snV, false);
      if (u) applyRotationSequence(u, ldu, 0, m, k, count, csU, snU, false);
    } else {
      // converged: make s[k] non-negative
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (v) for (let r = 0; r < n; r++) v[r * n + k] = -v[r * n + k]!;
      }
      p--;
    }
  }
}
