/**
 * `bluesteinTables` (the float64 chirp tables a power-of-two device FFT uses for any length): the
 * convolution they define reproduces a direct O(n²) DFT, for power-of-two and smooth m alike.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../core/errors.js';
import { bluesteinTables } from './execute.js';

/** X_k = Σ_j x_j e^{−2πi jk/n} by the definition, with the angle reduced exactly (jk mod n). */
function directDft(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      re += x[2 * j]! * Math.cos(a) - x[2 * j + 1]! * Math.sin(a);
      im += x[2 * j]! * Math.sin(a) + x[2 * j + 1]! * Math.cos(a);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** The circular convolution of length m written out directly (no FFT): what a device does with the tables. */
function bluesteinByTables(x: Float64Array, n: number, m: number): Float64Array {
  const { chirp, kernelHat } = bluesteinTables(n, m);
  // recover the wrapped conjugate chirp b from kernelHat by an inverse DFT of length m (times m, undone /m)
  const b = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) {
    let re = 0;
    let im = 0;
    for (let k = 0; k < m; k++) {
      const a = (2 * Math.PI * ((j * k) % m)) / m;
      re += kernelHat[2 * k]! * Math.cos(a) - kernelHat[2 * k + 1]! * Math.sin(a);
      im += kernelHat[2 * k]! * Math.sin(a) + kernelHat[2 * k + 1]! * Math.cos(a);
    }
    b[2 * j] = re;
    b[2 * j + 1] = im;
  }
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const ar = x[2 * j]! * chirp[2 * j]! - x[2 * j + 1]! * chirp[2 * j + 1]!;
      const ai = x[2 * j]! * chirp[2 * j + 1]! + x[2 * j + 1]! * chirp[2 * j]!;
      const q = (k - j + m) % m;
      re += ar * b[2 * q]! - ai * b[2 * q + 1]!;
      im += ar * b[2 * q + 1]! + ai * b[2 * q]!;
    }
    out[2 * k] = re * chirp[2 * k]! - im * chirp[2 * k + 1]!;
    out[2 * k + 1] = re * chirp[2 * k + 1]! + im * chirp[2 * k]!;
  }
  return out;
}

describe('bluesteinTables', () => {
  it('define a length-m convolution that equals the direct DFT (power-of-two and smooth m)', () => {
    for (const [n, m] of [
      [1, 1],
      [3, 8],
      [7, 16],
      [12, 32],
      [13, 25],
      [31, 64],
      [100, 256],
    ] as const) {
      const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(1.7 * i + 0.3) + 0.1 * i);
      const want = directDft(x, n);
      const got = bluesteinByTables(x, n, m);
      const err = Math.hypot(...got.map((v, i) => v - want[i]!)) / Math.hypot(...want);
      expect(err, `n = ${n}, m = ${m}`).toBeLessThan(1e-13);
    }
  });

  it('the chirp is e^{−iπ j²/n} to rounding, even where j² is far above n', () => {
    const n = 1001;
    const { chirp } = bluesteinTables(n, 2048);
    for (const j of [0, 1, 500, 1000]) {
      const a = (-Math.PI * j * j) / n;
      expect(chirp[2 * j]).toBeCloseTo(Math.cos(a), 10);
      expect(chirp[2 * j + 1]).toBeCloseTo(Math.sin(a), 10);
    }
  });

  it('refuses an m that is too short or has a large prime factor, naming the fix', () => {
    expect(() => bluesteinTables(10, 16)).toThrow(ValueError);
    expect(() => bluesteinTables(10, 19 * 2)).toThrow(/power of two/);
    expect(() => bluesteinTables(0, 4)).toThrow(/n ≥ 1/);
  });
});
