/**
 * Banded LU with partial pivoting on typed arrays: LAPACK's `dgbtf2`/`dgbtrs` (real) and `zgbtf2`/`zgbtrs`
 * (complex), unblocked. The factor lives in LAPACK's column-major band layout with kl extra rows on top for
 * the fill-in that row interchanges create: with ldab = 2·kl + ku + 1 and kv = kl + ku, A[i][j] sits at
 * ab[kv + i − j + j·ldab], U has kv superdiagonals and the multipliers of L sit below the diagonal. Row i of
 * the matrix is reached from column to column by the stride ldab − 1. Complex arrays interleave (re, im).
 * Cost: O(n·kl·(kl + ku)) to factor, O(n·(2·kl + ku)) per right-hand side (Golub & Van Loan 4th ed., §4.3.4).
 */

/** ldab of the factor storage for a band with kl sub- and ku superdiagonals. */
export function bandedLuRows(kl: number, ku: number): number {
  return 2 * kl + ku + 1;
}

/**
 * Factors the n×n band matrix in `ab` (column-major, ldab = 2kl + ku + 1, the top kl rows zero) in place:
 * P A = L U with the row interchanges in `ipiv` (row j was swapped with ipiv[j]). Returns −1, or the first
 * column whose pivot is exactly zero (the factorisation stops there; LAPACK's info − 1).
 */
export function gbtrf(
  n: number,
  kl: number,
  ku: number,
  ab: Float64Array,
  ipiv: Int32Array,
): number {
  const ldab = 2 * kl + ku + 1;
  const kv = kl + ku;
  const rowStride = ldab - 1;
  let ju = 0; // last column that U reaches so far
  for (let j = 0; j < n; j++) {
    const km = Math.min(kl, n - 1 - j);
    const base = kv + j * ldab; // A[j][j]
    let jp = 0;
    let big = Math.abs(ab[base]!);
    for (let p = 1; p <= km; p++) {
      const v = Math.abs(ab[base + p]!);
      if (v > big) {
        big = v;
        jp = p;
      }
    }
    ipiv[j] = j + jp;
    if (ab[base + jp] === 0) return j;
    ju = Math.max(ju, Math.min(j + ku + jp, n - 1));
    if (jp !== 0) {
      // swap rows j and j + jp over columns j..ju
      for (let c = 0, at = base; c <= ju - j; c++, at += rowStride) {
        const tmp = ab[at]!;
        ab[at] = ab[at + jp]!;
        ab[at + jp] = tmp;
      }
    }
    if (km > 0) {
      const inv = 1 / ab[base]!;
      for (let p = 1; p <= km; p++) ab[base + p]! *= inv;
      // rank-1 update of the trailing km × (ju − j) block
      for (let c = 1, at = base + rowStride; c <= ju - j; c++, at += rowStride) {
        const t = ab[at]!;
        if (t === 0) continue;
        for (let p = 1; p <= km; p++) ab[at + p]! -= ab[base + p]! * t;
      }
    }
  }
  return -1;
}

/**
 * Overwrites `b` (row-major n × nrhs) with A⁻¹ b from the factor of {@link gbtrf}: the interchanges and L
 * applied column by column as they were made, then the banded back substitution with U (kl + ku
 * superdiagonals).
 */
export function gbtrs(
  n: number,
  kl: number,
  ku: number,
  ab: Float64Array,
  ipiv: Int32Array,
  b: Float64Array,
  nrhs = 1,
): void {
  const ldab = 2 * kl + ku + 1;
  const kv = kl + ku;
  for (let c = 0; c < nrhs; c++) {
    if (kl > 0) {
      for (let j = 0; j < n - 1; j++) {
        const lm = Math.min(kl, n - 1 - j);
        const l = ipiv[j]!;
        if (l !== j) {
          const tmp = b[l * nrhs + c]!;
          b[l * nrhs + c] = b[j * nrhs + c]!;
          b[j * nrhs + c] = tmp;
        }
        const bj = b[j * nrhs + c]!;
        if (bj === 0) continue;
        const col = kv + j * ldab;
        for (let p = 1; p <= lm; p++) b[(j + p) * nrhs + c]! -= ab[col + p]! * bj;
      }
    }
    for (let j = n - 1; j >= 0; j--) {
      const col = kv + j * ldab; // U[j][j]; U[i][j] at col + i − j
      const xj = b[j * nrhs + c]! / ab[col]!;
      b[j * nrhs + c] = xj;
      if (xj === 0) continue;
      for (let i = Math.max(0, j - kv); i < j; i++) b[i * nrhs + c]! -= ab[col + i - j]! * xj;
    }
  }
}

/** {@link gbtrf} in complex arithmetic (`zgbtf2`): `ab` interleaves (re, im); pivots by |re| + |im| as LAPACK. */
export function zgbtrf(
  n: number,
  kl: number,
  ku: number,
  ab: Float64Array,
  ipiv: Int32Array,
): number {
  const ldab = 2 * kl + ku + 1;
  const kv = kl + ku;
  const rowStride = 2 * (ldab - 1);
  let ju = 0;
  for (let j = 0; j < n; j++) {
    const km = Math.min(kl, n - 1 - j);
    const base = 2 * (kv + j * ldab);
    let jp = 0;
    let big = Math.abs(ab[base]!) + Math.abs(ab[base + 1]!);
    for (let p = 1; p <= km; p++) {
      const v = Math.abs(ab[base + 2 * p]!) + Math.abs(ab[base + 2 * p + 1]!);
      if (v > big) {
        big = v;
        jp = p;
      }
    }
    ipiv[j] = j + jp;
    if (ab[base + 2 * jp] === 0 && ab[base + 2 * jp + 1] === 0) return j;
    ju = Math.max(ju, Math.min(j + ku + jp, n - 1));
    if (jp !== 0) {
      for (let c = 0, at = base; c <= ju - j; c++, at += rowStride) {
        const re = ab[at]!;
        const im = ab[at + 1]!;
        ab[at] = ab[at + 2 * jp]!;
        ab[at + 1] = ab[at + 2 * jp + 1]!;
        ab[at + 2 * jp] = re;
        ab[at + 2 * jp + 1] = im;
      }
    }
    if (km > 0) {
      // 1/(a + ib) = (a − ib)/(a² + b²), scaled to avoid overflow as Smith's algorithm does
      const [ir, ii] = reciprocal(ab[base]!, ab[base + 1]!);
      for (let p = 1; p <= km; p++) {
        const at = base + 2 * p;
        const re = ab[at]!;
        const im = ab[at + 1]!;
        ab[at] = re * ir - im * ii;
        ab[at + 1] = re * ii + im * ir;
      }
      for (let c = 1, at = base + rowStride; c <= ju - j; c++, at += rowStride) {
        const tr = ab[at]!;
        const ti = ab[at + 1]!;
        if (tr === 0 && ti === 0) continue;
        for (let p = 1; p <= km; p++) {
          const lr = ab[base + 2 * p]!;
          const li = ab[base + 2 * p + 1]!;
          ab[at + 2 * p]! -= lr * tr - li * ti;
          ab[at + 2 * p + 1]! -= lr * ti + li * tr;
        }
      }
    }
  }
  return -1;
}

/** {@link gbtrs} in complex arithmetic (`zgbtrs`): `b` is row-major n × nrhs, interleaved (re, im). */
export function zgbtrs(
  n: number,
  kl: number,
  ku: number,
  ab: Float64Array,
  ipiv: Int32Array,
  b: Float64Array,
  nrhs = 1,
): void {
  const ldab = 2 * kl + ku + 1;
  const kv = kl + ku;
  for (let c = 0; c < nrhs; c++) {
    if (kl > 0) {
      for (let j = 0; j < n - 1; j++) {
        const lm = Math.min(kl, n - 1 - j);
        const l = ipiv[j]!;
        const bj = 2 * (j * nrhs + c);
        if (l !== j) {
          const bl = 2 * (l * nrhs + c);
          const re = b[bl]!;
          const im = b[bl + 1]!;
          b[bl] = b[bj]!;
          b[bl + 1] = b[bj + 1]!;
          b[bj] = re;
          b[bj + 1] = im;
        }
        const xr = b[bj]!;
        const xi = b[bj + 1]!;
        if (xr === 0 && xi === 0) continue;
        const col = 2 * (kv + j * ldab);
        for (let p = 1; p <= lm; p++) {
          const lr = ab[col + 2 * p]!;
          const li = ab[col + 2 * p + 1]!;
          const at = 2 * ((j + p) * nrhs + c);
          b[at]! -= lr * xr - li * xi;
          b[at + 1]! -= lr * xi + li * xr;
        }
      }
    }
    for (let j = n - 1; j >= 0; j--) {
      const col = 2 * (kv + j * ldab);
      const bj = 2 * (j * nrhs + c);
      const [ir, ii] = reciprocal(ab[col]!, ab[col + 1]!);
      const br = b[bj]!;
      const bi = b[bj + 1]!;
      const xr = br * ir - bi * ii;
      const xi = br * ii + bi * ir;
      b[bj] = xr;
      b[bj + 1] = xi;
      if (xr === 0 && xi === 0) continue;
      for (let i = Math.max(0, j - kv); i < j; i++) {
        const ur = ab[col + 2 * (i - j)]!;
        const ui = ab[col + 2 * (i - j) + 1]!;
        const at = 2 * (i * nrhs + c);
        b[at]! -= ur * xr - ui * xi;
        b[at + 1]! -= ur * xi + ui * xr;
      }
    }
  }
}

/** 1/(a + ib) by Smith's scaling (no overflow of a² + b² for large entries). */
function reciprocal(a: number, b: number): [number, number] {
  if (Math.abs(a) >= Math.abs(b)) {
    const r = b / a;
    const d = a + b * r;
    return [1 / d, -r / d];
  }
  const r = a / b;
  const d = a * r + b;
  return [r / d, -1 / d];
}
