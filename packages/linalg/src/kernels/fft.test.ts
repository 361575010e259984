import { describe, expect, it } from 'vitest';
import { fftRowsReference } from '../fft/execute.js';
import {
  fftPow2Wasm,
  irfftPow2Wasm,
  rfftPow2Wasm,
  usesFloat32Passes,
  usesSplitLanes,
} from './fft.js';
import { getPlainRuntime } from './wasm-module.js';

/** Deterministic pseudo-random values in [−1, 1) (a small LCG). */
function values(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

/** Direct O(n²) DFT of one interleaved row (the independent reference), sign −1. */
function dft(x: Float64Array): Float64Array {
  const n = x.length / 2;
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0, q = 0; j < n; j++, q = (q + k) % n) {
      const c = Math.cos((2 * Math.PI * q) / n);
      const s = -Math.sin((2 * Math.PI * q) / n);
      sr += x[2 * j]! * c - x[2 * j + 1]! * s;
      si += x[2 * j]! * s + x[2 * j + 1]! * c;
    }
    out[2 * k] = sr;
    out[2 * k + 1] = si;
  }
  return out;
}

/** The complex conjugate of an interleaved row (a copy). */
function conj(x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 1; i < out.length; i += 2) out[i] = -out[i]!;
  return out;
}

/**
 * Selected bins of the DFT of one interleaved row by direct summation, Σ_j x_j e^{sign·2πi (jk mod n)/n}, with
 * the n roots tabulated once by cos/sin of their own angles (an independent reference for large n).
 */
function dftBins(x: Float64Array, bins: readonly number[], sign: number): Float64Array {
  const n = x.length / 2;
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    c[q] = Math.cos((2 * Math.PI * q) / n);
    s[q] = sign * Math.sin((2 * Math.PI * q) / n);
  }
  const out = new Float64Array(2 * bins.length);
  bins.forEach((k, i) => {
    let sr = 0;
    let si = 0;
    for (let j = 0, q = 0; j < n; j++, q = q + k >= n ? q + k - n : q + k) {
      sr += x[2 * j]! * c[q]! - x[2 * j + 1]! * s[q]!;
      si += x[2 * j]! * s[q]! + x[2 * j + 1]! * c[q]!;
    }
    out[2 * i] = sr;
    out[2 * i + 1] = si;
  });
  return out;
}

describe('wasm power-of-two FFT kernel', () => {
  it('matches the direct DFT to 1e-14 for every n = 2 … 256', () => {
    for (let n = 2; n <= 256; n *= 2) {
      const x = values(2 * n, n);
      const out = new Float64Array(2 * n);
      expect(fftPow2Wasm(x, out, 1, n, false, 1)).toBe(true);
      expect(relErr(out, dft(x))).toBeLessThan(1e-14);
    }
  });

  it('agrees with the TypeScript passes for every n = 2 … 2^16, batched, forward and inverse', () => {
    for (let log2 = 1; log2 <= 16; log2++) {
      const n = 2 ** log2;
      const rows = log2 <= 8 ? 3 : 1;
      const x = values(2 * n * rows, 7 * log2);
      for (const inverse of [false, true]) {
        const scale = inverse ? 1 / n : 1;
        const a = new Float64Array(x.length);
        const b = new Float64Array(x.length);
        expect(fftPow2Wasm(x, a, rows, n, inverse, scale)).toBe(true);
        fftRowsReference(x, b, rows, n, inverse, scale);
        // both are O(ε log n) from the exact DFT
        expect(relErr(a, b)).toBeLessThan(4e-16 * (log2 + 4));
      }
    }
  });

  it('the radix-16 first pass in blocks of j (even log2 n, one block to many) by both float64 kernels, batched, forward and inverse', () => {
    // n = 16, 64: fewer j than a block; 128: one block; 2^12, 2^14: many, with the 16 inputs of a j 4 KiB
    // apart or more (the case the blocking is for); 2^13 (radix-8 first pass) beside them
    for (const log2 of [4, 6, 7, 12, 13, 14]) {
      const n = 2 ** log2;
      const rows = 2;
      const x = values(2 * n * rows, 19 * log2);
      for (const lanes of log2 >= 5 ? [false, true] : [false]) {
        for (const inverse of [false, true]) {
          const scale = inverse ? 1 / n : 1;
          const a = new Float64Array(x.length);
          const b = new Float64Array(x.length);
          expect(fftPow2Wasm(x, a, rows, n, inverse, scale, lanes)).toBe(true);
          fftRowsReference(x, b, rows, n, inverse, scale);
          expect(relErr(a, b)).toBeLessThan(4e-16 * (log2 + 4));
        }
      }
    }
  });

  it('transforms a batch larger than one chunk row by row', () => {
    const n = 1024;
    const rows = 70; // 70·1024 complex > the 2^16 chunk
    const x = values(2 * n * rows, 3);
    const a = new Float64Array(x.length);
    const b = new Float64Array(x.length);
    expect(fftPow2Wasm(x, a, rows, n, false, 0.25)).toBe(true);
    fftRowsReference(x, b, rows, n, false, 0.25);
    expect(relErr(a, b)).toBeLessThan(1e-14);
  });

  it('2^20 by the four-step and by the split-lane passes: the TypeScript passes, direct DFT bins, round trip', () => {
    const n = 2 ** 20;
    const x = values(2 * n, 5);
    const b = new Float64Array(2 * n);
    fftRowsReference(x, b, 1, n, false, 1);
    const bins = [1, 1023, 1025, 524_287, 777_777, n - 1];
    const want = dftBins(x, bins, -1);
    for (const lanes of [false, true]) {
      const a = new Float64Array(2 * n);
      expect(fftPow2Wasm(x, a, 1, n, false, 1, lanes)).toBe(true);
      expect(relErr(a, b)).toBeLessThan(4e-16 * 24);
      const got = new Float64Array(2 * bins.length);
      bins.forEach((k, i) => {
        got[2 * i] = a[2 * k]!;
        got[2 * i + 1] = a[2 * k + 1]!;
      });
      expect(relErr(got, want)).toBeLessThan(1e-12);
      const back = new Float64Array(2 * n);
      expect(fftPow2Wasm(a, back, 1, n, true, 1 / n, lanes)).toBe(true);
      expect(relErr(back, x)).toBeLessThan(1e-14);
    }
  });

  it('widens complex64 rows shorter than the float32 passes take and rounds once on output', () => {
    for (const n of [2, 4, 8, 16]) {
      const x32 = Float32Array.from(values(2 * n, 11));
      const out = new Float32Array(2 * n);
      expect(fftPow2Wasm(x32, out, 1, n, false, 1)).toBe(true);
      const ref = dft(Float64Array.from(x32));
      // the float64 transform is exact to ~1e-15; the single rounding to float32 costs ≤ 2^-24 of each value
      expect(relErr(out, ref)).toBeLessThan(2 ** -23);
    }
  });

  it('runs on a plain (non-shared) memory, where copies in and out are plain memcpy', () => {
    expect(getPlainRuntime()?.shared).toBe(false);
  });

  it('refuses lengths that are not powers of two (the caller falls back)', () => {
    const out = new Float64Array(12);
    expect(fftPow2Wasm(new Float64Array(12), out, 1, 6, false, 1)).toBe(false);
    expect(fftPow2Wasm(new Float64Array(2), new Float64Array(2), 1, 1, false, 1)).toBe(false);
  });
});

describe('wasm real-input FFT (half-length complex FFT + post-pass)', () => {
  it('gives the n/2 + 1 non-negative frequencies of the direct DFT for n = 4 … 2^10, batched', () => {
    for (let n = 4; n <= 1024; n *= 2) {
      const rows = 2;
      const x = values(n * rows, n + 1);
      const out = new Float64Array(2 * rows * (n / 2 + 1));
      expect(rfftPow2Wasm(x, out, rows, n, 0.5)).toBe(true);
      for (let r = 0; r < rows; r++) {
        const z = new Float64Array(2 * n);
        for (let j = 0; j < n; j++) z[2 * j] = x[r * n + j]!;
        const ref = dft(z)
          .subarray(0, n + 2)
          .map((v) => 0.5 * v);
        const got = out.subarray(r * (n + 2), (r + 1) * (n + 2));
        expect(relErr(got, ref)).toBeLessThan(1e-14);
      }
    }
  });

  it('n = 2^21 (half length 2^20: the four-step and the split-lane passes): direct DFT bins', () => {
    const n = 2 ** 21;
    const x = values(n, 9);
    const bins = [1, 4096, 699_051, n / 2];
    const z = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) z[2 * j] = x[j]!;
    const want = dftBins(z, bins, -1);
    for (const lanes of [false, true]) {
      const out = new Float64Array(n + 2);
      expect(rfftPow2Wasm(x, out, 1, n, 1, lanes)).toBe(true);
      const got = new Float64Array(2 * bins.length);
      bins.forEach((k, i) => {
        got[2 * i] = out[2 * k]!;
        got[2 * i + 1] = out[2 * k + 1]!;
      });
      expect(relErr(got, want)).toBeLessThan(1e-12);
    }
  });

  it('refuses n whose half is not a power of two', () => {
    expect(rfftPow2Wasm(new Float64Array(12), new Float64Array(14), 1, 12, 1)).toBe(false);
    expect(rfftPow2Wasm(new Float64Array(2), new Float64Array(4), 1, 2, 1)).toBe(false);
  });
});

describe('wasm split-lane float64 passes (assembly/fft_c128_lanes.ts)', () => {
  it('take complex float64 rows of 2^9 … 2^20 (fft_c128 the others)', () => {
    const lengths = [32, 256, 512, 2 ** 18, 2 ** 20, 2 ** 21];
    expect(lengths.map((n) => usesSplitLanes(n))).toEqual([false, false, true, true, true, false]);
  });

  it('match the direct DFT to 1e-13 for every n = 2^5 … 2^12, batched, forward and inverse', () => {
    for (let log2 = 5; log2 <= 12; log2++) {
      const n = 2 ** log2;
      const rows = 3;
      const x = values(2 * n * rows, 11 * log2);
      for (const inverse of [false, true]) {
        const out = new Float64Array(x.length);
        // forced on (the default for these n): the split-lane passes, whatever the crossover
        expect(fftPow2Wasm(x, out, rows, n, inverse, 1, true)).toBe(true);
        for (let r = 0; r < rows; r++) {
          const row = x.subarray(2 * n * r, 2 * n * (r + 1));
          // the inverse DFT is conj(DFT(conj x))
          const want = inverse ? conj(dft(conj(row))) : dft(Float64Array.from(row));
          expect(relErr(out.subarray(2 * n * r, 2 * n * (r + 1)), want)).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('equal fft_c128 (the interleaved passes) bit for bit for n = 2^5 … 2^19: the same products and sums', () => {
    for (let log2 = 5; log2 <= 19; log2++) {
      const n = 2 ** log2;
      const x = values(2 * n, 13 * log2);
      const a = new Float64Array(2 * n);
      const b = new Float64Array(2 * n);
      expect(fftPow2Wasm(x, a, 1, n, false, 1, true)).toBe(true);
      expect(fftPow2Wasm(x, b, 1, n, false, 1, false)).toBe(true);
      let differ = 0;
      for (let i = 0; i < 2 * n; i++) if (a[i] !== b[i]) differ++;
      expect(differ).toBe(0);
    }
  });

  it('real input (half length 2^5 … 2^11): the direct DFT, batched, and the irfft round trip', () => {
    for (let n = 64; n <= 4096; n *= 2) {
      const rows = 2;
      const x = values(n * rows, n + 3);
      const out = new Float64Array(2 * rows * (n / 2 + 1));
      expect(rfftPow2Wasm(x, out, rows, n, 1, true)).toBe(true);
      for (let r = 0; r < rows; r++) {
        const z = new Float64Array(2 * n);
        for (let j = 0; j < n; j++) z[2 * j] = x[r * n + j]!;
        const got = out.subarray(r * (n + 2), (r + 1) * (n + 2));
        expect(relErr(got, dft(z).subarray(0, n + 2))).toBeLessThan(1e-13);
      }
      const back = new Float64Array(n * rows);
      expect(irfftPow2Wasm(out, back, rows, n, 1 / n, true)).toBe(true);
      expect(relErr(back, x)).toBeLessThan(1e-14);
    }
  });

  it('2^18: direct DFT bins, Parseval, and the inverse round trip', () => {
    const n = 2 ** 18;
    const x = values(2 * n, 17);
    const a = new Float64Array(2 * n);
    expect(usesSplitLanes(n)).toBe(true);
    expect(fftPow2Wasm(x, a, 1, n, false, 1)).toBe(true);
    const bins = [0, 1, 4097, 77_777, 131_072, n - 1];
    const got = new Float64Array(2 * bins.length);
    bins.forEach((k, i) => {
      got[2 * i] = a[2 * k]!;
      got[2 * i + 1] = a[2 * k + 1]!;
    });
    expect(relErr(got, dftBins(x, bins, -1))).toBeLessThan(1e-12);
    // Σ|x|² = Σ|X|²/n
    let ex = 0;
    let eX = 0;
    for (let i = 0; i < 2 * n; i++) {
      ex += x[i]! ** 2;
      eX += a[i]! ** 2;
    }
    expect(Math.abs(eX / n - ex) / ex).toBeLessThan(1e-13);
    const back = new Float64Array(2 * n);
    expect(fftPow2Wasm(a, back, 1, n, true, 1 / n)).toBe(true);
    expect(relErr(back, x)).toBeLessThan(1e-14);
  });
});

/** Unit roundoff of float32. */
const EPS32 = 2 ** -24;

/**
 * The bound of the float32 kernels' error, max |X − X_ref| / max |X_ref| against the float64 DFT of the same
 * (float32) input: O(ε₃₂ log₂ n) (Schatzman 1996: ε per pass from the float32 butterflies and twiddles), with
 * the constant 2 — measured worst 1.6 ε₃₂ at n = 2^5 … 2^20 (0.4–1.6 ε₃₂; rms 1.1–2.4 ε₃₂), so the bound has
 * room for other inputs without letting through a wrong twiddle (an error of order 1e-2 or more).
 */
const f32Bound = (n: number): number => 2 * EPS32 * Math.log2(n);

/** The complex row r of a float32 interleaved batch of rows of n, widened. */
const row64 = (x: Float32Array, n: number, r: number): Float64Array =>
  Float64Array.from(x.subarray(2 * n * r, 2 * n * (r + 1)));

describe('wasm float32 FFT kernels (complex64 rows of n ≥ 32, float32 rfft of n ≥ 64)', () => {
  it('take complex64 rows of n ≥ 32 and float32 real rows of n ≥ 64 (shorter ones are widened)', () => {
    expect([16, 32, 2 ** 20].map((n) => usesFloat32Passes(n, false))).toEqual([false, true, true]);
    expect([32, 64].map((n) => usesFloat32Passes(n, true))).toEqual([false, true]);
  });

  it('match the direct float64 DFT to 2 ε₃₂ log₂ n for every n = 2 … 2^12, batched, forward and inverse', () => {
    for (let log2 = 1; log2 <= 12; log2++) {
      const n = 2 ** log2;
      const rows = log2 <= 8 ? 3 : 1;
      const x = Float32Array.from(values(2 * n * rows, 5 * log2));
      const all = Array.from({ length: n }, (_, k) => k);
      for (const inverse of [false, true]) {
        const scale = inverse ? 1 / n : 1;
        const out = new Float32Array(x.length);
        expect(fftPow2Wasm(x, out, rows, n, inverse, scale)).toBe(true);
        for (let r = 0; r < rows; r++) {
          const ref = dftBins(row64(x, n, r), all, inverse ? 1 : -1).map((v) => v * scale);
          expect(relErr(out.subarray(2 * n * r, 2 * n * (r + 1)), ref)).toBeLessThan(f32Bound(n));
        }
      }
    }
  });

  it('round trip: ifft(fft(x)) returns x to float32 accuracy, in a batch larger than one chunk', () => {
    const n = 1024;
    const rows = 70; // 70·1024 complex > the 2^16 chunk
    const x = Float32Array.from(values(2 * n * rows, 13));
    const spec = new Float32Array(x.length);
    const back = new Float32Array(x.length);
    expect(fftPow2Wasm(x, spec, rows, n, false, 1)).toBe(true);
    expect(fftPow2Wasm(spec, back, rows, n, true, 1 / n)).toBe(true);
    // F/√n is unitary, so the round trip's error is about the sum of the two transforms' (each within
    // f32Bound relative to its input in the 2-norm); measured 9 ε₃₂ of max |x| here, bound 40 ε₃₂
    expect(relErr(back, x)).toBeLessThan(2 * f32Bound(n));
    // the last row (in the second chunk) against the direct DFT
    const ref = dftBins(
      row64(x, n, rows - 1),
      Array.from({ length: n }, (_, k) => k),
      -1,
    );
    expect(relErr(spec.subarray(2 * n * (rows - 1)), ref)).toBeLessThan(f32Bound(n));
  });

  it('a four-step length for float64 (2^20): the float64 passes and direct DFT bins, to 2 ε₃₂ log₂ n', () => {
    const n = 2 ** 20;
    const x64 = values(2 * n, 17);
    const x = Float32Array.from(x64);
    const out = new Float32Array(2 * n);
    expect(fftPow2Wasm(x, out, 1, n, false, 1)).toBe(true);
    const ref = new Float64Array(2 * n);
    expect(fftPow2Wasm(Float64Array.from(x), ref, 1, n, false, 1)).toBe(true);
    expect(relErr(out, ref)).toBeLessThan(f32Bound(n));
    const bins = [1, 1023, 524_287, n - 1];
    const got = bins.flatMap((k) => [out[2 * k]!, out[2 * k + 1]!]);
    // bins of the DFT are ~√n in size while max |X| is larger: compare them against max |X| too
    let scale = 0;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    const exact = dftBins(Float64Array.from(x), bins, -1);
    const err = Math.max(...got.map((v, i) => Math.abs(v - exact[i]!)));
    expect(err / scale).toBeLessThan(f32Bound(n));
  });

  it('real input: the n/2 + 1 frequencies of the direct DFT for n = 4 … 2^12, batched, to 2 ε₃₂ log₂ n', () => {
    for (let n = 4; n <= 4096; n *= 2) {
      const rows = 2;
      const x = Float32Array.from(values(n * rows, n + 3));
      const out = new Float32Array(2 * rows * (n / 2 + 1));
      expect(rfftPow2Wasm(x, out, rows, n, 0.5)).toBe(true);
      for (let r = 0; r < rows; r++) {
        const z = new Float64Array(2 * n);
        for (let j = 0; j < n; j++) z[2 * j] = x[r * n + j]!;
        const bins = Array.from({ length: n / 2 + 1 }, (_, k) => k);
        const ref = dftBins(z, bins, -1).map((v) => 0.5 * v);
        const got = out.subarray(r * (n + 2), (r + 1) * (n + 2));
        expect(relErr(got, ref)).toBeLessThan(f32Bound(n));
      }
    }
  });
});
