import { describe, expect, it } from 'vitest';
import { addOpObserver } from '../core/dispatch.js';
import { DTypeError, ShapeError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { viewAsComplex } from '../ops/complex.js';
import { fft, fft2, fftn, ifft, irfft, irfftn, rfft, rfftn } from './fft.js';

/** Deterministic pseudo-random values in [−1, 1) (a small LCG). */
function values(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** A complex128 array of `shape` over a copy of `data` (interleaved). */
function complexOf(data: Float64Array | Float32Array, shape: number[]): NDArray {
  return viewAsComplex(fromTypedArray(data.slice(), [...shape, 2]));
}

/** `run` with an observer installed, so the transforms take the composite (dispatcher) path. */
function composite<T>(run: () => T): T {
  const remove = addOpObserver({ onOp: () => {} });
  try {
    return run();
  } finally {
    remove();
  }
}

/** Index of the first element where a and b differ (NaN counts as different), −1 when they are equal. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i])) return i;
  return -1;
}

/** An out buffer filled with NaN, so any element the transform fails to write shows. */
function poisoned<T extends Float64Array | Float32Array>(make: new (n: number) => T, n: number): T {
  const out = new make(n);
  out.fill(Number.NaN);
  return out;
}

describe('out: the result written into the caller’s typed array', () => {
  // powers of two (wasm kernel), a smooth length (TypeScript passes) and a prime (Bluestein)
  it.each([1024, 96, 61])(
    'fft/ifft of length %i: out holds exactly the allocating result and the array wraps it',
    (n) => {
      const rows = 3;
      const z = complexOf(values(2 * n * rows, n), [rows, n]);
      for (const [f, name] of [
        [fft, 'fft'],
        [ifft, 'ifft'],
      ] as const) {
        const expected = f(z).dataSync();
        const out = poisoned(Float64Array, 2 * n * rows);
        const y = f(z, { out });
        expect(y.dataSync(), name).toBe(out);
        expect(y.shape).toEqual([rows, n]);
        expect(y.dtype).toBe('complex128');
        expect(firstDiff(out, expected)).toBe(-1);
        // the composite path (observers installed) copies into out, to the same values
        const out2 = poisoned(Float64Array, 2 * n * rows);
        composite(() => f(z, { out: out2 }));
        expect(firstDiff(out2, expected)).toBe(-1);
      }
    },
  );

  it('along a non-last axis, with n cropping, norm, complex64 and fft2/fftn', () => {
    const z = complexOf(values(2 * 16 * 8, 1), [16, 8]);
    const out = poisoned(Float64Array, 2 * 16 * 8);
    fft(z, { axis: 0, out });
    expect(firstDiff(out, fft(z, { axis: 0 }).dataSync())).toBe(-1);
    const cropped = poisoned(Float64Array, 2 * 10 * 8);
    fft(z, { axis: 0, n: 10, norm: 'ortho', out: cropped });
    expect(firstDiff(cropped, fft(z, { axis: 0, n: 10, norm: 'ortho' }).dataSync())).toBe(-1);
    const z32 = viewAsComplex(fromTypedArray(Float32Array.from(values(2 * 64, 2)), [64, 2]));
    const out32 = poisoned(Float32Array, 128);
    expect(fft(z32, { out: out32 }).dtype).toBe('complex64');
    expect(firstDiff(out32, fft(z32).dataSync())).toBe(-1);
    const out2 = poisoned(Float64Array, 2 * 16 * 8);
    fft2(z, { out: out2 });
    expect(firstDiff(out2, fft2(z).dataSync())).toBe(-1);
    const outn = poisoned(Float64Array, 2 * 12 * 8);
    fftn(z, { s: [12, 8], out: outn });
    expect(firstDiff(outn, fftn(z, { s: [12, 8] }).dataSync())).toBe(-1);
  });

  it('rfft/irfft and rfftn/irfftn: fast path, odd length, non-last axis and float32', () => {
    for (const n of [256, 30, 9]) {
      const x = fromTypedArray(values(2 * n, n), [2, n]);
      const m = Math.floor(n / 2) + 1;
      const spec = poisoned(Float64Array, 2 * 2 * m);
      rfft(x, { out: spec });
      expect(firstDiff(spec, rfft(x).dataSync())).toBe(-1);
      const back = poisoned(Float64Array, 2 * n);
      const y = irfft(complexOf(spec, [2, m]), { n, out: back });
      expect(y.dtype).toBe('float64');
      expect(firstDiff(back, irfft(rfft(x), { n }).dataSync())).toBe(-1);
    }
    const x = fromTypedArray(values(64 * 4, 5), [64, 4]);
    const spec = poisoned(Float64Array, 2 * 33 * 4);
    rfft(x, { axis: 0, out: spec });
    expect(firstDiff(spec, rfft(x, { axis: 0 }).dataSync())).toBe(-1);
    const x32 = fromTypedArray(Float32Array.from(values(128, 6)));
    const spec32 = poisoned(Float32Array, 2 * 65);
    expect(rfft(x32, { out: spec32 }).dtype).toBe('complex64');
    expect(firstDiff(spec32, rfft(x32).dataSync())).toBe(-1);
    const grid = fromTypedArray(values(8 * 16, 7), [8, 16]);
    const outn = poisoned(Float64Array, 2 * 8 * 9);
    rfftn(grid, { out: outn });
    expect(firstDiff(outn, rfftn(grid).dataSync())).toBe(-1);
    const backn = poisoned(Float64Array, 8 * 16);
    irfftn(rfftn(grid), { out: backn });
    expect(firstDiff(backn, irfftn(rfftn(grid)).dataSync())).toBe(-1);
  });

  it('aliasing the input: in place, and overlapping at an offset, both read the input first', () => {
    // one row, a batch of 70 rows of 1024 (two kernel chunks: the second reads input the first wrote over
    // unless the input is read first), a length the TypeScript passes take, and a non-last axis (slabs)
    const cases: [number[], number][] = [
      [[1024], -1],
      [[70, 1024], -1],
      [[3, 96], -1],
      [[3, 64, 4], 1],
    ];
    for (const [shape, axis] of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = values(2 * size, 11);
      const expected = fft(complexOf(data, shape), { axis }).dataSync();
      // in place: out is the input's own storage
      const buf = data.slice();
      const z = viewAsComplex(fromTypedArray(buf, [...shape, 2]));
      fft(z, { axis, out: buf });
      expect(firstDiff(buf, expected)).toBe(-1);
      // out shifted by one complex value inside the same buffer
      const big = new Float64Array(2 * size + 2);
      big.set(data);
      const shifted = viewAsComplex(fromTypedArray(big.subarray(0, 2 * size), [...shape, 2]));
      fft(shifted, { axis, out: big.subarray(2) });
      expect(firstDiff(big.subarray(2), expected)).toBe(-1);
    }
    // rfft reading a real buffer while writing a complex view of the same memory
    const n = 512;
    const shared = new Float64Array(n + 2);
    shared.set(values(n, 12));
    const expected = rfft(fromTypedArray(shared.slice(0, n))).dataSync();
    rfft(fromTypedArray(shared.subarray(0, n)), { out: shared });
    expect(firstDiff(shared, expected)).toBe(-1);
  });

  it('refuses an out of the wrong type or length, before any work, naming the op and the fix', () => {
    const z = complexOf(values(16, 1), [8]);
    expect(() => fft(z, { out: new Float32Array(16) })).toThrow(DTypeError);
    expect(() => fft(z, { out: new Float32Array(16) })).toThrow(/out must be a Float64Array/);
    expect(() => fft(z, { out: [] as unknown as Float64Array })).toThrow(DTypeError);
    expect(() => fft(z, { out: new Float64Array(8) })).toThrow(ShapeError);
    expect(() => fft(z, { out: new Float64Array(8) })).toThrow(/16 elements/);
    const x = fromTypedArray(values(16, 2));
    expect(() => rfft(x, { out: new Float64Array(16) })).toThrow(/18 elements/);
    expect(() => irfft(z, { out: new Float64Array(16) })).toThrow(/14 elements/);
    expect(() => rfft(fromTypedArray(new Float32Array(16)), { out: new Float64Array(18) })).toThrow(
      /Float32Array for a complex64/,
    );
    const untouched = poisoned(Float64Array, 10);
    expect(() => fft2(complexOf(values(32, 3), [4, 4]), { out: untouched })).toThrow(ShapeError);
    expect(untouched.every(Number.isNaN)).toBe(true);
  });
});
