// Power-of-two complex FFTs, float64, interleaved (re, im): one complex number is one v128 (f64x2), so a
// butterfly is a handful of f64x2 adds and the twiddle multiply is two muls, a shuffle and an add. The
// algorithm is the Stockham autosort FFT (no bit reversal, unit-stride reads and writes) of
// src/fft/stockham.ts: a first pass of radix 8 (log2 n odd) or 16 (even) with constant twiddles, then radix-4
// passes: pass s of radix R over sub-transforms of length ns reads x[j + r·n/R], multiplies by
// e^{−2πi (j mod ns) r/(ns R)}, does a length-R DFT and writes y[(j − j mod ns)·R + j mod ns + r·ns]
// (Govindaraju et al., SC'08, Fig. 2).
//
// Twiddles come precomputed (src/kernels/fft.ts, one table per length, kept resident): for each radix-4
// pass after the first, for jj < ns, the three factors w^{jj}, w^{2jj}, w^{3jj} (w = e^{−2πi/(4ns)}), each stored
// as two v128 (wr, wr) and (−wi, wi), so a·w = a·(wr, wr) + swap(a)·(−wi, wi) needs no shuffle of w.

// sign bit of lane 1: xor flips the imaginary part
const SIGN_HI: v128 = i64x2(0, 0x8000000000000000);

// @ts-ignore: decorator
@inline
function swap(a: v128): v128 {
  return i64x2.shuffle(a, a, 1, 0);
}

// a·w with w given as (wr, wr), (−wi, wi) at byte address t
// @ts-ignore: decorator
@inline
function cmul(a: v128, t: usize): v128 {
  return f64x2.add(f64x2.mul(a, v128.load(t)), f64x2.mul(swap(a), v128.load(t, 16)));
}

// −i·a = (ai, −ar)
// @ts-ignore: decorator
@inline
function mulNegI(a: v128): v128 {
  return v128.xor(swap(a), SIGN_HI);
}

// The radix-2 first pass (ns = 1, no twiddles): y[2j] = x[j] + x[j+q], y[2j+1] = x[j] − x[j+q].
function radix2First(x: usize, y: usize, n: i32): void {
  const q = n >> 1;
  const half = (q as usize) << 4;
  for (let j = 0; j < q; j++) {
    const p = x + ((j as usize) << 4);
    const a = v128.load(p);
    const b = v128.load(p + half);
    const o = y + ((j as usize) << 5);
    v128.store(o, f64x2.add(a, b));
    v128.store(o, f64x2.sub(a, b), 16);
  }
}

// A radix-4 pass with ns = 1 (no twiddles): outputs of j at 4j … 4j+3.
function radix4First(x: usize, y: usize, n: i32): void {
  const q = n >> 2;
  const quarter = (q as usize) << 4;
  for (let j = 0; j < q; j++) {
    const p = x + ((j as usize) << 4);
    const a0 = v128.load(p);
    const a1 = v128.load(p + quarter);
    const a2 = v128.load(p + 2 * quarter);
    const a3 = v128.load(p + 3 * quarter);
    const t0 = f64x2.add(a0, a2);
    const t1 = f64x2.sub(a0, a2);
    const t2 = f64x2.add(a1, a3);
    const t3 = mulNegI(f64x2.sub(a1, a3));
    const o = y + ((j as usize) << 6);
    v128.store(o, f64x2.add(t0, t2));
    v128.store(o, f64x2.add(t1, t3), 16);
    v128.store(o, f64x2.sub(t0, t2), 32);
    v128.store(o, f64x2.sub(t1, t3), 48);
  }
}

// a·w for a constant w given as (wr, wr) and (−wi, wi)
// @ts-ignore: decorator
@inline
function cmulc(a: v128, wrr: v128, wii: v128): v128 {
  return f64x2.add(f64x2.mul(a, wrr), f64x2.mul(swap(a), wii));
}

// cos(π/8), sin(π/8), √2/2 (correctly rounded)
const C16: f64 = 0.9238795325112867;
const S16: f64 = 0.3826834323650898;
const R8: f64 = 0.7071067811865476;

// w8 · a = (1 − i)·a/√2
// @ts-ignore: decorator
@inline
function mulW8(a: v128): v128 {
  return f64x2.mul(f64x2.add(a, mulNegI(a)), f64x2.splat(R8));
}

// w8³ · a = (−1 − i)·a/√2
// @ts-ignore: decorator
@inline
function mulW83(a: v128): v128 {
  return f64x2.mul(f64x2.sub(mulNegI(a), a), f64x2.splat(R8));
}

// The first pass as one radix-8 butterfly per j (ns = 1, no table twiddles): y[8j + k] = Σ_r x[j + r·n/8] w8^{rk},
// as two length-4 DFTs of the even and odd r and a radix-2 step with w8^k. Used when log2 n is odd (≥ 3), so
// the radix-4 passes after it start at ns = 8 — one pass over the data fewer than radix-2 then radix-4.
export function radix8First(x: usize, y: usize, n: i32): void {
  const q = n >> 3;
  const s = (q as usize) << 4;
  for (let j = 0; j < q; j++) {
    const p = x + ((j as usize) << 4);
    const x0 = v128.load(p);
    const x1 = v128.load(p + s);
    const x2 = v128.load(p + 2 * s);
    const x3 = v128.load(p + 3 * s);
    const x4 = v128.load(p + 4 * s);
    const x5 = v128.load(p + 5 * s);
    const x6 = v128.load(p + 6 * s);
    const x7 = v128.load(p + 7 * s);
    // A = DFT4(x0, x2, x4, x6), B = DFT4(x1, x3, x5, x7)
    const a0 = f64x2.add(x0, x4);
    const a1 = f64x2.sub(x0, x4);
    const a2 = f64x2.add(x2, x6);
    const a3 = mulNegI(f64x2.sub(x2, x6));
    const b0 = f64x2.add(x1, x5);
    const b1 = f64x2.sub(x1, x5);
    const b2 = f64x2.add(x3, x7);
    const b3 = mulNegI(f64x2.sub(x3, x7));
    const A0 = f64x2.add(a0, a2);
    const A1 = f64x2.add(a1, a3);
    const A2 = f64x2.sub(a0, a2);
    const A3 = f64x2.sub(a1, a3);
    const B0 = f64x2.add(b0, b2);
    const B1 = mulW8(f64x2.add(b1, b3));
    const B2 = mulNegI(f64x2.sub(b0, b2));
    const B3 = mulW83(f64x2.sub(b1, b3));
    const o = y + ((j as usize) << 7);
    v128.store(o, f64x2.add(A0, B0));
    v128.store(o, f64x2.add(A1, B1), 16);
    v128.store(o, f64x2.add(A2, B2), 32);
    v128.store(o, f64x2.add(A3, B3), 48);
    v128.store(o, f64x2.sub(A0, B0), 64);
    v128.store(o, f64x2.sub(A1, B1), 80);
    v128.store(o, f64x2.sub(A2, B2), 96);
    v128.store(o, f64x2.sub(A3, B3), 112);
  }
}

// w16 = e^{−2πi/16} and its powers 3 and 9 as (wr, wr), (−wi, wi) for cmulc
const W1R: v128 = f64x2(C16, C16);
const W1I: v128 = f64x2(S16, -S16);
const W3R: v128 = f64x2(S16, S16);
const W3I: v128 = f64x2(C16, -C16);
const W9R: v128 = f64x2(-C16, -C16);
const W9I: v128 = f64x2(-S16, S16);

// D_g[k'] = w16^{g·k'} · Σ_m x[j + (g + 4m)·q] w4^{m·k'} (k' = 0 … 3) for one j, from the input at p (x[j]),
// s = q·16 bytes, stored at o + 64g + 16k' (o: y[16j]), where the radix-16 pass's second level reads them.
// g is a constant at every call (the twiddles fold by inlining).
// @ts-ignore: decorator
@inline
function radix16Level1(p: usize, s: usize, o: usize, g: i32): void {
  const u0 = v128.load(p + (g as usize) * s);
  const u1 = v128.load(p + ((g + 4) as usize) * s);
  const u2 = v128.load(p + ((g + 8) as usize) * s);
  const u3 = v128.load(p + ((g + 12) as usize) * s);
  const t0 = f64x2.add(u0, u2);
  const t1 = f64x2.sub(u0, u2);
  const t2 = f64x2.add(u1, u3);
  const t3 = mulNegI(f64x2.sub(u1, u3));
  let d1 = f64x2.add(t1, t3);
  let d2 = f64x2.sub(t0, t2);
  let d3 = f64x2.sub(t1, t3);
  if (g == 1) {
    d1 = cmulc(d1, W1R, W1I);
    d2 = mulW8(d2);
    d3 = cmulc(d3, W3R, W3I);
  } else if (g == 2) {
    d1 = mulW8(d1);
    d2 = mulNegI(d2);
    d3 = mulW83(d3);
  } else if (g == 3) {
    d1 = cmulc(d1, W3R, W3I);
    d2 = mulW83(d2);
    d3 = cmulc(d3, W9R, W9I);
  }
  const at = o + ((g as usize) << 6);
  v128.store(at, f64x2.add(t0, t2));
  v128.store(at, d1, 16);
  v128.store(at, d2, 32);
  v128.store(at, d3, 48);
}

// j per block of the radix-16 first pass: each block reads two 64-byte lines of each of the 16 input streams
// (4 and 2 measured slower: 1.35 and 1.9 ns per element at 2^12 against 1.25).
const R16_BLOCK: i32 = 8;

// The first pass as one radix-16 butterfly per j (ns = 1, no table twiddles): y[16j + k] = Σ_r x[j + r·n/16]
// w16^{rk}, as four length-4 DFTs D_g over r ≡ g (mod 4), the constant twiddles w16^{g·k'} and four
// length-4 DFTs over g (X_{k' + 4m} = Σ_g w4^{gm} w16^{gk'} D_g[k']). Used when log2 n is even (≥ 4), so the
// radix-4 passes after it start at ns = 16 — one pass over the data fewer than two radix-4 passes.
// The 16 inputs of a j lie n bytes (n/16 complex) apart: from n = 2^12 on a multiple of 4 KiB, so all 16 streams
// map to one set of the 8-way L1, and taking all 16 per j evicted each line before its next j used it (2.9
// ns per element at 2^12 … 2^16 against 1.0 for a radix-4 pass; 2026-12, loaded 2-core EPYC, CPU time). So the
// pass runs in blocks of R16_BLOCK j (1.2–1.4 ns per element at 2^10 … 2^16):
// first the D_g of the block, four streams at a time, each line read whole, into the block's own output
// (2 KiB, stays in L1), then the DFTs over g in place. Same products and sums as the unblocked butterfly.
export function radix16First(x: usize, y: usize, n: i32): void {
  const q = n >> 4;
  const s = (q as usize) << 4;
  const block = q < R16_BLOCK ? q : R16_BLOCK;
  for (let j0 = 0; j0 < q; j0 += block) {
    const p = x + ((j0 as usize) << 4);
    const o = y + ((j0 as usize) << 8);
    const end = (block as usize) << 4;
    for (let b: usize = 0; b < end; b += 16) radix16Level1(p + b, s, o + (b << 4), 0);
    for (let b: usize = 0; b < end; b += 16) radix16Level1(p + b, s, o + (b << 4), 1);
    for (let b: usize = 0; b < end; b += 16) radix16Level1(p + b, s, o + (b << 4), 2);
    for (let b: usize = 0; b < end; b += 16) radix16Level1(p + b, s, o + (b << 4), 3);
    // X_{k' + 4m} for each j of the block, k' = 0 … 3: the DFT over g of the D_g[k'] at o + 16k' + 64g
    for (let b: usize = 0; b < end << 4; b += 256) {
      dft4InPlace(o + b);
      dft4InPlace(o + b + 16);
      dft4InPlace(o + b + 32);
      dft4InPlace(o + b + 48);
    }
  }
}

// The length-4 DFT of the values at o, o + 64, o + 128, o + 192 (stride 4 complex), written back in place.
// @ts-ignore: decorator
@inline
function dft4InPlace(o: usize): void {
  const a0 = v128.load(o);
  const a1 = v128.load(o, 64);
  const a2 = v128.load(o, 128);
  const a3 = v128.load(o, 192);
  const t0 = f64x2.add(a0, a2);
  const t1 = f64x2.sub(a0, a2);
  const t2 = f64x2.add(a1, a3);
  const t3 = mulNegI(f64x2.sub(a1, a3));
  v128.store(o, f64x2.add(t0, t2));
  v128.store(o, f64x2.add(t1, t3), 64);
  v128.store(o, f64x2.sub(t0, t2), 128);
  v128.store(o, f64x2.sub(t1, t3), 192);
}

// A radix-4 pass over sub-transforms of length ns > 1 with the pass's twiddles at tw (96 bytes per jj).
function radix4(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  const q = n >> 2;
  const quarter = (q as usize) << 4;
  const stride = (ns as usize) << 4;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const src = x + ((j0 as usize) << 4);
    const dst = y + ((j0 as usize) << 6);
    for (let jj = 0; jj < ns; jj++) {
      const p = src + ((jj as usize) << 4);
      const t = tw + (jj as usize) * 96;
      const a0 = v128.load(p);
      const a1 = cmul(v128.load(p + quarter), t);
      const a2 = cmul(v128.load(p + 2 * quarter), t + 32);
      const a3 = cmul(v128.load(p + 3 * quarter), t + 64);
      const t0 = f64x2.add(a0, a2);
      const t1 = f64x2.sub(a0, a2);
      const t2 = f64x2.add(a1, a3);
      const t3 = mulNegI(f64x2.sub(a1, a3));
      const o = dst + ((jj as usize) << 4);
      v128.store(o, f64x2.add(t0, t2));
      v128.store(o + stride, f64x2.add(t1, t3));
      v128.store(o + 2 * stride, f64x2.sub(t0, t2));
      v128.store(o + 3 * stride, f64x2.sub(t1, t3));
    }
  }
}

/** Bytes of the radix-4 pass twiddles of a length n = 2^k transformed by the passes alone. */
function passTwiddleBytes(n: i32): i32 {
  let bytes = 0;
  for (let ns = firstNs(n); ns * 4 <= n; ns *= 4) bytes += ns * 96;
  return bytes;
}

/** Sub-transform length after the first pass: radix 2 (n = 2), 4 (n = 4), 8 (log2 n odd) or 16 (even). */
function firstNs(n: i32): i32 {
  if (n <= 4) return n;
  return ((31 - clz(n)) & 1) != 0 ? 8 : 16;
}

// From this length on, a transform is done by the four-step algorithm (below) rather than by radix-4 passes
// over the whole array: each pass streams all of x and y (16 MiB each at 2^20) through the caches, which makes
// the passes memory-bound there. Below 2^20 the passes win on this generation of CPUs (measured A/B, loaded
// 2-core EPYC: the four-step is 0.6× at 2^16, 0.9× at 2^18, 1.0× at 2^19, 1.16× at 2^20, 1.26× at 2^21): its
// strided column gather/scatter and extra twiddle products cost more than the cache misses they save.
// Re-measured at 2^18 with other splits (2026-12, loaded 2-core EPYC, CPU time, back to back): the passes
// 4.0–4.3 ms, the four-step 5.4–6.6 ms with n1 = 2^6, 2^9 (this split) and 2^12 — none pays there. Radix-8
// passes in place of radix-4 ones (one sweep fewer per 6 bits) were slower too (2^14: 229 µs vs 160 µs,
// 2^16: 1.1 ms vs 0.74–0.9 ms): eight streams in and eight out, n/8 apart, contend for the same L1 sets.
// Complex float64 rows of 2^9 … 2^20 now go to the split-lane passes (fft_c128_lanes.ts), which beat these
// passes (1.04–1.22×) and this four-step at 2^20 … 2^22 (1.14–1.27×; src/kernels/fft.ts LANES_MIN); the
// four-step here stays for rfft's half lengths, transforms along an axis and complex rows above 2^20.
// Split-lane radix-8 passes (16 f64x2 of inputs live) measured slower too: 0.78× at 2^10, 0.83× at 2^12 and
// 2^14, 1.0× at 2^16 of the split-lane radix-4 passes (2026-12, loaded, CPU time).
const FOUR_STEP_MIN: i32 = 1 << 20;
// Columns (then rows) transformed per block of the four-step algorithm: 8 complex = 128 bytes per strided
// row access (16 and more were slower: the block's rows then leave L1).
const BLOCK: i32 = 8;

/** The four-step split n = n1·n2 (n1 = 2^⌊k/2⌋ columns' length) of n = 2^k, or 0 below FOUR_STEP_MIN. */
export function fft_c128_split(n: i32): i32 {
  return n >= FOUR_STEP_MIN ? 1 << ((31 - clz(n)) >> 1) : 0;
}

/**
 * Bytes of the twiddle table fft_c128 needs for length n = 2^k: the radix-4 passes' twiddles, or for a
 * four-step length those of n1 and of n2, then w_n^{h·n2} (h < n1) and w_n^l (l < n2), 32 bytes each.
 */
export function fft_c128_twiddle_bytes(n: i32): i32 {
  const n1 = fft_c128_split(n);
  if (n1 == 0) return passTwiddleBytes(n);
  const n2 = n / n1;
  return passTwiddleBytes(n1) + passTwiddleBytes(n2) + (n1 + n2) * 32;
}

/** Bytes of scratch fft_c128 needs besides x and y for length n (two blocks of rows for a four-step length). */
export function fft_c128_scratch_bytes(n: i32): i32 {
  const n1 = fft_c128_split(n);
  if (n1 == 0) return 0;
  const n2 = n / n1;
  return 2 * BLOCK * (n1 > n2 ? n1 : n2) * 16;
}

/** Radix-4 Stockham passes over `rows` rows of n at x (y the other buffer); returns where the results are. */
function passes(x: usize, y: usize, n: i32, rows: i32, tw: usize): usize {
  const rowBytes = (n as usize) << 4;
  const first = firstNs(n);
  let result = x;
  for (let r = 0; r < rows; r++) {
    let src = x + (r as usize) * rowBytes;
    let dst = y + (r as usize) * rowBytes;
    if (first == 2) radix2First(src, dst, n);
    else if (first == 4) radix4First(src, dst, n);
    else if (first == 8) radix8First(src, dst, n);
    else radix16First(src, dst, n);
    let s = src;
    src = dst;
    dst = s;
    let t = tw;
    for (let ns = first; ns * 4 <= n; ns *= 4) {
      radix4(src, dst, n, ns, t);
      t += (ns as usize) * 96;
      s = src;
      src = dst;
      dst = s;
    }
    result = src - (r as usize) * rowBytes;
  }
  return result;
}

/**
 * Multiplies element k1 of row r (j2 = j0 + r) of `rows` rows of n1 at t by w_n^{j2·k1}, the four-step's
 * twiddle, as w_n^{h·n2}·w_n^l with j2·k1 = h·n2 + l (j2·k1 < n, so no reduction): two correctly rounded table
 * entries (hi, lo) and two products, O(ε) like the passes' own twiddles, from tables of n1 + n2 entries
 * instead of n.
 */
function twiddleRows(t: usize, rows: i32, n1: i32, j0: i32, log2n2: i32, hi: usize, lo: usize): void {
  const mask = (1 << log2n2) - 1;
  for (let r = 0; r < rows; r++) {
    const j2 = j0 + r;
    const row = t + (((r * n1) as usize) << 4);
    let m = 0;
    for (let k1 = 0; k1 < n1; k1++) {
      const p = row + ((k1 as usize) << 4);
      const a = cmul(v128.load(p), hi + (((m >> log2n2) as usize) << 5));
      v128.store(p, cmul(a, lo + (((m & mask) as usize) << 5)));
      m += j2;
    }
  }
}

/**
 * The four-step FFT (Bailey 1990, "FFTs in external or hierarchical memory") of one row of n = n1·n2 at x,
 * result at y, x overwritten: with j = j1·n2 + j2 and k = k1 + n1·k2,
 * X_k = Σ_{j2} w_{n2}^{j2 k2} · w_n^{j2 k1} · Σ_{j1} x_{j1 n2 + j2} w_{n1}^{j1 k1}.
 * (1) BLOCK columns at a time are gathered into rows, transformed (length n1), multiplied by w_n^{j2 k1} and
 * scattered back into x; (2) BLOCK rows of x at a time are transformed (length n2) and scattered transposed
 * into y. Every transform runs on rows that stay in L1/L2, and x and y are each streamed about twice.
 */
function fourStep(x: usize, y: usize, n: i32, n1: i32, tw: usize, scratch: usize): void {
  const n2 = n / n1;
  const tw1 = tw;
  const tw2 = tw1 + (passTwiddleBytes(n1) as usize);
  const hi = tw2 + (passTwiddleBytes(n2) as usize);
  const lo = hi + ((n1 as usize) << 5);
  const log2n2 = 31 - clz(n2);
  const t0 = scratch;
  const t1 = scratch + (((BLOCK * (n1 > n2 ? n1 : n2)) as usize) << 4);
  for (let c0 = 0; c0 < n2; c0 += BLOCK) {
    gather_c128(x + ((c0 as usize) << 4), t0, n1, n2, BLOCK);
    const r = passes(t0, t1, n1, BLOCK, tw1);
    twiddleRows(r, BLOCK, n1, c0, log2n2, hi, lo);
    scatter_c128(r, x + ((c0 as usize) << 4), n1, n2, BLOCK);
  }
  for (let k0 = 0; k0 < n1; k0 += BLOCK) {
    const r = passes(x + (((k0 * n2) as usize) << 4), t0, n2, BLOCK, tw2);
    scatter_c128(r, y + ((k0 as usize) << 4), n2, n1, BLOCK);
  }
}

/**
 * Forward DFTs X_k = Σ_j x_j e^{−2πi jk/n} of `rows` contiguous rows of n = 2^k ≥ 2 complex numbers at x,
 * with y (same size) as the other buffer, the twiddles at tw (layout of fft_c128_twiddle_bytes) and
 * fft_c128_scratch_bytes(n) of scratch; returns the byte address of the results (x or y, the same for every
 * row). x is overwritten.
 */
export function fft_c128(x: usize, y: usize, n: i32, rows: i32, tw: usize, scratch: usize): usize {
  const n1 = fft_c128_split(n);
  if (n1 == 0) return passes(x, y, n, rows, tw);
  const rowBytes = (n as usize) << 4;
  for (let r = 0; r < rows; r++) {
    fourStep(x + (r as usize) * rowBytes, y + (r as usize) * rowBytes, n, n1, tw, scratch);
  }
  return y;
}

/** z[i] ← (re·sr, im·si) for `count` complex numbers at z (conjugation and scaling around the passes). */
export function scale_c128(z: usize, count: i32, sr: f64, si: f64): void {
  const s = f64x2(sr, si);
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    const p = z + ((i as usize) << 4);
    v128.store(p, f64x2.mul(v128.load(p), s));
    v128.store(p, f64x2.mul(v128.load(p, 16), s), 16);
  }
  for (; i < count; i++) {
    const p = z + ((i as usize) << 4);
    v128.store(p, f64x2.mul(v128.load(p), s));
  }
}

/**
 * The real-input post-pass: given Z = FFT_m(z) of z_j = x_{2j} + i x_{2j+1} (rows of m complex numbers at z),
 * writes the m + 1 non-negative frequencies of the length-2m real DFT of each row to out (rows of m + 1):
 * X_k = E_k + w^k O_k with E_k = (Z_k + conj Z_{m−k})/2, O_k = −i (Z_k − conj Z_{m−k})/2, w = e^{−2πi/(2m)},
 * the w^k (k ≤ m) at tw as (wr, wr), (−wi, wi); every output is multiplied by `scale`. E_{m−k} = conj E_k,
 * O_{m−k} = conj O_k and w^{m−k} = −conj w^k, so X_{m−k} = conj(E_k − w^k O_k): one pass over k ≤ m/2 gives
 * both halves from the same loads and one complex product per pair.
 */
export function rfft_post_c128(z: usize, out: usize, m: i32, rows: i32, tw: usize, scale: f64): void {
  const half = f64x2.splat(0.5 * scale);
  const h = m >> 1;
  for (let r = 0; r < rows; r++) {
    const zr = z + (r as usize) * ((m as usize) << 4);
    const orow = out + (r as usize) * (((m + 1) as usize) << 4);
    for (let k = 0; k <= h; k++) {
      const a = v128.load(zr + ((k as usize) << 4));
      const b = v128.xor(v128.load(zr + (((k == 0 ? 0 : m - k) as usize) << 4)), SIGN_HI);
      const e = f64x2.add(a, b);
      const wo = cmul(mulNegI(f64x2.sub(a, b)), tw + ((k as usize) << 5));
      v128.store(orow + ((k as usize) << 4), f64x2.mul(f64x2.add(e, wo), half));
      if (k < h) {
        const mirror = v128.xor(f64x2.mul(f64x2.sub(e, wo), half), SIGN_HI);
        v128.store(orow + (((m - k) as usize) << 4), mirror);
      }
    }
  }
}

/**
 * Copies `count` strided columns into contiguous rows: dst[c·len + i] = src[c + i·stride] (complex elements,
 * `stride` in complex numbers), so a transform along a non-last axis runs on rows. Each step reads `count`
 * neighbouring columns of one row of src, which keeps the reads in whole cache lines.
 */
export function gather_c128(src: usize, dst: usize, len: i32, stride: i32, count: i32): void {
  for (let i = 0; i < len; i++) {
    const s = src + (((i as usize) * (stride as usize)) << 4);
    const d = dst + ((i as usize) << 4);
    for (let c = 0; c < count; c++) {
      v128.store(d + (((c as usize) * (len as usize)) << 4), v128.load(s + ((c as usize) << 4)));
    }
  }
}

/** The inverse of gather_c128: dst[c + i·stride] = src[c·len + i]. */
export function scatter_c128(src: usize, dst: usize, len: i32, stride: i32, count: i32): void {
  for (let i = 0; i < len; i++) {
    const d = dst + (((i as usize) * (stride as usize)) << 4);
    const s = src + ((i as usize) << 4);
    for (let c = 0; c < count; c++) {
      v128.store(d + ((c as usize) << 4), v128.load(s + (((c as usize) * (len as usize)) << 4)));
    }
  }
}

/**
 * The complex-to-real pre-pass, the inverse of rfft_post_c128: from the m + 1 non-negative frequencies X_k of
 * real rows of length 2m (rows of m + 1 at x), writes conj(Z'_k), k < m, to z (rows of m), where
 * Z'_k = (X_k + conj X_{m−k}) + i·w^{−k}(X_k − conj X_{m−k}) is twice the half-length spectrum of
 * x_{2j} + i x_{2j+1} (w = e^{−2πi/(2m)}, the w^k at tw as in rfft_post_c128). A forward fft_c128 of z and a
 * conjugation then give the real rows times m·2. The imaginary parts of X_0 and X_m are ignored (NumPy's rule).
 */
export function irfft_pre_c128(x: usize, z: usize, m: i32, rows: i32, tw: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (r as usize) * (((m + 1) as usize) << 4);
    const zr = z + (r as usize) * ((m as usize) << 4);
    for (let k = 0; k < m; k++) {
      let a = v128.load(xr + ((k as usize) << 4));
      let b = v128.load(xr + (((m - k) as usize) << 4));
      if (k == 0) {
        a = f64x2.replace_lane(a, 1, 0);
        b = f64x2.replace_lane(b, 1, 0);
      }
      b = v128.xor(b, SIGN_HI);
      const e = f64x2.add(a, b);
      const d = f64x2.sub(a, b);
      const t = tw + ((k as usize) << 5);
      // d·conj(w^k) = d·(wr, wr) − swap(d)·(−wi, wi)
      const dw = f64x2.sub(f64x2.mul(d, v128.load(t)), f64x2.mul(swap(d), v128.load(t, 16)));
      // e + i·dw, with i·v = −(−i·v); stored conjugated for the inverse by a forward FFT
      v128.store(zr + ((k as usize) << 4), v128.xor(f64x2.sub(e, mulNegI(dw)), SIGN_HI));
    }
  }
}
