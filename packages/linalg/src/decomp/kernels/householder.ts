/**
 * Householder reflectors H = I − τ v vᵀ (v₀ = 1), generated with LAPACK's `dlarfg` conventions and applied
 * to row-major matrices by row sweeps (w = vᵀA accumulated row by row, then a rank-one row update), so no
 * inner loop walks down a column. Norms are scaled (LAPACK `dnrm2`) so entries near 1e±150 neither overflow
 * nor underflow. Reference: Golub & Van Loan, Matrix Computations (4th ed.), §5.1.
 */

/** Euclidean norm of `len` entries of `x` from `off` with `stride`, scaled against overflow and underflow. */
export function nrm2(x: Float64Array, off: number, stride: number, len: number): number {
  // the plain sum of squares is accurate unless it overflowed or dropped into the subnormal range; only
  // then pay for the scaled loop (one division per entry)
  let sum = 0;
  for (let i = 0, p = off; i < len; i++, p += stride) {
    const v = x[p]!;
    sum += v * v;
  }
  if (sum >= SAFE_MIN_SQ && sum < Number.POSITIVE_INFINITY) return Math.sqrt(sum);
  return scaledNrm2(x, off, stride, len);
}

/** Below this the squares may have lost digits to gradual underflow. */
const SAFE_MIN_SQ = 1e-290;

/** ‖x‖₂ with a running scale (LAPACK `dnrm2` before 3.10): no overflow or underflow for any finite entries. */
function scaledNrm2(x: Float64Array, off: number, stride: number, len: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0, p = off; i < len; i++, p += stride) {
    const v = x[p]!;
    if (v === 0) continue;
    const av = Math.abs(v);
    if (scale < av) {
      const r = scale / av;
      ssq = 1 + ssq * r * r;
      scale = av;
    } else {
      const r = av / scale;
      ssq += r * r;
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Generates the reflector that maps x = (α, x₁…) to (β, 0…): on return `x[off]` holds β and the tail holds
 * v₁… (v₀ = 1 implied); returns τ (0 when x is already of that form, so H = I).
 */
export function makeReflector(x: Float64Array, off: number, stride: number, len: number): number {
  if (len <= 1) return 0;
  const xnorm = nrm2(x, off + stride, stride, len - 1);
  if (xnorm === 0) return 0;
  const alpha = x[off]!;
  // hypot is scaled; β takes the sign opposite to α so that α − β does not cancel
  const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const inv = alpha - beta;
  for (let i = 1, p = off + stride; i < len; i++, p += stride) x[p]! /= inv;
  x[off] = beta;
  return tau;
}

/**
 * Applies H = I − τ v vᵀ from the left to rows r0…r0+len−1, columns c0…c1−1 of the row-major `a` (row length
 * `n`); `v` (contiguous, v[0] = 1) has `len` entries; `w` is scratch of at least c1 entries.
 */
export function applyLeft(
  a: Float64Array,
  n: number,
  r0: number,
  len: number,
  c0: number,
  c1: number,
  v: Float64Array,
  tau: number,
  w: Float64Array,
): void {
  if (tau === 0 || c1 <= c0) return;
  for (let c = c0; c < c1; c++) w[c] = 0;
  for (let i = 0; i < len; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    const row = (r0 + i) * n;
    for (let c = c0; c < c1; c++) w[c]! += vi * a[row + c]!;
  }
  for (let i = 0; i < len; i++) {
    const f = tau * v[i]!;
    if (f === 0) continue;
    const row = (r0 + i) * n;
    for (let c = c0; c < c1; c++) a[row + c]! -= f * w[c]!;
  }
}

/**
 * Applies H = I − τ v vᵀ from the right to rows r0…r1−1, columns c0…c0+len−1 of the row-major `a` (row
 * length `n`): each row loses τ (row·v) vᵀ, one contiguous dot product and axpy per row.
 */
export function applyRight(
  a: Float64Array,
  n: number,
  r0: number,
  r1: number,
  c0: number,
  len: number,
  v: Float64Array,
  tau: number,
): void {
  if (tau === 0) return;
  for (let r = r0; r < r1; r++) {
    const row = r * n + c0;
    let d = 0;
    for (let i = 0; i < len; i++) d += a[row + i]! * v[i]!;
    if (d === 0) continue;
    d *= tau;
    for (let i = 0; i < len; i++) a[row + i]! -= d * v[i]!;
  }
}

/** Copies the reflector stored in `x` from `off` (stride, len) into a contiguous vector with v[0] = 1. */
export function reflectorVector(
  x: Float64Array,
  off: number,
  stride: number,
  len: number,
): Float64Array {
  const v = new Float64Array(len);
  v[0] = 1;
  for (let i = 1, p = off + stride; i < len; i++, p += stride) v[i] = x[p]!;
  return v;
}
