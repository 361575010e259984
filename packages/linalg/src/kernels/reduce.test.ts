import { describe, expect, it } from 'vitest';
import { ShapeError } from '../core/errors.js';
import { Generator } from '../random/generator.js';
import { CHUNK } from './chunked.js';
import {
  dotF32,
  dotF64,
  dotReference,
  REDUCE_MIN_LENGTH,
  sumF32,
  sumF64,
  sumReference,
} from './reduce.js';

const LENGTHS = [
  0,
  1,
  7,
  REDUCE_MIN_LENGTH - 1,
  REDUCE_MIN_LENGTH,
  65,
  1000,
  CHUNK,
  CHUNK + 3,
  3 * CHUNK + 17,
];

/** |Σ̂ − Σ| ≤ (n−1)·u·Σ|x| for any summation order (Higham §4.2), doubled for the reference's error. */
function bound(n: number, absSum: number): number {
  return 2 * Math.max(n - 1, 1) * 2 ** -53 * absSum + Number.MIN_VALUE;
}

describe('sum and dot kernels against the reference', () => {
  const rng = new Generator(5);
  it.each(LENGTHS)('n = %i', (n) => {
    const x = Float64Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);
    const y = Float64Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);
    const absX = sumReference(x.map(Math.abs));
    const absXY = dotReference(x.map(Math.abs), y.map(Math.abs));
    expect(Math.abs(sumF64(x) - sumReference(x))).toBeLessThanOrEqual(bound(n, absX));
    expect(Math.abs(dotF64(x, y) - dotReference(x, y))).toBeLessThanOrEqual(bound(n, absXY));
    // float32 input: exactly representable in float64, accumulated in float64 by both sides
    const x32 = Float32Array.from(x);
    const y32 = Float32Array.from(y);
    expect(Math.abs(sumF32(x32) - sumReference(x32))).toBeLessThanOrEqual(bound(n, absX * 1.01));
    expect(Math.abs(dotF32(x32, y32) - dotReference(x32, y32))).toBeLessThanOrEqual(
      bound(n, absXY * 1.01),
    );
  });

  it('sums integers exactly and propagates NaN', () => {
    const x = Float64Array.from({ length: 5000 }, (_, i) => i);
    expect(sumF64(x)).toBe((4999 * 5000) / 2);
    expect(dotF64(x, new Float64Array(5000).fill(2))).toBe(4999 * 5000);
    x[4321] = Number.NaN;
    expect(sumF64(x)).toBeNaN();
  });

  it('rejects vectors of different lengths', () => {
    expect(() => dotF64(new Float64Array(100), new Float64Array(101))).toThrow(ShapeError);
    expect(() => dotF32(new Float32Array(3), new Float32Array(2))).toThrow(ShapeError);
  });
});
