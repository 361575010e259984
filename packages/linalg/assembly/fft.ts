// Power-of-two complex FFTs, float64, interleaved (re, im): one complex number is one v128 (f64x2), so a
// butterfly is a handful of f64x2 adds and the twiddle multiply is two muls, a shuffle and an add. The
// algorithm is the Stockham autosort FFT (no bit reversal, unit-stride reads and writes) of
// src/fft/stockham.ts, with one radix-2 pass first when log2 n is odd and radix-4 passes after it: pass s of
// radix R over sub-transforms of length ns reads x[j + r·n/R], multiplies by e^{−2πi (j mod ns) r/(ns R)}, does
// a length-R DFT and writes y[(j − j mod ns)·R + j mod ns + r·ns] (Govindaraju et al., SC'08, Fig. 2).
//
// Twiddles come precomputed (src/kernels/fft.ts, one table per length, kept resident): for each radix-4
// pass with ns > 1, for jj < ns, the three factors w^{jj}, w^{2jj}, w^{3jj} (w = e^{−2πi/(4ns)}), each stored
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
  let ns = (31 - clz(n)) & 1 ? 2 : 1;
  for (; ns * 4 <= n; ns *= 4) if (ns > 1) bytes += ns * 96;
  return bytes;
}

// From this length on, a transform is done by the four-step algorithm (below) rather than by radix-4 passes
// over the whole array: each pass streams all of x and y (16 MiB each at 2^20) through the caches, which makes
// the passes memory-bound there. Below 2^20 the passes win on this generation of CPUs (measured A/B, loaded
// 2-core EPYC: the four-step is 0.6× at 2^16, 0.9× at 2^18, 1.0× at 2^19, 1.16× at 2^20, 1.26× at 2^21): its
// strided column gather/scatter and extra twiddle products cost more than the cache misses they save.
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
  const odd = ((31 - clz(n)) & 1) != 0;
  let result = x;
  for (let r = 0; r < rows; r++) {
    let src = x + (r as usize) * rowBytes;
    let dst = y + (r as usize) * rowBytes;
    let ns = 1;
    let t = tw;
    if (odd) {
      radix2First(src, dst, n);
      ns = 2;
      const s = src;
      src = dst;
      dst = s;
    }
    for (; ns * 4 <= n; ns *= 4) {
      if (ns == 1) radix4First(src, dst, n);
      else {
        radix4(src, dst, n, ns, t);
        t += (ns as usize) * 96;
      }
      const s = src;
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
