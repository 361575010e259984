/**
 * The batched outer-product kernels against their definition (float32 rounded once per product, as a
 * Float32Array store rounds) and the CPU `mul` that dispatches to them: a column [..., m, 1] times a row
 * [..., 1, n], either order, batched or shared, gives the same bits as the products written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../core/errors.js';
import { fromTypedArray } from '../ops/creation.js';
import { mul } from '../ops/index.js';
import { Generator } from '../random/generator.js';
import { batchedOuterF32, batchedOuterF64, batchedOuterReference } from './outer.js';

const rng = new Generator(7);
const values = (n: number): Float64Array =>
  Float64Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);

/** out[e, i, j] = a[e·sa + i] · b[e·sb + j], each product rounded to float32 when `f32`. */
function byHand(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  batch: number,
  m: number,
  n: number,
  sa: number,
  sb: number,
  f32: boolean,
): number[] {
  const out: number[] = [];
  for (let e = 0; e < batch; e++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const p = a[e * sa + i]! * b[e * sb + j]!;
        out.push(f32 ? Math.fround(p) : p);
      }
  return out;
}

describe('batchedOuter kernels', () => {
  it('equal the definition bit for bit (float64, float32; batched and shared factors)', () => {
    for (const [sa, sb] of [
      [5, 7],
      [0, 7],
      [5, 0],
    ] as const) {
      const a = values(sa === 0 ? 5 : 3 * 5);
      const b = values(sb === 0 ? 7 : 3 * 7);
      const shape = { batch: 3, m: 5, n: 7, strideA: sa, strideB: sb };
      const out64 = new Float64Array(105);
      batchedOuterF64(a, b, out64, shape);
      expect(Array.from(out64)).toEqual(byHand(a, b, 3, 5, 7, sa, sb, false));
      const ref = new Float64Array(105);
      batchedOuterReference(a, b, ref, shape);
      expect(Array.from(ref)).toEqual(Array.from(out64));
      const a32 = Float32Array.from(a);
      const b32 = Float32Array.from(b);
      const out32 = new Float32Array(105);
      batchedOuterF32(a32, b32, out32, shape);
      expect(Array.from(out32)).toEqual(byHand(a32, b32, 3, 5, 7, sa, sb, true));
    }
  });

  it('equal the definition bit for bit at sizes the wasm kernel takes (chunks of rows, odd tails, broadcasts)', () => {
    // 70×67: many rows per chunk and a tail of 3 columns; 3×5000: three rows per chunk; 1×20000: a row longer
    // than a chunk (the TypeScript loop)
    for (const [m, n] of [
      [70, 67],
      [3, 5000],
      [1, 20000],
    ] as const) {
      for (const [sa, sb] of [
        [m, n],
        [0, n],
        [m, 0],
      ] as const) {
        const a = values(sa === 0 ? m : 2 * m);
        const b = values(sb === 0 ? n : 2 * n);
        const shape = { batch: 2, m, n, strideA: sa, strideB: sb };
        const out64 = new Float64Array(2 * m * n);
        batchedOuterF64(a, b, out64, shape);
        expect(Array.from(out64)).toEqual(byHand(a, b, 2, m, n, sa, sb, false));
        const a32 = Float32Array.from(a);
        const b32 = Float32Array.from(b);
        const out32 = new Float32Array(2 * m * n);
        batchedOuterF32(a32, b32, out32, shape);
        expect(Array.from(out32)).toEqual(byHand(a32, b32, 2, m, n, sa, sb, true));
      }
    }
  });

  it('rejects lengths and strides that do not describe the product, naming the fix', () => {
    const shape = { batch: 2, m: 3, n: 4, strideA: 3, strideB: 4 };
    expect(() =>
      batchedOuterF64(new Float64Array(6), new Float64Array(8), new Float64Array(23), shape),
    ).toThrow(ShapeError);
    expect(() =>
      batchedOuterF64(new Float64Array(5), new Float64Array(8), new Float64Array(24), shape),
    ).toThrow(/pass out of length batch·m·n/);
    expect(() =>
      batchedOuterF64(new Float64Array(6), new Float64Array(8), new Float64Array(24), {
        ...shape,
        strideA: 2,
      }),
    ).toThrow(ShapeError);
  });
});

describe('mul of a column and a row (the CPU backend’s outer-product path)', () => {
  it.each(['float64', 'float32'] as const)(
    '%s: batched, shared, swapped and rank-2 layouts',
    (dtype) => {
      const f32 = dtype === 'float32';
      const arr = (v: Float64Array, shape: number[]) =>
        fromTypedArray(f32 ? Float32Array.from(v) : v, shape);
      const a = values(4 * 6);
      const b = values(4 * 5);
      const col = arr(a, [4, 6, 1]);
      const row = arr(b, [4, 1, 5]);
      const want = byHand(col.dataSync(), row.dataSync(), 4, 6, 5, 6, 5, f32);
      const got = mul(col, row);
      expect(got.shape).toEqual([4, 6, 5]);
      expect(got.dtype).toBe(dtype);
      expect(Array.from(got.dataSync())).toEqual(want);
      // the row first: the same products (IEEE multiplication commutes)
      expect(Array.from(mul(row, col).dataSync())).toEqual(want);
      // one row shared by every example (leading axes of size 1)
      const shared = arr(b.slice(0, 5), [1, 1, 5]);
      expect(Array.from(mul(col, shared).dataSync())).toEqual(
        byHand(col.dataSync(), shared.dataSync(), 4, 6, 5, 6, 0, f32),
      );
      // a plain outer product (rank 2) and two leading batch axes
      const c2 = arr(a.slice(0, 6), [6, 1]);
      const r2 = arr(b.slice(0, 5), [1, 5]);
      expect(Array.from(mul(c2, r2).dataSync())).toEqual(
        byHand(c2.dataSync(), r2.dataSync(), 1, 6, 5, 6, 5, f32),
      );
      const c4 = arr(a, [2, 2, 6, 1]);
      const r4 = arr(b, [2, 2, 1, 5]);
      expect(Array.from(mul(c4, r4).dataSync())).toEqual(want);
    },
  );

  it('leaves other broadcasts to the general loop (a batch axis broadcast on one side only partly)', () => {
    // leading axes (2, 1) against (2, 3): neither the result's nor all 1, so not an outer-product layout
    const x = fromTypedArray(values(2 * 4), [2, 1, 4, 1]);
    const y = fromTypedArray(values(2 * 3 * 5), [2, 3, 1, 5]);
    const got = mul(x, y).dataSync();
    const xs = x.dataSync();
    const ys = y.dataSync();
    const want: number[] = [];
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 3; q++)
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 5; j++) want.push(xs[p * 4 + i]! * ys[(p * 3 + q) * 5 + j]!);
    expect(Array.from(got)).toEqual(want);
  });
});
