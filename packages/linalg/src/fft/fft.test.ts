import { describe, expect, it } from 'vitest';
import { addOpObserver } from '../core/dispatch.js';
import { DTypeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { array } from '../ops/creation.js';
import { complex, imag, real } from '../ops/complex.js';
import { mul } from '../ops/elementwise.js';
import { transpose } from '../ops/shape.js';
import {
  fft,
  fft2,
  fftn,
  ifft,
  ifft2,
  ifftn,
  irfft,
  irfft2,
  irfftn,
  rfft,
  rfft2,
  rfftn,
} from './fft.js';
import { fftfreq, fftshift, ifftshift, rfftfreq } from './freq.js';

/** Deterministic pseudo-random values in [−1, 1) (a small LCG, so the test needs no generator). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/**
 * Direct O(n²) DFT in float64, sign −1 forward / +1 inverse. The angle is reduced exactly (jk mod n) and the
 * n roots e^{±2πi q/n} are tabulated once, each by cos/sin of its own angle (no recurrence).
 */
function dft(
  re: readonly number[],
  im: readonly number[],
  sign = -1,
): [Float64Array, Float64Array] {
  const n = re.length;
  const cos = Float64Array.from({ length: n }, (_, q) => Math.cos((2 * Math.PI * q) / n));
  const sin = Float64Array.from({ length: n }, (_, q) => sign * Math.sin((2 * Math.PI * q) / n));
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0, q = 0; j < n; j++, q = (q + k) % n) {
      const c = cos[q]!;
      const s = sin[q]!;
      sr += re[j]! * c - im[j]! * s;
      si += re[j]! * s + im[j]! * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

/** max |z_k − ref_k| / max |ref_k| for an interleaved complex result. */
function relErr(z: ArrayLike<number>, re: ArrayLike<number>, im: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let k = 0; k < re.length; k++) {
    err = Math.max(err, Math.hypot(z[2 * k]! - re[k]!, z[2 * k + 1]! - im[k]!));
    scale = Math.max(scale, Math.hypot(re[k]!, im[k]!));
  }
  return err / scale;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const complexOf = (re: number[], im: number[], shape = [re.length]): NDArray =>
  complex(array(re, { shape }), array(im, { shape }));

describe('fft against a direct O(n²) DFT in float64', () => {
  const lengths = [...Array.from({ length: 64 }, (_, i) => i + 1), 121, 169, 210, 1009, 4099];
  it.each(lengths)('length %i, forward and inverse, to 1e-13 relative', (n) => {
    const re = values(n, n);
    const im = values(n, n + 7);
    const z = complexOf(re, im);
    const [fr, fi] = dft(re, im, -1);
    expect(relErr(fft(z).dataSync(), fr, fi)).toBeLessThan(1e-13);
    const [br, bi] = dft(re, im, 1);
    const inv = ifft(z).dataSync();
    expect(
      relErr(
        inv,
        br.map((v) => v / n),
        bi.map((v) => v / n),
      ),
    ).toBeLessThan(1e-13);
  });

  it('matches NumPy fixtures: fft([1, 2, 3, 4]) and rfft([1, 2, 3, 4, 5])', () => {
    expect(fft(array([1, 2, 3, 4])).toNested()).toEqual([
      [10, 0],
      [-2, 2],
      [-2, 0],
      [-2, -2],
    ]);
    // numpy.fft.rfft([1, 2, 3, 4, 5]) = [15, -2.5+3.4409548j, -2.5+0.81229924j]
    const r = rfft(array([1, 2, 3, 4, 5])).dataSync();
    const expected = [15, 0, -2.5, 3.440954801177933, -2.5, 0.8122992405822659];
    expect(maxAbsDiff(r, expected)).toBeLessThan(1e-14);
  });

  it('keeps float32 input in complex64 to float32 accuracy', () => {
    const re = values(100, 3);
    const z = fft(array(re, { dtype: 'float32' }));
    expect(z.dtype).toBe('complex64');
    const [fr, fi] = dft(Array.from(new Float32Array(re)), new Array(100).fill(0));
    expect(relErr(z.dataSync(), fr, fi)).toBeLessThan(2e-6);
  });
});

describe('complex64 power-of-two transforms (the float32 kernels) against the float64 DFT', () => {
  // the float32 passes err by O(ε₃₂ log₂ n) of max |X| (src/kernels/fft.test.ts: measured ≤ 1.6 ε₃₂ up to 2^20)
  const bound = (n: number): number => 2 * 2 ** -24 * Math.log2(n);
  const c64 = (re: number[], im: number[], shape: number[]): NDArray =>
    complex(array(re, { shape, dtype: 'float32' }), array(im, { shape, dtype: 'float32' }));

  it.each([32, 64, 512, 4096])('n = %i: batched rows, fft and ifft, stay complex64', (n) => {
    const rows = 3;
    const re = Array.from(new Float32Array(values(rows * n, n)));
    const im = Array.from(new Float32Array(values(rows * n, n + 1)));
    const z = c64(re, im, [rows, n]);
    const f = fft(z);
    const b = ifft(z, { norm: 'ortho' });
    expect(f.dtype).toBe('complex64');
    expect(b.dtype).toBe('complex64');
    for (let r = 0; r < rows; r++) {
      const rowRe = re.slice(r * n, (r + 1) * n);
      const rowIm = im.slice(r * n, (r + 1) * n);
      const [fr, fi] = dft(rowRe, rowIm, -1);
      expect(relErr(f.dataSync().subarray(2 * r * n, 2 * (r + 1) * n), fr, fi)).toBeLessThan(
        bound(n),
      );
      const [br, bi] = dft(rowRe, rowIm, 1);
      const s = 1 / Math.sqrt(n);
      const got = b.dataSync().subarray(2 * r * n, 2 * (r + 1) * n);
      expect(
        relErr(
          got,
          br.map((v) => v * s),
          bi.map((v) => v * s),
        ),
      ).toBeLessThan(bound(n));
    }
  });

  it('along axis 0 and through fft2, and rfft of float32 rows', () => {
    const n = 64;
    const re = Array.from(new Float32Array(values(n * 3, 8)));
    const im = Array.from(new Float32Array(values(n * 3, 9)));
    const z = c64(re, im, [n, 3]);
    const cols = fft(z, { axis: 0 }).dataSync();
    for (let c = 0; c < 3; c++) {
      const pick = (v: number[]): number[] => Array.from({ length: n }, (_, i) => v[i * 3 + c]!);
      const [fr, fi] = dft(pick(re), pick(im), -1);
      const got = Array.from({ length: n }, (_, i) => [
        cols[2 * (i * 3 + c)]!,
        cols[2 * (i * 3 + c) + 1]!,
      ]);
      expect(relErr(got.flat(), fr, fi)).toBeLessThan(bound(n));
    }
    // fft2 of a [64, 64] grid: rows by the float32 passes, columns by the widened gather path
    const grid = c64(values(n * n, 10), values(n * n, 11), [n, n]);
    const f2 = fft2(grid);
    const twice = fft(transpose(fft(grid), [1, 0]));
    expect(f2.dtype).toBe('complex64');
    const f2Data = f2.dataSync();
    let peak = 0;
    for (const v of f2Data) peak = Math.max(peak, Math.abs(v));
    // two float32 transforms of 64 each way: both within bound(64·64) of max |X| of the exact 2-D DFT
    expect(maxAbsDiff(f2Data, transpose(twice, [1, 0]).dataSync()) / peak).toBeLessThan(
      2 * bound(n * n),
    );
    const x = Array.from(new Float32Array(values(256, 12)));
    const r = rfft(array(x, { dtype: 'float32' }));
    expect(r.dtype).toBe('complex64');
    const [fr, fi] = dft(x, new Array(256).fill(0), -1);
    expect(relErr(r.dataSync(), fr.subarray(0, 129), fi.subarray(0, 129))).toBeLessThan(bound(256));
  });
});

describe('fft identities', () => {
  it('Parseval: Σ|x|² = (1/n) Σ|X|², and the ortho transform is unitary', () => {
    for (const n of [12, 97, 256]) {
      const z = complexOf(values(n, 1), values(n, 2));
      const energy = (a: ArrayLike<number>): number => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
        return s;
      };
      const ex = energy(z.dataSync());
      expect(energy(fft(z).dataSync()) / n / ex - 1).toBeLessThan(1e-13);
      expect(Math.abs(energy(fft(z, { norm: 'ortho' }).dataSync()) / ex - 1)).toBeLessThan(1e-13);
      const fwd = fft(z, { norm: 'forward' }).dataSync();
      const bwd = fft(z).dataSync();
      expect(
        maxAbsDiff(
          fwd,
          Array.from(bwd, (v) => v / n),
        ),
      ).toBeLessThan(1e-14 * n);
      expect(
        maxAbsDiff(ifft(fft(z, { norm: 'ortho' }), { norm: 'ortho' }).dataSync(), z.dataSync()),
      ).toBeLessThan(1e-13);
    }
  });

  it('irfft(rfft(x)) = x for even and odd lengths, and rfft is the first n//2 + 1 bins of fft', () => {
    for (const n of [1, 2, 7, 8, 15, 64, 1009]) {
      const x = array(values(n, n + 11));
      const spectrum = rfft(x);
      expect(spectrum.shape).toEqual([Math.floor(n / 2) + 1]);
      // powers of two take the half-length complex FFT, so the two agree to rounding, not bit for bit
      expect(
        maxAbsDiff(
          spectrum.dataSync(),
          fft(x)
            .dataSync()
            .slice(0, 2 * (Math.floor(n / 2) + 1)),
        ),
      ).toBeLessThan(1e-14 * n);
      expect(maxAbsDiff(irfft(spectrum, { n }).dataSync(), x.dataSync())).toBeLessThan(
        1e-14 * Math.max(1, Math.log2(n)),
      );
    }
  });

  it('irfft ignores the imaginary parts of the zero and Nyquist bins (as NumPy)', () => {
    const X = complexOf([4, 1, 2], [5, -1, 7]);
    const plain = complexOf([4, 1, 2], [0, -1, 0]);
    expect(maxAbsDiff(irfft(X).dataSync(), irfft(plain).dataSync())).toBeLessThan(1e-15);
    // n = 4 from 3 bins: x_j = (1/4)(X0 + 2 Re(X1 e^{iπj/2}) + X2 (−1)^j)
    const x = irfft(plain).dataSync();
    const expected = [0, 1, 2, 3].map(
      (j) =>
        (4 + 2 * (Math.cos((Math.PI * j) / 2) + Math.sin((Math.PI * j) / 2)) + 2 * (-1) ** j) / 4,
    );
    expect(maxAbsDiff(x, expected)).toBeLessThan(1e-15);
  });

  it('convolution theorem: ifft(fft(a)·fft(b)) is the circular convolution', () => {
    for (const n of [16, 30, 31]) {
      const a = values(n, 5);
      const b = values(n, 6);
      const direct = new Float64Array(n);
      for (let k = 0; k < n; k++)
        for (let j = 0; j < n; j++) direct[k]! += a[j]! * b[(k - j + n) % n]!;
      const viaFft = real(ifft(mul(fft(array(a)), fft(array(b))))).dataSync();
      expect(maxAbsDiff(viaFft, direct)).toBeLessThan(1e-13 * n);
      const viaRfft = irfft(mul(rfft(array(a)), rfft(array(b))), { n }).dataSync();
      expect(maxAbsDiff(viaRfft, direct)).toBeLessThan(1e-13 * n);
    }
  });

  it('n crops or zero-pads the input, as NumPy', () => {
    const x = array([1, 2, 3]);
    expect(maxAbsDiff(fft(x, { n: 5 }).dataSync(), fft(array([1, 2, 3, 0, 0])).dataSync())).toBe(0);
    expect(maxAbsDiff(fft(x, { n: 2 }).dataSync(), fft(array([1, 2])).dataSync())).toBe(0);
  });
});

describe('axes and batching', () => {
  const x = array(values(3 * 4 * 5, 9), { shape: [3, 4, 5] });

  it('transforms any axis, batched over the others', () => {
    const along0 = fft(x, { axis: 0 });
    const viaTranspose = transpose(fft(transpose(x, [2, 1, 0])), [2, 1, 0]);
    expect(maxAbsDiff(along0.dataSync(), viaTranspose.dataSync())).toBeLessThan(1e-15);
    // one row by hand: x[:, 2, 3]
    const col = [0, 1, 2].map((i) => x.get(i, 2, 3));
    const [fr, fi] = dft(col, [0, 0, 0]);
    const got = [0, 1, 2].map((k) => [real(along0).get(k, 2, 3), imag(along0).get(k, 2, 3)]);
    got.forEach(([r, i], k) => {
      expect(r).toBeCloseTo(fr[k]!, 14);
      expect(i).toBeCloseTo(fi[k]!, 14);
    });
  });

  it('fft2 and fftn are the one-axis transforms composed; their inverses invert them', () => {
    const twoD = fft(fft(x, { axis: -1 }), { axis: -2 });
    expect(maxAbsDiff(fft2(x).dataSync(), twoD.dataSync())).toBeLessThan(1e-13);
    const all = fft(twoD, { axis: 0 });
    expect(maxAbsDiff(fftn(x).dataSync(), all.dataSync())).toBeLessThan(1e-13);
    expect(maxAbsDiff(real(ifftn(fftn(x))).dataSync(), x.dataSync())).toBeLessThan(1e-14);
    expect(maxAbsDiff(real(ifft2(fft2(x))).dataSync(), x.dataSync())).toBeLessThan(1e-14);
    expect(fftn(x, { s: [6, 2] }).shape).toEqual([3, 6, 2]);
  });

  it('rfftn/rfft2 keep the last axis halved and irfftn/irfft2 invert them', () => {
    const r = rfftn(x);
    expect(r.shape).toEqual([3, 4, 3]);
    expect(
      maxAbsDiff(
        r.dataSync(),
        fftn(x)
          .dataSync()
          .filter((_, i) => (i >> 1) % 5 < 3),
      ),
    ).toBeLessThan(1e-13);
    expect(maxAbsDiff(irfftn(r, { s: [3, 4, 5] }).dataSync(), x.dataSync())).toBeLessThan(1e-14);
    expect(maxAbsDiff(irfft2(rfft2(x), { s: [4, 5] }).dataSync(), x.dataSync())).toBeLessThan(
      1e-14,
    );
  });
});

describe('frequencies and shifts', () => {
  it('fftfreq and rfftfreq match NumPy', () => {
    // numpy.fft.fftfreq(8, d=0.1) and numpy.fft.rfftfreq(8, d=0.1)
    expect(
      maxAbsDiff(fftfreq(8, { d: 0.1 }).dataSync(), [0, 1.25, 2.5, 3.75, -5, -3.75, -2.5, -1.25]),
    ).toBeLessThan(1e-15);
    expect(maxAbsDiff(rfftfreq(8, { d: 0.1 }).dataSync(), [0, 1.25, 2.5, 3.75, 5])).toBeLessThan(
      1e-15,
    );
    expect(fftfreq(5).toNested()).toEqual([0, 0.2, 0.4, -0.4, -0.2]);
  });

  it('fftshift centres the zero frequency and ifftshift undoes it (odd and even, several axes)', () => {
    expect(fftshift(fftfreq(5)).toNested()).toEqual([-0.4, -0.2, 0, 0.2, 0.4]);
    expect(fftshift(fftfreq(4)).toNested()).toEqual([-0.5, -0.25, 0, 0.25]);
    const g = array(values(15, 1), { shape: [3, 5] });
    expect(ifftshift(fftshift(g)).toNested()).toEqual(g.toNested());
    expect(fftshift(g, { axes: 1 }).get(0, 0)).toBe(g.get(0, 3));
    const z = fft(g);
    expect(ifftshift(fftshift(z)).toNested()).toEqual(z.toNested());
  });
});

describe('bad input', () => {
  it('names the op and the fix', () => {
    expect(() => fft(array([1, 2]), { norm: 'unitary' as 'ortho' })).toThrow(ValueError);
    expect(() => fft(array([1, 2]), { n: 0 })).toThrow(/positive integer/);
    expect(() => fft(array([1, 2]), { axis: 3 })).toThrow(ValueError);
    expect(() => rfft(fft(array([1, 2])))).toThrow(DTypeError);
    expect(() => fft(array(5))).toThrow(ValueError);
    expect(() => fftfreq(0)).toThrow(ValueError);
    expect(() => fftn(array([1, 2]), { axes: [0, 0] })).toThrow(/repeated axis/);
    expect(() => fft2(array([1, 2]))).toThrow(ValueError);
    expect(() => fftn(array([[1, 2]]), { s: [2], axes: [0, 1] })).toThrow(ValueError);
    expect(() => irfft(array([[1, 2]]), { axis: 2 })).toThrow(ValueError);
  });
});

describe('rfft fast path (half-length complex FFT in the wasm kernel)', () => {
  /** rfft by the composite primitives: an installed observer makes rfft skip its direct kernel call. */
  function composite(run: () => NDArray): NDArray {
    const remove = addOpObserver({ onOp: () => {} });
    try {
      return run();
    } finally {
      remove();
    }
  }

  it('equals the direct DFT and the composite path for every power of two 4 … 2^16', () => {
    for (let log2 = 2; log2 <= 16; log2++) {
      const n = 2 ** log2;
      const x = array(values(n, log2));
      const fast = rfft(x, { norm: 'ortho' });
      const slow = composite(() => rfft(x, { norm: 'ortho' }));
      expect(fast.shape).toEqual([n / 2 + 1]);
      expect(fast.dtype).toBe('complex128');
      const a = fast.dataSync();
      const b = slow.dataSync();
      let err = 0;
      let scale = 0;
      for (let i = 0; i < b.length; i++) {
        err = Math.max(err, Math.abs(a[i]! - b[i]!));
        scale = Math.max(scale, Math.abs(b[i]!));
      }
      expect(err / scale).toBeLessThan(1e-15 * (log2 + 4));
      if (n <= 256) {
        const [fr, fi] = dft(values(n, log2), new Array<number>(n).fill(0));
        const s = 1 / Math.sqrt(n);
        expect(
          relErr(
            a,
            fr.slice(0, n / 2 + 1).map((v) => v * s),
            fi.slice(0, n / 2 + 1).map((v) => v * s),
          ),
        ).toBeLessThan(1e-14);
      }
    }
  });

  it('irfft inverts rfft and equals the composite path for every power of two 4 … 2^14, batched', () => {
    for (let log2 = 2; log2 <= 14; log2++) {
      const n = 2 ** log2;
      const x = array(values(3 * n, log2 + 40), { shape: [3, n] });
      const X = rfft(x);
      const back = irfft(X, { n });
      expect(back.shape).toEqual([3, n]);
      expect(maxAbsDiff(back.dataSync(), x.dataSync())).toBeLessThan(1e-15 * (log2 + 4));
      // a spectrum that is not Hermitian-consistent (imaginary parts on X_0 and X_{n/2}) tests NumPy's rule
      const Y = complexOf(values(n / 2 + 1, 3), values(n / 2 + 1, 4));
      const fast = irfft(Y, { norm: 'forward' });
      const slow = composite(() => irfft(Y, { norm: 'forward' }));
      const s = Math.max(...Array.from(slow.dataSync(), Math.abs));
      expect(maxAbsDiff(fast.dataSync(), slow.dataSync())).toBeLessThan(1e-15 * (log2 + 4) * s);
    }
  });

  it('batches over the other axes, along any axis, and keeps float32 as complex64', () => {
    const x = array(values(3 * 16 * 5, 21), { shape: [3, 16, 5] });
    const fast = rfft(x, { axis: 1 });
    const slow = composite(() => rfft(x, { axis: 1 }));
    expect(fast.shape).toEqual([3, 9, 5]);
    expect(maxAbsDiff(fast.dataSync(), slow.dataSync())).toBeLessThan(1e-14);
    const x32 = array(values(4 * 64, 5), { shape: [4, 64], dtype: 'float32' });
    const r32 = rfft(x32);
    expect(r32.dtype).toBe('complex64');
    const ref = composite(() => rfft(x32)).dataSync();
    // both round a float64 computation to float32 once: they agree to an ulp of float32 of max |X|
    expect(maxAbsDiff(r32.dataSync(), ref)).toBeLessThan(8 * 2 ** -24 * 8);
    const back32 = irfft(r32, { n: 64 });
    expect(back32.dtype).toBe('float32');
    expect(maxAbsDiff(back32.dataSync(), x32.dataSync())).toBeLessThan(4 * 2 ** -24);
  });
});

describe('fft along a non-last axis without transposes (wasm gather/scatter)', () => {
  function composite(run: () => NDArray): NDArray {
    const remove = addOpObserver({ onOp: () => {} });
    try {
      return run();
    } finally {
      remove();
    }
  }

  it('equals the composite path (transpose, last-axis fft, transpose back) on every axis, forward and inverse', () => {
    // inner = 37 columns: two full blocks of 16 gathered columns and a partial one
    const shape = [3, 64, 37];
    const size = shape.reduce((a, b) => a * b, 1);
    const z = complexOf(values(size, 1), values(size, 2), shape);
    for (const axis of [0, 1]) {
      for (const run of [
        (v: NDArray) => fft(v, { axis }),
        (v: NDArray) => ifft(v, { axis, norm: 'ortho' }),
      ]) {
        const fast = run(z);
        const slow = composite(() => run(z));
        expect(fast.shape).toEqual(shape);
        expect(maxAbsDiff(fast.dataSync(), slow.dataSync())).toBeLessThan(1e-13);
      }
    }
  });

  it('one column by hand against the direct DFT, and complex64 stays complex64', () => {
    const n = 32;
    const z = complexOf(values(n * 5, 4), values(n * 5, 5), [n, 5]);
    const col = Array.from({ length: n }, (_, i) => i * 5 + 3);
    const [fr, fi] = dft(
      col.map((i) => values(n * 5, 4)[i]!),
      col.map((i) => values(n * 5, 5)[i]!),
    );
    const got = fft(z, { axis: 0 }).dataSync();
    const colOut = col.flatMap((i) => [got[2 * i]!, got[2 * i + 1]!]);
    expect(relErr(colOut, fr, fi)).toBeLessThan(1e-14);
    const z32 = complex(
      array(values(n * 5, 4), { shape: [n, 5], dtype: 'float32' }),
      array(values(n * 5, 5), { shape: [n, 5], dtype: 'float32' }),
    );
    const f32 = fft2(z32);
    expect(f32.dtype).toBe('complex64');
    const ref = composite(() => fft2(z32)).dataSync();
    expect(maxAbsDiff(f32.dataSync(), ref)).toBeLessThan(1e-5);
  });
});
