import { array, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { oneHot } from '../losses.js';
import { accuracy } from './metrics.js';

describe('accuracy', () => {
  const scores = array([
    [0.1, 2, -1],
    [3, 0, 0],
    [0, 0, 5],
    [1, 0.5, 0.2],
  ]);
  const labels = fromTypedArray(Int32Array.from([1, 0, 1, 0]));

  it('compares argmax with integer labels or one-hot rows', () => {
    expect(accuracy(scores, labels)).toBe(0.75);
    expect(accuracy(scores, oneHot(labels, 3))).toBe(0.75);
  });

  it('reads a single logit per example as class 1 when positive', () => {
    expect(accuracy(array([[-2], [0.5], [3]]), array([[0], [0], [1]]))).toBeCloseTo(2 / 3, 15);
    expect(accuracy(array([-2, 0.5]), array([0, 1]))).toBe(1);
    expect(() => accuracy(scores, fromTypedArray(Int32Array.from([1, 0])))).toThrow(
      /do not match 4/,
    );
  });
});
