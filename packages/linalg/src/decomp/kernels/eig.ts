/**
 * Eigenvalues and eigenvectors of a general real matrix: Hessenberg reduction, then the Francis
 * double-shift QR algorithm with Wilkinson's exceptional shifts, and back-substitution for the
 * eigenvectors of the quasi-triangular Schur form (EISPACK `hqr2`, Martin, Peters & Wilkinson 1970, as in
 * JAMA; Golub & Van Loan 4th ed., Alg. 7.5.2). Complex conjugate pairs appear as adjacent entries with the
 * positive imaginary part first, as LAPACK's `dgeev` returns them.
 */
import { ConvergenceError } from '../../core/errors.js';
import { hessenberg } from './hessenberg.js';
import { scaleToUnit } from './scaling.js';

/** Complex division (xr + i·xi)/(yr + i·yi) by Smith's algorithm (no overflow of |y|²). */
function cdiv(xr: number, xi: number, yr: number, yi: number): [number, number] {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr;
    const d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  }
  const r = yr / yi;
  const d = yi + r * yr;
  return [(r * xr + xi) / d, (r * xi - xr) / d];
}

/** Result of the kernel: eigenvalues (re, im) and eigenvectors (re, im), columns, n×n row-major. */
export type EigKernelResult = [Float64Array, Float64Array, Float64Array, Float64Array];

/** Eigen-decomposition of the n×n row-major `a` (overwritten). Vectors are normalised to unit 2-norm. */
export function eigKernel(a: Float64Array, n: number, op = 'eig'): EigKernelResult {
  const unscale = scaleToUnit(a);
  const V = hessenberg(a, n);
  const H = a;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  hqr2(H, V, d, e, n, op);
  // normalise: real vectors to unit norm, complex pairs (columns j, j+1 = re, im) to unit norm
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (e[j] === 0) {
      let s = 0;
      for (let i = 0; i < n; i++) s = Math.hypot(s, V[i * n + j]!);
      for (let i = 0; i < n; i++) vr[i * n + j] = s === 0 ? 0 : V[i * n + j]! / s;
    } else if (e[j]! > 0) {
      let s = 0;
      for (let i = 0; i < n; i++) s = Math.hypot(s, V[i * n + j]!, V[i * n + j + 1]!);
      for (let i = 0; i < n; i++) {
        const re = V[i * n + j]! / s;
        const im = V[i * n + j + 1]! / s;
        vr[i * n + j] = re;
        vi[i * n + j] = im;
        vr[i * n + j + 1] = re;
        vi[i * n + j + 1] = -im;
      }
    }
  }
  for (let j = 0; j < n; j++) {
    d[j] = unscale(d[j]!);
    e[j] = unscale(e[j]!);
  }
  return [d, e, vr, vi];
}

/**
 * Francis double-shift QR on the Hessenberg `H` (n×n row-major) accumulating into `V`, then back-substitution
 * for the eigenvectors; on return d + i·e are the eigenvalues and V holds the (unnormalised) eigenvectors,
 * a complex pair as (re, im) in adjacent columns.
 */
function hqr2(
  H: Float64Array,
  V: Float64Array,
  d: Float64Array,
  e: Float64Array,
  nn: number,
  op: string,
): void {
  const at = (i: number, j: number) => i * nn + j;
  const eps = Number.EPSILON;
  let n = nn - 1;
  const low = 0;
  const high = nn - 1;
  let exshift = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let t: number;
  let w: number;
  let x: number;
  let y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) {
    for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H[at(i, j)]!);
  }
  // the zero matrix: every eigenvalue is 0 and Q (the identity) holds the eigenvectors
  if (norm === 0) return;
  let iter = 0;
  let totalIter = 0;
  const maxIter = 30 * Math.max(nn, 1);
  while (n >= low) {
    // look for a single small sub-diagonal element
    let l = n;
    while (l > low) {
      s = Math.abs(H[at(l - 1, l - 1)]!) + Math.abs(H[at(l, l)]!);
      if (s === 0) s = norm;
      if (Math.abs(H[at(l, l - 1)]!) < eps * s) break;
      l--;
    }
    if (l === n) {
      // one root
      H[at(n, n)] = H[at(n, n)]! + exshift;
      d[n] = H[at(n, n)]!;
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // two roots
      w = H[at(n, n - 1)]! * H[at(n - 1, n)]!;
      p = (H[at(n - 1, n - 1)]! - H[at(n, n)]!) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H[at(n, n)] = H[at(n, n)]! + exshift;
      H[at(n - 1, n - 1)] = H[at(n - 1, n - 1)]! + exshift;
      x = H[at(n, n)]!;
      if (q >= 0) {
        // real pair
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = d[n - 1]!;
        if (z !== 0) d[n] = x - w / z;
        e[n - 1] = 0;
        e[n] = 0;
        x = H[at(n, n - 1)]!;
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = n - 1; j < nn; j++) {
          z = H[at(n - 1, j)]!;
          H[at(n - 1, j)] = q * z + p * H[at(n, j)]!;
          H[at(n, j)] = q * H[at(n, j)]! - p * z;
        }
        for (let i = 0; i <= n; i++) {
          z = H[at(i, n - 1)]!;
          H[at(i, n - 1)] = q * z + p * H[at(i, n)]!;
          H[at(i, n)] = q * H[at(i, n)]! - p * z;
        }
        for (let i = low; i <= high; i++) {
          z = V[at(i, n - 1)]!;
          V[at(i, n - 1)] = q * z + p * V[at(i, n)]!;
          V[at(i, n)] = q * V[at(i, n)]! - p * z;
        }
      } else {
        // complex pair
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      // no convergence yet: form the shift
      x = H[at(n, n)]!;
      y = 0;
      w = 0;
      if (l < n) {
        y = H[at(n - 1, n - 1)]!;
        w = H[at(n, n - 1)]! * H[at(n - 1, n)]!;
      }
      if (iter === 10) {
        // Wilkinson's exceptional shift
        exshift += x;
        for (let i = low; i <= n; i++) H[at(i, i)] = H[at(i, i)]! - x;
        s = Math.abs(H[at(n, n - 1)]!) + Math.abs(H[at(n - 1, n - 2)]!);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        // MATLAB's exceptional shift
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) H[at(i, i)] = H[at(i, i)]! - s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      if (++totalIter > maxIter) {
        throw new ConvergenceError(
          op,
          `Francis QR did not converge after ${maxIter} iterations (n = ${nn})`,
          totalIter,
        );
      }
      // look for two consecutive small sub-diagonal elements
      let m = n - 2;
      while (m >= l) {
        z = H[at(m, m)]!;
        r = x - z;
        s = y - z;
        p = (r * s - w) / H[at(m + 1, m)]! + H[at(m, m + 1)]!;
        q = H[at(m + 1, m + 1)]! - z - r - s;
        r = H[at(m + 2, m + 1)]!;
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(H[at(m, m - 1)]!) * (Math.abs(q) + Math.abs(r)) <
          eps *
            (Math.abs(p) *
              (Math.abs(H[at(m - 1, m - 1)]!) + Math.abs(z) + Math.abs(H[at(m + 1, m + 1)]!)))
        ) {
          break;
        }
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        H[at(i, i - 2)] = 0;
        if (i > m + 2) H[at(i, i - 3)] = 0;
      }
      // double QR step on rows l…n and columns m…n
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = H[at(k, k - 1)]!;
          q = H[at(k + 1, k - 1)]!;
          r = notlast ? H[at(k + 2, k - 1)]! : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[at(k, k - 1)] = -s * x;
          else if (l !== m) H[at(k, k - 1)] = -H[at(k, k - 1)]!;
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = H[at(k, j)]! + q * H[at(k + 1, j)]!;
            if (notlast) {
              p += r * H[at(k + 2, j)]!;
              H[at(k + 2, j)] = H[at(k + 2, j)]! - p * z;
            }
            H[at(k, j)] = H[at(k, j)]! - p * x;
            H[at(k + 1, j)] = H[at(k + 1, j)]! - p * y;
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * H[at(i, k)]! + y * H[at(i, k + 1)]!;
            if (notlast) {
              p += z * H[at(i, k + 2)]!;
              H[at(i, k + 2)] = H[at(i, k + 2)]! - p * r;
            }
            H[at(i, k)] = H[at(i, k)]! - p;
            H[at(i, k + 1)] = H[at(i, k + 1)]! - p * q;
          }
          for (let i = low; i <= high; i++) {
            p = x * V[at(i, k)]! + y * V[at(i, k + 1)]!;
            if (notlast) {
              p += z * V[at(i, k + 2)]!;
              V[at(i, k + 2)] = V[at(i, k + 2)]! - p * r;
            }
            V[at(i, k)] = V[at(i, k)]! - p;
            V[at(i, k + 1)] = V[at(i, k + 1)]! - p * q;
          }
        }
      }
    }
  }
  // back-substitute for the eigenvectors of the quasi-triangular form
  for (n = nn - 1; n >= 0; n--) {
    p = d[n]!;
    q = e[n]!;
    if (q === 0) {
      // real vector
      let l = n;
      H[at(n, n)] = 1;
      for (let i = n - 1; i >= 0; i--) {
        w = H[at(i, i)]! - p;
        r = 0;
        for (let j = l; j <= n; j++) r += H[at(i, j)]! * H[at(j, n)]!;
        if (e[i]! < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i] === 0) {
            H[at(i, n)] = w !== 0 ? -r / w : -r / (eps * norm);
          } else {
            x = H[at(i, i + 1)]!;
            y = H[at(i + 1, i)]!;
            q = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]!;
            t = (x * s - z * r) / q;
            H[at(i, n)] = t;
            H[at(i + 1, n)] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          // overflow control
          t = Math.abs(H[at(i, n)]!);
          if (eps * t * t > 1) for (let j = i; j <= n; j++) H[at(j, n)] = H[at(j, n)]! / t;
        }
      }
    } else if (q < 0) {
      // complex vector (columns n−1 = re, n = im)
      let l = n - 1;
      if (Math.abs(H[at(n, n - 1)]!) > Math.abs(H[at(n - 1, n)]!)) {
        H[at(n - 1, n - 1)] = q / H[at(n, n - 1)]!;
        H[at(n - 1, n)] = -(H[at(n, n)]! - p) / H[at(n, n - 1)]!;
      } else {
        const [cr, ci] = cdiv(0, -H[at(n - 1, n)]!, H[at(n - 1, n - 1)]! - p, q);
        H[at(n - 1, n - 1)] = cr;
        H[at(n - 1, n)] = ci;
      }
      H[at(n, n - 1)] = 0;
      H[at(n, n)] = 1;
      for (let i = n - 2; i >= 0; i--) {
        let ra = 0;
        let sa = 0;
        for (let j = l; j <= n; j++) {
          ra += H[at(i, j)]! * H[at(j, n - 1)]!;
          sa += H[at(i, j)]! * H[at(j, n)]!;
        }
        w = H[at(i, i)]! - p;
        if (e[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i] === 0) {
            const [cr, ci] = cdiv(-ra, -sa, w, q);
            H[at(i, n - 1)] = cr;
            H[at(i, n)] = ci;
          } else {
            x = H[at(i, i + 1)]!;
            y = H[at(i + 1, i)]!;
            let vr = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]! - q * q;
            const vi = (d[i]! - p) * 2 * q;
            if (vr === 0 && vi === 0) {
              vr =
                eps * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            }
            const [cr, ci] = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            H[at(i, n - 1)] = cr;
            H[at(i, n)] = ci;
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              H[at(i + 1, n - 1)] = (-ra - w * H[at(i, n - 1)]! + q * H[at(i, n)]!) / x;
              H[at(i + 1, n)] = (-sa - w * H[at(i, n)]! - q * H[at(i, n - 1)]!) / x;
            } else {
              const [c2r, c2i] = cdiv(-r - y * H[at(i, n - 1)]!, -s - y * H[at(i, n)]!, z, q);
              H[at(i + 1, n - 1)] = c2r;
              H[at(i + 1, n)] = c2i;
            }
          }
          t = Math.max(Math.abs(H[at(i, n - 1)]!), Math.abs(H[at(i, n)]!));
          if (eps * t * t > 1) {
            for (let j = i; j <= n; j++) {
              H[at(j, n - 1)] = H[at(j, n - 1)]! / t;
              H[at(j, n)] = H[at(j, n)]! / t;
            }
          }
        }
      }
    }
  }
  // back-transform: V ← V · (upper part of H)
  for (let j = nn - 1; j >= low; j--) {
    for (let i = low; i <= high; i++) {
      z = 0;
      for (let k = low; k <= Math.min(j, high); k++) z += V[at(i, k)]! * H[at(k, j)]!;
      V[at(i, j)] = z;
    }
  }
}
