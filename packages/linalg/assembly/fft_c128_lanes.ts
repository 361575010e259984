// Power-of-two complex float64 FFTs with real and imaginary parts in separate lanes ("split lanes"): in the
// radix-4 passes one v128 holds the real parts of two neighbouring elements (jj, jj + 1) and the next v128
// their imaginary parts, so a twiddle product is 4 f64x2 muls and 2 adds with no shuffle, and −i·a is a
// renaming of registers (fft.ts, one complex per v128, needs a swap shuffle per product and a swap and a
// sign flip per −i). Same algorithm and butterflies as fft.ts (Stockham autosort, Govindaraju et al. SC'08):
// fft.ts's radix-8/16 first pass (interleaved, constant twiddles), then radix-4 passes.
//
// Memory layout between passes: element pairs (2p, 2p + 1) as (re₂ₚ, re₂ₚ₊₁, im₂ₚ, im₂ₚ₊₁) — 32 bytes, at the
// same byte address as the interleaved pair, so addressing is that of fft.ts. The first radix-4 pass
// deinterleaves on its loads (two i64x2 shuffles per pair), the last one re-interleaves on its stores; the
// passes in between touch no shuffle. A radix-4 pass's inputs j + r·n/4 and outputs (j − jj)·4 + jj + r·ns stay
// pair-aligned for even jj and ns ≥ 2, so every length n ≥ 32 (first pass radix 8 or 16, then ≥ 1 radix-4
// pass) works.
//
// The products and sums are fft.ts's, operand for operand (re = ar·wr − ai·wi, im = ai·wr + ar·wi), so the
// results are bitwise those of fft.ts's passes. Used for complex rows of 2^9 … 2^20 and the half-length FFT of
// real rows of 2^12 … 2^21 (src/kernels/fft.ts LANES_MIN, REAL_LANES_MIN: the measured crossovers); split-lane
// radix-8 passes were measured slower (assembly/fft.ts, next to FOUR_STEP_MIN).
//
// Twiddles (src/kernels/fft.ts): for each radix-4 pass, each pair (jj, jj + 1), jj even, and r = 1, 2, 3,
// (wr_jj, wr_jj+1) and (wi_jj, wi_jj+1) of w^{r·jj}, w^{r·(jj+1)} (w = e^{−2πi/(4ns)}): 96 bytes per pair —
// half of fft.ts's table, which stores each factor twice.
import { radix16First, radix8First } from './fft';

// The real parts of the interleaved pair (a, b) = ((ar, ai), (br, bi)): (ar, br); imaginary parts (ai, bi).
// @ts-ignore: decorator
@inline
function reals(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 0, 2);
}

// @ts-ignore: decorator
@inline
function imags(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 1, 3);
}

// The real parts of the pair (u, v) loaded from p and p + 16: u when the memory is split, else the low lanes.
// @ts-ignore: decorator
@inline
function toRe(u: v128, v: v128, split: bool): v128 {
  return split ? u : reals(u, v);
}

// @ts-ignore: decorator
@inline
function toIm(u: v128, v: v128, split: bool): v128 {
  return split ? v : imags(u, v);
}

// The twiddle product (br + i·bi)(wr + i·wi) of a split pair: real part br·wr − bi·wi ...
// @ts-ignore: decorator
@inline
function cmulRe(br: v128, bi: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(br, wr), f64x2.mul(bi, wi));
}

// ... and imaginary part br·wi + bi·wr.
// @ts-ignore: decorator
@inline
function cmulIm(br: v128, bi: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(br, wi), f64x2.mul(bi, wr));
}

// Stores the pair with real parts re and imaginary parts im at o, split or interleaved.
// @ts-ignore: decorator
@inline
function storePair(o: usize, re: v128, im: v128, split: bool): void {
  if (split) {
    v128.store(o, re);
    v128.store(o, im, 16);
  } else {
    v128.store(o, reals(re, im));
    v128.store(o, imags(re, im), 16);
  }
}

// A radix-4 pass over sub-transforms of length ns ≥ 2 (fft.ts radix4), two jj per step; inputs split when
// `inSplit` (else interleaved), outputs split when `outSplit` (constants at every call, folded by inlining).
// The second half of a step sits in a branch that is always taken (`p != o`: the passes run out of place). This
// is a V8 code-generation effect, measured, not derived: 3.5–6 % less CPU per split-lane FFT at 2^10 … 2^16 in
// four A/B runs (loaded, CPU time, medians of 15), with the branch before a1's loads or only around the stores
// alike; reordering the statements without it and unrolling two steps were neutral. TurboFan's code for a step
// is the same instructions either way (14 v128 loads issued first, 5 of them spilled); the branch moves the
// spills next to the first loads. Re-measure (and drop the branch if it no longer pays) when V8 changes.
// @ts-ignore: decorator
@inline
function radix4Lanes(
  x: usize, y: usize, n: i32, ns: i32, tw: usize, inSplit: bool, outSplit: bool,
): void {
  const q = n >> 2;
  const quarter = (q as usize) << 4;
  const stride = (ns as usize) << 4;
  const twEnd = tw + (ns as usize) * 48;
  let p = x;
  let o = y;
  for (let j0 = 0; j0 < q; j0 += ns) {
    for (let t = tw; t < twEnd; t += 96, p += 32, o += 32) {
      let u = v128.load(p);
      let v = v128.load(p, 16);
      const a0r = toRe(u, v, inSplit);
      const a0i = toIm(u, v, inSplit);
      // a_r · w^{r·jj}
      u = v128.load(p + 2 * quarter);
      v = v128.load(p + 2 * quarter, 16);
      let br = toRe(u, v, inSplit);
      let bi = toIm(u, v, inSplit);
      let wr = v128.load(t, 32);
      let wi = v128.load(t, 48);
      const a2r = cmulRe(br, bi, wr, wi);
      const a2i = cmulIm(br, bi, wr, wi);
      const t0r = f64x2.add(a0r, a2r);
      const t0i = f64x2.add(a0i, a2i);
      const t1r = f64x2.sub(a0r, a2r);
      const t1i = f64x2.sub(a0i, a2i);
      // always true: the passes run out of place (x and y are separate buffers)
      if (p != o) {
        u = v128.load(p + quarter);
        v = v128.load(p + quarter, 16);
        br = toRe(u, v, inSplit);
        bi = toIm(u, v, inSplit);
        wr = v128.load(t);
        wi = v128.load(t, 16);
        const a1r = cmulRe(br, bi, wr, wi);
        const a1i = cmulIm(br, bi, wr, wi);
        u = v128.load(p + 3 * quarter);
        v = v128.load(p + 3 * quarter, 16);
        br = toRe(u, v, inSplit);
        bi = toIm(u, v, inSplit);
        wr = v128.load(t, 64);
        wi = v128.load(t, 80);
        const a3r = cmulRe(br, bi, wr, wi);
        const a3i = cmulIm(br, bi, wr, wi);
        const t2r = f64x2.add(a1r, a3r);
        const t2i = f64x2.add(a1i, a3i);
        // t3 = −i·(a1 − a3) = (a1i − a3i, a3r − a1r)
        const t3r = f64x2.sub(a1i, a3i);
        const t3i = f64x2.sub(a3r, a1r);
        storePair(o, f64x2.add(t0r, t2r), f64x2.add(t0i, t2i), outSplit);
        storePair(o + stride, f64x2.add(t1r, t3r), f64x2.add(t1i, t3i), outSplit);
        storePair(o + 2 * stride, f64x2.sub(t0r, t2r), f64x2.sub(t0i, t2i), outSplit);
        storePair(o + 3 * stride, f64x2.sub(t1r, t3r), f64x2.sub(t1i, t3i), outSplit);
      }
    }
    // the next sub-transforms' outputs start 4·ns further on; o has advanced by ns
    o += 3 * stride;
  }
}

// The four combinations of layouts, each a loop of its own with the layout folded in.
export function radix4InOut(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  radix4Lanes(x, y, n, ns, tw, false, false);
}

export function radix4InSplit(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  radix4Lanes(x, y, n, ns, tw, false, true);
}

export function radix4Split(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  radix4Lanes(x, y, n, ns, tw, true, true);
}

export function radix4SplitOut(x: usize, y: usize, n: i32, ns: i32, tw: usize): void {
  radix4Lanes(x, y, n, ns, tw, true, false);
}

/** Sub-transform length after the first pass (fft.ts firstNs for n ≥ 32): 8 (log2 n odd) or 16 (even). */
function firstNsLanes(n: i32): i32 {
  return ((31 - clz(n)) & 1) != 0 ? 8 : 16;
}

/** Bytes of the twiddle table of fft_c128_lanes for length n = 2^k ≥ 32 (48 per element of each pass). */
export function fft_c128_lanes_twiddle_bytes(n: i32): i32 {
  let bytes = 0;
  for (let ns = firstNsLanes(n); ns * 4 <= n; ns *= 4) bytes += ns * 48;
  return bytes;
}

/**
 * Forward DFTs X_k = Σ_j x_j e^{−2πi jk/n} of `rows` contiguous rows of n = 2^k ≥ 32 interleaved complex
 * numbers at x by the split-lane passes, y (same size) the other buffer, the twiddles at tw (layout of
 * fft_c128_lanes_twiddle_bytes); returns the byte address of the interleaved results (x or y, the same for
 * every row). x is overwritten. Needs no scratch and no four-step: the caller keeps fft_c128 for the lengths
 * where that is faster.
 */
export function fft_c128_lanes(x: usize, y: usize, n: i32, rows: i32, tw: usize): usize {
  const rowBytes = (n as usize) << 4;
  const first = firstNsLanes(n);
  let result = x;
  for (let r = 0; r < rows; r++) {
    let src = x + (r as usize) * rowBytes;
    let dst = y + (r as usize) * rowBytes;
    if (first == 8) radix8First(src, dst, n);
    else radix16First(src, dst, n);
    let s = src;
    src = dst;
    dst = s;
    let t = tw;
    for (let ns = first; ns * 4 <= n; ns *= 4) {
      const firstPass = ns == first;
      const lastPass = ns * 16 > n;
      if (firstPass && lastPass) radix4InOut(src, dst, n, ns, t);
      else if (firstPass) radix4InSplit(src, dst, n, ns, t);
      else if (lastPass) radix4SplitOut(src, dst, n, ns, t);
      else radix4Split(src, dst, n, ns, t);
      t += (ns as usize) * 48;
      s = src;
      src = dst;
      dst = s;
    }
    result = src - (r as usize) * rowBytes;
  }
  return result;
}
