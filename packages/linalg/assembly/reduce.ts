// Reductions over a contiguous run of n elements at byte address x (and y).
// Eight independent partial sums (four v128 accumulators) hide the add latency; float32 input is
// widened to float64 lanes before accumulating, so sum_f32/dot_f32 are as accurate as a float64 loop.

/** Σ x[i] (float64). */
export function sum_f64(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((i as usize) << 3);
    s0 = f64x2.add(s0, v128.load(p));
    s1 = f64x2.add(s1, v128.load(p, 16));
    s2 = f64x2.add(s2, v128.load(p, 32));
    s3 = f64x2.add(s3, v128.load(p, 48));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) acc += load<f64>(x + ((i as usize) << 3));
  return acc;
}

/** Σ x[i]·y[i] (float64). */
export function dot_f64(x: usize, y: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((i as usize) << 3);
    const q = y + ((i as usize) << 3);
    s0 = f64x2.add(s0, f64x2.mul(v128.load(p), v128.load(q)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(p, 16), v128.load(q, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(p, 32), v128.load(q, 32)));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(p, 48), v128.load(q, 48)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) acc += load<f64>(x + ((i as usize) << 3)) * load<f64>(y + ((i as usize) << 3));
  return acc;
}

/** Σ x[i] of float32 input, accumulated in float64. */
export function sum_f32(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((i as usize) << 2);
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i64x2.shuffle(v0, v0, 1, 0)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(i64x2.shuffle(v1, v1, 1, 0)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) acc += <f64>load<f32>(x + ((i as usize) << 2));
  return acc;
}

/** Σ x[i]·y[i] of float32 input; each product and the sum are formed in float64. */
export function dot_f32(x: usize, y: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((i as usize) << 2);
    const q = y + ((i as usize) << 2);
    const a0 = v128.load(p), a1 = v128.load(p, 16);
    const b0 = v128.load(q), b1 = v128.load(q, 16);
    s0 = f64x2.add(s0, f64x2.mul(f64x2.promote_low_f32x4(a0), f64x2.promote_low_f32x4(b0)));
    s1 = f64x2.add(s1, f64x2.mul(
      f64x2.promote_low_f32x4(i64x2.shuffle(a0, a0, 1, 0)),
      f64x2.promote_low_f32x4(i64x2.shuffle(b0, b0, 1, 0)),
    ));
    s2 = f64x2.add(s2, f64x2.mul(f64x2.promote_low_f32x4(a1), f64x2.promote_low_f32x4(b1)));
    s3 = f64x2.add(s3, f64x2.mul(
      f64x2.promote_low_f32x4(i64x2.shuffle(a1, a1, 1, 0)),
      f64x2.promote_low_f32x4(i64x2.shuffle(b1, b1, 1, 0)),
    ));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    acc += <f64>load<f32>(x + ((i as usize) << 2)) * <f64>load<f32>(y + ((i as usize) << 2));
  }
  return acc;
}
