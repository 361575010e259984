import { NotFiniteError, ShapeError, ValueError, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { fornbergWeights } from './differentiator.js';
import { finiteDifference } from './finite-difference.js';

const column = (f: (t: number) => number, t: ArrayLike<number>) =>
  array(Array.from(t, (v) => [f(v)]));
const maxAbsError = (est: ArrayLike<number>, exact: (i: number) => number) =>
  Array.from(est).reduce((m, v, i) => Math.max(m, Math.abs(v - exact(i))), 0);

describe('fornbergWeights', () => {
  it('reproduces the textbook stencils', () => {
    const close = (a: Float64Array, b: number[]) =>
      a.forEach((v, i) => {
        expect(v).toBeCloseTo(b[i]!, 13);
      });
    close(fornbergWeights(0, [-1, 0, 1], 1), [-0.5, 0, 0.5]);
    close(fornbergWeights(0, [0, 1, 2], 1), [-1.5, 2, -0.5]);
    close(fornbergWeights(0, [-2, -1, 0, 1, 2], 1), [1 / 12, -2 / 3, 0, 2 / 3, -1 / 12]);
    close(fornbergWeights(0, [-1, 0, 1], 2), [1, -2, 1]);
  });
});

describe('finiteDifference', () => {
  it('order 2 is exact on quadratics, interior and ends, uniform and non-uniform', () => {
    const q = (t: number) => 3 - 2 * t + 0.7 * t * t;
    const dq = (t: number) => -2 + 1.4 * t;
    const uniform = Float64Array.from({ length: 9 }, (_, i) => 0.25 * i);
    const d1 = finiteDifference().differentiate(column(q, uniform), 0.25).dataSync();
    expect(maxAbsError(d1, (i) => dq(uniform[i]!))).toBeLessThan(1e-13);
    const ragged = [0, 0.1, 0.35, 0.4, 0.9, 1.3, 1.31, 2];
    const d2 = finiteDifference().differentiate(column(q, ragged), ragged).dataSync();
    expect(maxAbsError(d2, (i) => dq(ragged[i]!))).toBeLessThan(1e-11);
  });

  it('order 4 is exact on quartics', () => {
    const p = (t: number) => t ** 4 - t ** 3 + 2 * t;
    const dp = (t: number) => 4 * t ** 3 - 3 * t ** 2 + 2;
    const t = Float64Array.from({ length: 11 }, (_, i) => 0.1 * i);
    const d = finiteDifference({ order: 4 }).differentiate(column(p, t), 0.1).dataSync();
    expect(maxAbsError(d, (i) => dp(t[i]!))).toBeLessThan(1e-11);
  });

  it('converges at its order on sin (measured order within 0.2 of nominal)', () => {
    for (const order of [2, 4]) {
      const errs = [0.02, 0.01].map((dt) => {
        const t = Float64Array.from({ length: Math.round(2 / dt) + 1 }, (_, i) => i * dt);
        const d = finiteDifference({ order }).differentiate(column(Math.sin, t), dt).dataSync();
        return maxAbsError(d, (i) => Math.cos(t[i]!));
      });
      expect(Math.log2(errs[0]! / errs[1]!)).toBeGreaterThan(order - 0.2);
    }
  });

  it('keeps the shape of 1-D input and differentiates columns independently', () => {
    const d1 = finiteDifference().differentiate(array([0, 1, 4, 9]), 1);
    expect(d1.shape).toEqual([4]);
    const d2 = finiteDifference().differentiate(
      array([
        [0, 0],
        [1, 2],
        [2, 4],
      ]),
      0.5,
    );
    expect(d2.toNested()).toEqual([
      [2, 4],
      [2, 4],
      [2, 4],
    ]);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => finiteDifference({ order: 3 })).toThrow(ValueError);
    expect(() => finiteDifference().differentiate(array([[1], [2]]), 1)).toThrow(ShapeError);
    expect(() => finiteDifference().differentiate(array([[1], [2], [3]]), [0, 2, 1])).toThrow(
      ValueError,
    );
    expect(() => finiteDifference().differentiate(array([[1], [2], [3]]), [0, 1])).toThrow(
      ShapeError,
    );
    expect(() => finiteDifference().differentiate(array([[1], [Number.NaN], [3]]), 1)).toThrow(
      NotFiniteError,
    );
    expect(() => finiteDifference().differentiate(array([[1], [2], [3]]), 0)).toThrow(ValueError);
  });
});
