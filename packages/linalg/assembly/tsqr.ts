// The two per-block steps of tall-skinny QR (src/decomp/kernels/tsqr.ts), float64, on one block of rows
// in the kernels' memory. The block is held column-major (rows × n, columns contiguous) so each reflector
// sweep is a long unit-stride loop; four columns share each pass over the reflector and two rows go per
// f64x2 lane pair. Conventions are LAPACK's `dgeqr2` / `dorg2r`: H = I − τ v vᵀ with v₀ = 1.

// Σ x[i]² over len entries from byte address x.
// @ts-ignore: decorator
@inline
function sumSquares(x: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const p = x + ((i as usize) << 3);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    s0 = f64x2.add(s0, f64x2.mul(a, a));
    s1 = f64x2.add(s1, f64x2.mul(b, b));
  }
  const s = f64x2.add(s0, s1);
  let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < len; i++) {
    const v = load<f64>(x + ((i as usize) << 3));
    acc += v * v;
  }
  return acc;
}

// ‖x‖₂ with a running scale (no overflow or underflow), for when the plain sum of squares is unsafe.
function scaledNorm(x: usize, len: i32): f64 {
  let scale: f64 = 0;
  let ssq: f64 = 1;
  for (let i = 0; i < len; i++) {
    const v = load<f64>(x + ((i as usize) << 3));
    if (v == 0) continue;
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

// Generates the reflector mapping x[0..len) to (β, 0, …): x[0] ← β, x[1..] ← v[1..]; returns τ.
function makeReflector(x: usize, len: i32): f64 {
  if (len <= 1) return 0;
  const tail = x + 8;
  let ss = sumSquares(tail, len - 1);
  let xnorm: f64;
  if (ss >= 1e-290 && ss < Infinity) xnorm = Math.sqrt(ss);
  else xnorm = scaledNorm(tail, len - 1);
  if (xnorm == 0) return 0;
  const alpha = load<f64>(x);
  const h = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const inv = alpha - beta;
  for (let i = 1; i < len; i++) {
    const p = x + ((i as usize) << 3);
    store<f64>(p, load<f64>(p) / inv);
  }
  store<f64>(x, beta);
  return tau;
}

// Applies H_j (v below the diagonal of column j of the column-major x, v_j = 1) to rows j… of columns
// c0…c1−1 of the column-major y (both with column stride `rows`).
function reflect(x: usize, j: i32, rows: i32, tau: f64, y: usize, c0: i32, c1: i32): void {
  if (tau == 0) return;
  const stride = (rows as usize) << 3;
  const v = x + ((j as usize) * stride);
  const r0 = j + 1;
  const len = rows - r0;
  const jb = (j as usize) << 3;
  const rb = (r0 as usize) << 3;
  let c = c0;
  for (; c + 4 <= c1; c += 4) {
    const y0 = y + (c as usize) * stride;
    const y1 = y0 + stride;
    const y2 = y1 + stride;
    const y3 = y2 + stride;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = rb + ((i as usize) << 3);
      const vv = v128.load(v + o);
      a0 = f64x2.add(a0, f64x2.mul(vv, v128.load(y0 + o)));
      a1 = f64x2.add(a1, f64x2.mul(vv, v128.load(y1 + o)));
      a2 = f64x2.add(a2, f64x2.mul(vv, v128.load(y2 + o)));
      a3 = f64x2.add(a3, f64x2.mul(vv, v128.load(y3 + o)));
    }
    let d0 = load<f64>(y0 + jb) + f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
    let d1 = load<f64>(y1 + jb) + f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
    let d2 = load<f64>(y2 + jb) + f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
    let d3 = load<f64>(y3 + jb) + f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
    if (i < len) {
      const o = rb + ((i as usize) << 3);
      const vr = load<f64>(v + o);
      d0 += vr * load<f64>(y0 + o);
      d1 += vr * load<f64>(y1 + o);
      d2 += vr * load<f64>(y2 + o);
      d3 += vr * load<f64>(y3 + o);
    }
    d0 *= tau;
    d1 *= tau;
    d2 *= tau;
    d3 *= tau;
    store<f64>(y0 + jb, load<f64>(y0 + jb) - d0);
    store<f64>(y1 + jb, load<f64>(y1 + jb) - d1);
    store<f64>(y2 + jb, load<f64>(y2 + jb) - d2);
    store<f64>(y3 + jb, load<f64>(y3 + jb) - d3);
    const e0 = f64x2.splat(d0), e1 = f64x2.splat(d1), e2 = f64x2.splat(d2), e3 = f64x2.splat(d3);
    i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = rb + ((i as usize) << 3);
      const vv = v128.load(v + o);
      v128.store(y0 + o, f64x2.sub(v128.load(y0 + o), f64x2.mul(e0, vv)));
      v128.store(y1 + o, f64x2.sub(v128.load(y1 + o), f64x2.mul(e1, vv)));
      v128.store(y2 + o, f64x2.sub(v128.load(y2 + o), f64x2.mul(e2, vv)));
      v128.store(y3 + o, f64x2.sub(v128.load(y3 + o), f64x2.mul(e3, vv)));
    }
    if (i < len) {
      const o = rb + ((i as usize) << 3);
      const vr = load<f64>(v + o);
      store<f64>(y0 + o, load<f64>(y0 + o) - d0 * vr);
      store<f64>(y1 + o, load<f64>(y1 + o) - d1 * vr);
      store<f64>(y2 + o, load<f64>(y2 + o) - d2 * vr);
      store<f64>(y3 + o, load<f64>(y3 + o) - d3 * vr);
    }
  }
  for (; c < c1; c++) {
    const yc = y + (c as usize) * stride;
    let d = load<f64>(yc + jb);
    for (let i = 0; i < len; i++) {
      const o = rb + ((i as usize) << 3);
      d += load<f64>(v + o) * load<f64>(yc + o);
    }
    d *= tau;
    store<f64>(yc + jb, load<f64>(yc + jb) - d);
    for (let i = 0; i < len; i++) {
      const o = rb + ((i as usize) << 3);
      store<f64>(yc + o, load<f64>(yc + o) - d * load<f64>(v + o));
    }
  }
}

/**
 * Householder QR of the row-major rows×n block at `a`: writes it column-major to `x` and factors it
 * there (R on and above the diagonal, the reflectors' tails below), the n τs to `taus`.
 */
export function tsqr_factor_f64(a: usize, rows: i32, n: i32, x: usize, taus: usize): void {
  const stride = (rows as usize) << 3;
  for (let r = 0; r < rows; r++) {
    const row = a + ((r * n) as usize) * 8;
    const at = x + ((r as usize) << 3);
    for (let c = 0; c < n; c++) store<f64>(at + (c as usize) * stride, load<f64>(row + ((c as usize) << 3)));
  }
  for (let j = 0; j < n; j++) {
    const tau = makeReflector(x + (j as usize) * stride + ((j as usize) << 3), rows - j);
    store<f64>(taus + ((j as usize) << 3), tau);
    reflect(x, j, rows, tau, x, j + 1, n);
  }
}

/**
 * The block's rows of Q: H₀ ⋯ H_{n−1} [S; 0] with S the row-major n×n at `s`, the reflectors in the
 * column-major `x` from {@link tsqr_factor_f64}; `q` is rows×n column-major scratch, the result is written
 * row-major to `out`.
 */
export function tsqr_q_f64(x: usize, rows: i32, n: i32, taus: usize, s: usize, q: usize, out: usize): void {
  const stride = (rows as usize) << 3;
  memory.fill(q, 0, (n as usize) * stride);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      store<f64>(q + (c as usize) * stride + ((r as usize) << 3), load<f64>(s + ((r * n + c) as usize) * 8));
    }
  }
  for (let j = n - 1; j >= 0; j--) reflect(x, j, rows, load<f64>(taus + ((j as usize) << 3)), q, 0, n);
  for (let r = 0; r < rows; r++) {
    const row = out + ((r * n) as usize) * 8;
    const at = q + ((r as usize) << 3);
    for (let c = 0; c < n; c++) store<f64>(row + ((c as usize) << 3), load<f64>(at + (c as usize) * stride));
  }
}
