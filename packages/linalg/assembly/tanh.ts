// Vectorised tanh and the fused activation tanh(a·b + c), float64 (f64x2) and float32 (f32x4).
//
// tanh(x) = sign(x) · y / (y + 2) with y = expm1(2|x|), which keeps full relative accuracy near 0
// (no 1 − e^{-2x} cancellation). expm1(t) uses Cody–Waite reduction t = k·ln2 + r, |r| ≤ ln2/2,
// a Taylor polynomial for expm1(r), and expm1(t) = 2^k·expm1(r) + (2^k − 1) (Muller, "Elementary
// Functions", ch. 11; the ln2 split constants are fdlibm's). 2|x| is clamped where tanh rounds to
// ±1 (t = 40 in float64, 20 in float32), so infinities give ±1 and NaN propagates through min/div.
// Max error measured against Math.tanh: ~2 ulp (float64), ~1 ulp of float32.

// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-1;
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10;
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.44269504088896338700;

// @ts-ignore: decorator
@inline
function tanh2(x: v128): v128 {
  const t = f64x2.min(f64x2.add(f64x2.abs(x), f64x2.abs(x)), f64x2.splat(40.0));
  const k = f64x2.nearest(f64x2.mul(t, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(t, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  // expm1(r) = r + r²/2! + … + r¹³/13!, Horner in r; truncation < 1e-17 relative on |r| ≤ ln2/2.
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.mul(p, r);
  // 2^k from the exponent bits; k ≤ 58 here, so the result is a normal number.
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const twoK = i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  const y = f64x2.add(f64x2.mul(twoK, p), f64x2.sub(twoK, f64x2.splat(1.0)));
  const th = f64x2.div(y, f64x2.add(y, f64x2.splat(2.0)));
  return v128.or(th, v128.and(x, i64x2.splat(0x8000000000000000)));
}

// @ts-ignore: decorator
@inline const LN2_HI_F: f32 = 6.9314575195e-1;
// @ts-ignore: decorator
@inline const LN2_LO_F: f32 = 1.4286067653e-6;

// @ts-ignore: decorator
@inline
function tanh4(x: v128): v128 {
  const t = f32x4.min(f32x4.add(f32x4.abs(x), f32x4.abs(x)), f32x4.splat(20.0));
  const k = f32x4.nearest(f32x4.mul(t, f32x4.splat(<f32>INV_LN2)));
  const r = f32x4.sub(f32x4.sub(t, f32x4.mul(k, f32x4.splat(LN2_HI_F))), f32x4.mul(k, f32x4.splat(LN2_LO_F)));
  // expm1(r) to degree 8: truncation < 2e-9 relative on |r| ≤ ln2/2.
  let p = f32x4.splat(<f32>(1.0 / 40320.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 5040.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.mul(p, r);
  const twoK = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  const y = f32x4.add(f32x4.mul(twoK, p), f32x4.sub(twoK, f32x4.splat(1.0)));
  const th = f32x4.div(y, f32x4.add(y, f32x4.splat(2.0)));
  return v128.or(th, v128.and(x, i32x4.splat(0x80000000)));
}

/** out[i] = tanh(x[i]) for n float64 values (out may alias x). */
export function tanh_f64(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (i as usize) << 3;
    v128.store(out + o, tanh2(v128.load(x + o)));
  }
  if (i < n) {
    const o = (i as usize) << 3;
    store<f64>(out + o, f64x2.extract_lane(tanh2(f64x2.splat(load<f64>(x + o))), 0));
  }
}

/** out[i] = tanh(a[i]·b[i] + c[i]) for n float64 values (out may alias any input). */
export function mul_add_tanh_f64(a: usize, b: usize, c: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (i as usize) << 3;
    const z = f64x2.add(f64x2.mul(v128.load(a + o), v128.load(b + o)), v128.load(c + o));
    v128.store(out + o, tanh2(z));
  }
  if (i < n) {
    const o = (i as usize) << 3;
    const z = load<f64>(a + o) * load<f64>(b + o) + load<f64>(c + o);
    store<f64>(out + o, f64x2.extract_lane(tanh2(f64x2.splat(z)), 0));
  }
}

/** out[i] = tanh(x[i]) for n float32 values (out may alias x). */
export function tanh_f32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    v128.store(out + o, tanh4(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    store<f32>(out + o, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + o))), 0));
  }
}

/** out[i] = tanh(a[i]·b[i] + c[i]) for n float32 values (out may alias any input). */
export function mul_add_tanh_f32(a: usize, b: usize, c: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    const z = f32x4.add(f32x4.mul(v128.load(a + o), v128.load(b + o)), v128.load(c + o));
    v128.store(out + o, tanh4(z));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    const z = load<f32>(a + o) * load<f32>(b + o) + load<f32>(c + o);
    store<f32>(out + o, f32x4.extract_lane(tanh4(f32x4.splat(z)), 0));
  }
}
