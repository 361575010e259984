import { describe, expect, it } from 'vitest';
import { DTypeError } from '../core/errors.js';
import { array, ones } from './creation.js';
import { exp, log } from './elementwise.js';
import { logsumexp, sum } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';

describe('softmax and logSoftmax', () => {
  it('match the definition on moderate values', () => {
    const v = [0.5, -1, 2, 0];
    const z = v.reduce((s, a) => s + Math.exp(a), 0);
    const s = softmax(array(v)).dataSync();
    const l = logSoftmax(array(v)).dataSync();
    v.forEach((a, i) => {
      expect(s[i]).toBeCloseTo(Math.exp(a) / z, 15);
      expect(l[i]).toBeCloseTo(a - Math.log(z), 14);
    });
  });

  it('do not overflow or underflow where the naive formula does', () => {
    const x = array([
      [1000, 1001, 999],
      [-1000, -1001, -999],
    ]);
    const naive = exp(array([1000, 1001])).dataSync(); // the naive form is ∞/∞
    expect(naive[0]! / (naive[0]! + naive[1]!)).toBeNaN();
    const s = softmax(x).toNested() as number[][];
    const l = logSoftmax(x).toNested() as number[][];
    const ref = [1, 2, 0].map((a) => Math.exp(a - 2) / (Math.exp(-1) + 1 + Math.exp(-2)));
    ref.forEach((r, i) => {
      expect(s[0]![i]).toBeCloseTo(r, 14);
      expect(s[1]![i]).toBeCloseTo([ref[0], ref[2], ref[1]][i]!, 14);
      expect(l[0]![i]).toBeCloseTo(Math.log(r), 12);
    });
  });

  it('normalise along the chosen axis, and logSoftmax = log ∘ softmax', () => {
    const x = array([
      [0.1, 0.7],
      [-0.3, 2],
      [1.5, -2],
    ]);
    expect(sum(softmax(x, { axis: 0 }), { axis: 0 }).toNested()).toEqual([1, 1]);
    const a = logSoftmax(x, { axis: 0 }).dataSync();
    const b = log(softmax(x, { axis: 0 })).dataSync();
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 14);
    });
    const all = softmax(x, { axis: [0, 1] });
    expect(sum(all).item()).toBeCloseTo(1, 15);
  });

  it('keep −∞ entries at probability 0 (masked logits); logsumexp of an all −∞ row is −∞', () => {
    const s = softmax(array([0, Number.NEGATIVE_INFINITY, 0])).toNested();
    expect(s).toEqual([0.5, 0, 0.5]);
    expect(logsumexp(array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it('keep float32 and reject integers', () => {
    expect(softmax(ones([2, 3], { dtype: 'float32' })).dtype).toBe('float32');
    expect(() => softmax(ones([2], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});
