// Power-of-two complex FFTs in float32 (complex64), interleaved (re, im): one v128 (f32x4) holds two complex
// numbers, so each butterfly below does two transforms' worth of work — twice the lanes of the float64 kernel
// (fft.ts) and half its memory traffic. The algorithm is fft.ts's Stockham autosort FFT (Govindaraju et al.,
// SC'08): a first pass of radix 8 (log2 n odd) or 16 (even) with constant twiddles, then radix-4 passes.
// In the radix-4 passes the two lanes hold neighbouring jj of one sub-transform (inputs and outputs both
// contiguous); in the first pass they hold neighbouring j, whose outputs lie 8 or 16 apart, so the results
// are transposed by 64-bit shuffles before the stores. Every length ≥ 32 (both first passes need two j).
//
// Accuracy: twiddles are computed in float64 and rounded once to float32 (src/kernels/fft.ts), every
// butterfly is float32, so the error is O(ε₃₂ log n) relative to the signal (Schatzman 1996), like a float32
// FFTW; the tests bound it against the float64 DFT.
//
// Twiddles of a radix-4 pass over sub-transforms of length ns: for each pair (jj, jj + 1), jj even, and
// r = 1, 2, 3, two v128 (wr₀, wr₀, wr₁, wr₁) and (−wi₀, wi₀, −wi₁, wi₁) of w^{r·jj}, w^{r·(jj+1)}
// (w = e^{−2πi/(4ns)}): 96 bytes per pair, so a·w = a·(wr, wr) + swap(a)·(−wi, wi) needs no shuffle of w.

// sign bits of the imaginary lanes: xor conjugates both complex numbers
const SIGN_IM: v128 = i32x4(0, 0x80000000, 0, 0x80000000);

// (re, im) → (im, re) in both complex numbers
// @ts-ignore: decorator
@inline
function swap(a: v128): v128 {
  return i32x4.shuffle(a, a, 1, 0, 3, 2);
}

// −i·a = (ai, −ar) in both lanes
// @ts-ignore: decorator
@inline
function mulNegI(a: v128): v128 {
  return v128.xor(swap(a), SIGN_IM);
}

// a·w with w given as (wr, wr), (−wi, wi) pairs at byte address t
// @ts-ignore: decorator
@inline
function cmul(a: v128, t: usize): v128 {
  return f32x4.add(f32x4.mul(a, v128.load(t)), f32x4.mul(swap(a), v128.load(t, 16)));
}

// a·w for a constant w given as (wr, wr, wr, wr) and (−wi, wi, −wi, wi)
// @ts-ignore: decorator
@inline
function cmulc(a: v128, wrr: v128, wii: v128): v128 {
  return f32x4.add(f32x4.mul(a, wrr), f32x4.mul(swap(a), wii));
}

// cos(π/8), sin(π/8), √2/2 (float64 constants, rounded once to float32 by splat)
const C16: f32 = <f32>0.9238795325112867;
const S16: f32 = <f32>0.3826834323650898;
const R8: f32 = <f32>0.7071067811865476;

// w8 · a = (1 − i)·a/√2
// @ts-ignore: decorator
@inline
function mulW8(a: v128): v128 {
  return f32x4.mul(f32x4.add(a, mulNegI(a)), f32x4.splat(R8));
}

// w8³ · a = (−1 − i)·a/√2
// @ts-ignore: decorator
@inline
function mulW83(a: v128): v128 {
  return f32x4.mul(f32x4.sub(mulNegI(a), a), f32x4.splat(R8));
}

// The first complex of a and of b (lanes of j), then the second ones (j + 1): the transpose before a store.
// @ts-ignore: decorator
@inline
function lows(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 0, 2);
}

// @ts-ignore: decorator
@inline
function highs(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 1, 3);
}

// The radix-8 first pass (ns = 1), j and j + 1 at once: y[8j + k] = Σ_r x[j + r·n/8] w8^{rk}, as two length-4
// DFTs of the even and odd r and a radix-2 step with w8^k (fft.ts radix8First). Needs n/8 even.
function radix8First(x: usize, y: usize, n: i32): void {
  const q = n >> 3;
  const s = (q as usize) << 3;
  for (let j = 0; j < q; j += 2) {
    const p = x + ((j as usize) << 3);
    const x0 = v128.load(p);
    const x1 = v128.load(p + s);
    const x2 = v128.load(p + 2 * s);
    const x3 = v128.load(p + 3 * s);
    const x4 = v128.load(p + 4 * s);
    const x5 = v128.load(p + 5 * s);
    const x6 = v128.load(p + 6 * s);
    const x7 = v128.load(p + 7 * s);
    const a0 = f32x4.add(x0, x4);
    const a1 = f32x4.sub(x0, x4);
    const a2 = f32x4.add(x2, x6);
    const a3 = mulNegI(f32x4.sub(x2, x6));
    const b0 = f32x4.add(x1, x5);
    const b1 = f32x4.sub(x1, x5);
    const b2 = f32x4.add(x3, x7);
    const b3 = mulNegI(f32x4.sub(x3, x7));
    const A0 = f32x4.add(a0, a2);
    const A1 = f32x4.add(a1, a3);
    const A2 = f32x4.sub(a0, a2);
    const A3 = f32x4.sub(a1, a3);
    const B0 = f32x4.add(b0, b2);
    const B1 = mulW8(f32x4.add(b1, b3));
    const B2 = mulNegI(f32x4.sub(b0, b2));
    const B3 = mulW83(f32x4.sub(b1, b3));
    const X0 = f32x4.add(A0, B0);
    const X1 = f32x4.add(A1, B1);
    const X2 = f32x4.add(A2, B2);
    const X3 = f32x4.add(A3, B3);
    const X4 = f32x4.sub(A0, B0);
    const X5 = f32x4.sub(A1, B1);
    const X6 = f32x4.sub(A2, B2);
    const X7 = f32x4.sub(A3, B3);
    // row j at o (8 complex = 64 bytes), row j + 1 right after it
    const o = y + ((j as usize) << 6);
    v128.store(o, lows(X0, X1));
    v128.store(o, lows(X2, X3), 16);
    v128.store(o, lows(X4, X5), 32);
    v128.store(o, lows(X6, X7), 48);
    v128.store(o, highs(X0, X1), 64);
    v128.store(o, highs(X2, X3), 80);
    v128.store(o, highs(X4, X5), 96);
    v128.store(o, highs(X6, X7), 112);
  }
}

// D = (a0 … a3) and E = (b0 … b3) hold D_s[k'] and D_s[k' + 1] (fft.ts radix16First); writes the length-4 DFTs
// over s, X_{k' + 4m} and X_{k' + 1 + 4m}, as pairs at o + 32m (j) and o + 128 + 32m (j + 1).
// @ts-ignore: decorator
@inline
function store4Pairs(
  o: usize, a0: v128, a1: v128, a2: v128, a3: v128, b0: v128, b1: v128, b2: v128, b3: v128,
): void {
  const t0 = f32x4.add(a0, a2);
  const t1 = f32x4.sub(a0, a2);
  const t2 = f32x4.add(a1, a3);
  const t3 = mulNegI(f32x4.sub(a1, a3));
  const u0 = f32x4.add(b0, b2);
  const u1 = f32x4.sub(b0, b2);
  const u2 = f32x4.add(b1, b3);
  const u3 = mulNegI(f32x4.sub(b1, b3));
  const A0 = f32x4.add(t0, t2);
  const B0 = f32x4.add(u0, u2);
  v128.store(o, lows(A0, B0));
  v128.store(o, highs(A0, B0), 128);
  const A1 = f32x4.add(t1, t3);
  const B1 = f32x4.add(u1, u3);
  v128.store(o, lows(A1, B1), 32);
  v128.store(o, highs(A1, B1), 160);
  const A2 = f32x4.sub(t0, t2);
  const B2 = f32x4.sub(u0, u2);
  v128.store(o, lows(A2, B2), 64);
  v128.store(o, highs(A2, B2), 192);
  const A3 = f32x4.sub(t1, t3);
  const B3 = f32x4.sub(u1, u3);
  v128.store(o, lows(A3, B3), 96);
  v128.store(o, highs(A3, B3), 224);
}

// The length-4 DFT of x[s], x[s + 4], x[s + 8], x[s + 12] (s·q apart in x, q = n/16) at p: writes k' = 0 … 3 to
// out (four v128 at out … out + 48).
// @ts-ignore: decorator
@inline
function dft4Load(p: usize, s: usize, out: usize): void {
  const u0 = v128.load(p);
  const u1 = v128.load(p + 4 * s);
  const u2 = v128.load(p + 8 * s);
  const u3 = v128.load(p + 12 * s);
  const t0 = f32x4.add(u0, u2);
  const t1 = f32x4.sub(u0, u2);
  const t2 = f32x4.add(u1, u3);
  const t3 = mulNegI(f32x4.sub(u1, u3));
  v128.store(out, f32x4.add(t0, t2));
  v128.store(out, f32x4.add(t1, t3), 16);
  v128.store(out, f32x4.sub(t0, t2), 32);
  v128.store(out, f32x4.sub(t1, t3), 48);
}

// The radix-16 first pass (ns = 1), j and j + 1 at once: four length-4 DFTs D_s over r ≡ s (mod 4), the
// constant twiddles w16^{s·k'}, four length-4 DFTs over s (fft.ts radix16First). The D_s go through a 256-byte
// block of scratch (`d`), which stays in L1: sixteen live v128 would spill anyway. Needs n/16 even.
function radix16First(x: usize, y: usize, n: i32, d: usize): void {
  const q = n >> 4;
  const s = (q as usize) << 3;
  const w1r = f32x4.splat(C16);
  const w1i = f32x4(S16, -S16, S16, -S16);
  const w3r = f32x4.splat(S16);
  const w3i = f32x4(C16, -C16, C16, -C16);
  const w9r = f32x4.splat(-C16);
  const w9i = f32x4(-S16, S16, -S16, S16);
  for (let j = 0; j < q; j += 2) {
    const p = x + ((j as usize) << 3);
    dft4Load(p, s, d);
    dft4Load(p + s, s, d + 64);
    dft4Load(p + 2 * s, s, d + 128);
    dft4Load(p + 3 * s, s, d + 192);
    const d00 = v128.load(d);
    const d01 = v128.load(d, 16);
    const d02 = v128.load(d, 32);
    const d03 = v128.load(d, 48);
    const d10 = v128.load(d, 64);
    const d11 = cmulc(v128.load(d, 80), w1r, w1i);
    const d12 = mulW8(v128.load(d, 96));
    const d13 = cmulc(v128.load(d, 112), w3r, w3i);
    const d20 = v128.load(d, 128);
    const d21 = mulW8(v128.load(d, 144));
    const d22 = mulNegI(v128.load(d, 160));
    const d23 = mulW83(v128.load(d, 176));
    const d30 = v128.load(d, 192);
    const d31 = cmulc(v128.load(d, 208), w3r, w3i);
    const d32 = mulW83(v128.load(d, 224));
    const d33 = cmulc(v128.load(d, 240), w9r, w9i);
    // row j at o (16 complex = 128 bytes), row j + 1 right after it
    const o = y + ((j as usize) << 7);
    store4Pairs(o, d00, d10, d20, d30, d01, d11, d21, d31);
    store4Pairs(o + 16, d02, d12, d22, d32, d03, d13, d23, d33);
  }
}

// A radix-4 pass over sub-transforms of length ns ≥ 8 with the pass's twiddles at tw (96 bytes per jj pair).
function radix4(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  const q = n >> 2;
  const quarter = (q as usize) << 3;
  const stride = (ns as usize) << 3;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const src = x + ((j0 as usize) << 3);
    const dst = y + ((j0 as usize) << 5);
    for (let jj = 0; jj < ns; jj += 2) {
      const p = src + ((jj as usize) << 3);
      const t = tw + (jj as usize) * 48;
      const a0 = v128.load(p);
      const a1 = cmul(v128.load(p + quarter), t);
      const a2 = cmul(v128.load(p + 2 * quarter), t + 32);
      const a3 = cmul(v128.load(p + 3 * quarter), t + 64);
      const t0 = f32x4.add(a0, a2);
      const t1 = f32x4.sub(a0, a2);
      const t2 = f32x4.add(a1, a3);
      const t3 = mulNegI(f32x4.sub(a1, a3));
      const o = dst + ((jj as usize) << 3);
      v128.store(o, f32x4.add(t0, t2));
      v128.store(o + stride, f32x4.add(t1, t3));
      v128.store(o + 2 * stride, f32x4.sub(t0, t2));
      v128.store(o + 3 * stride, f32x4.sub(t1, t3));
    }
  }
}

/** Sub-transform length after the first pass: 8 (log2 n odd) or 16 (even). */
function firstNs(n: i32): i32 {
  return ((31 - clz(n)) & 1) != 0 ? 8 : 16;
}

/** Bytes of fft_c64's twiddle table for length n = 2^k ≥ 32 (48 per jj of each radix-4 pass). */
export function fft_c64_twiddle_bytes(n: i32): i32 {
  let bytes = 0;
  for (let ns = firstNs(n); ns * 4 <= n; ns *= 4) bytes += ns * 48;
  return bytes;
}

/** Bytes of scratch fft_c64 needs besides x and y (the radix-16 first pass's block). */
export function fft_c64_scratch_bytes(n: i32): i32 {
  return firstNs(n) == 16 ? 256 : 0;
}

/**
 * Forward DFTs X_k = Σ_j x_j e^{−2πi jk/n} of `rows` contiguous rows of n = 2^k ≥ 32 complex64 numbers at x,
 * with y (same size) as the other buffer, the twiddles at tw (layout of fft_c64_twiddle_bytes) and
 * fft_c64_scratch_bytes(n) of scratch; returns the byte address of the results (x or y, the same for every
 * row). x is overwritten.
 */
export function fft_c64(x: usize, y: usize, n: i32, rows: i32, tw: usize, scratch: usize): usize {
  const rowBytes = (n as usize) << 3;
  const first = firstNs(n);
  let result = x;
  for (let r = 0; r < rows; r++) {
    let src = x + (r as usize) * rowBytes;
    let dst = y + (r as usize) * rowBytes;
    if (first == 8) radix8First(src, dst, n);
    else radix16First(src, dst, n, scratch);
    let s = src;
    src = dst;
    dst = s;
    let t = tw;
    for (let ns = first; ns * 4 <= n; ns *= 4) {
      radix4(src, dst, n, ns, t);
      t += (ns as usize) * 48;
      s = src;
      src = dst;
      dst = s;
    }
    result = src - (r as usize) * rowBytes;
  }
  return result;
}

/** z[i] ← (re·sr, im·si) for `count` complex64 numbers at z (conjugation and scaling around the passes). */
export function scale_c64(z: usize, count: i32, sr: f32, si: f32): void {
  const s = f32x4(sr, si, sr, si);
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    const p = z + ((i as usize) << 3);
    v128.store(p, f32x4.mul(v128.load(p), s));
  }
  if (i < count) {
    const p = z + ((i as usize) << 3);
    store<f32>(p, load<f32>(p) * sr);
    store<f32>(p, load<f32>(p, 4) * si, 4);
  }
}

/**
 * One frequency k of rfft_post_c64 (and its mirror m − k when k < m/2), in float64 from the float32 inputs:
 * the ends of the paired loop.
 */
function postOne(zr: usize, orow: usize, m: i32, k: i32, wr: usize, wi: usize, half: f64): void {
  const ar = <f64>load<f32>(zr + ((k as usize) << 3));
  const ai = <f64>load<f32>(zr + ((k as usize) << 3), 4);
  const kb = k == 0 ? 0 : m - k;
  const br = <f64>load<f32>(zr + ((kb as usize) << 3));
  const bi = -<f64>load<f32>(zr + ((kb as usize) << 3), 4);
  const er = ar + br;
  const ei = ai + bi;
  // o = −i·(a − b), times w = (cr, −sn) stored as (wr, wr) and (−wi, wi)
  const or = ai - bi;
  const oi = br - ar;
  const cr = <f64>load<f32>(wr + ((k as usize) << 3));
  const wim = <f64>load<f32>(wi + ((k as usize) << 3), 4);
  const wor = or * cr - oi * wim;
  const woi = or * wim + oi * cr;
  store<f32>(orow + ((k as usize) << 3), <f32>((er + wor) * half));
  store<f32>(orow + ((k as usize) << 3), <f32>((ei + woi) * half), 4);
  if (2 * k < m) {
    store<f32>(orow + (((m - k) as usize) << 3), <f32>((er - wor) * half));
    store<f32>(orow + (((m - k) as usize) << 3), <f32>(-(ei - woi) * half), 4);
  }
}

/**
 * The real-input post-pass in float32 (fft.ts rfft_post_c128, the same maths): from Z = FFT_m(z), z_j =
 * x_{2j} + i x_{2j+1} (rows of m ≥ 4 complex64 at z), the m + 1 non-negative frequencies of the length-2m real
 * DFT, X_k = E_k + w^k O_k and X_{m−k} = conj(E_k − w^k O_k), times `scale`, into out (rows of m + 1). The
 * w^k (k ≤ m) at tw as two arrays of m + 1 pairs, (wr, wr) then (−wi, wi), so any two neighbouring k load as
 * one v128 each. Pairs (k, k + 1) with 1 ≤ k, k + 1 < m/2 are done in f32x4 (the mirrors m − k − 1, m − k
 * load as one v128 and swap halves); k = 0, m/2 and an odd one left over by postOne.
 */
export function rfft_post_c64(z: usize, out: usize, m: i32, rows: i32, tw: usize, scale: f32): void {
  const halfScale = f32x4.splat(<f32>0.5 * scale);
  const h = m >> 1;
  const wr = tw;
  const wi = tw + (((m + 1) as usize) << 3);
  for (let r = 0; r < rows; r++) {
    const zr = z + (r as usize) * ((m as usize) << 3);
    const orow = out + (r as usize) * (((m + 1) as usize) << 3);
    postOne(zr, orow, m, 0, wr, wi, 0.5 * <f64>scale);
    let k = 1;
    for (; k + 1 < h; k += 2) {
      const a = v128.load(zr + ((k as usize) << 3));
      const mirror = v128.load(zr + (((m - k - 1) as usize) << 3));
      const b = v128.xor(i64x2.shuffle(mirror, mirror, 1, 0), SIGN_IM);
      const e = f32x4.add(a, b);
      const d = mulNegI(f32x4.sub(a, b));
      const wo = f32x4.add(
        f32x4.mul(d, v128.load(wr + ((k as usize) << 3))),
        f32x4.mul(swap(d), v128.load(wi + ((k as usize) << 3))),
      );
      v128.store(orow + ((k as usize) << 3), f32x4.mul(f32x4.add(e, wo), halfScale));
      const lo = v128.xor(f32x4.mul(f32x4.sub(e, wo), halfScale), SIGN_IM);
      v128.store(orow + (((m - k - 1) as usize) << 3), i64x2.shuffle(lo, lo, 1, 0));
    }
    for (; k <= h; k++) postOne(zr, orow, m, k, wr, wi, 0.5 * <f64>scale);
  }
}
