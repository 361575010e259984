/**
 * softmax, logSoftmax and logsumexp are compositions in @sciml/linalg; these check that their derivatives
 * (which come from the primitives' rules) are right to second order, along any axis, and stay finite where
 * the naive formula overflows.
 */
import { type NDArray, add, logSoftmax, logsumexp, mul, softmax, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from './check-grads.js';
import { uniform } from './test-utils/random.js';
import { grad } from './transforms/reverse.js';

describe('softmax family gradients', () => {
  const x = (): [NDArray] => [uniform([3, 4], -2, 2, 5)];
  it.each([
    ['softmax axis -1', (z: NDArray) => softmax(z)],
    ['softmax axis 0', (z: NDArray) => softmax(z, { axis: 0 })],
    ['logSoftmax axis -1', (z: NDArray) => logSoftmax(z)],
    ['logSoftmax over both axes', (z: NDArray) => logSoftmax(z, { axis: [0, 1] })],
    ['logsumexp axis 1', (z: NDArray) => logsumexp(z, { axis: 1 })],
  ])('%s: checkGrads to order 2', (_n, f) => {
    const report = checkGrads(f, x(), { order: 2 });
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeLessThan(1e-6);
  });

  it('the gradient of Σ w ⊙ logSoftmax(x) is w − softmax(x)·Σw at logits near 1000 (no overflow)', () => {
    const z = add(uniform([2, 3], -1, 1, 7), 1000);
    const w = uniform([2, 3], 0, 1, 8);
    const g = grad((v: typeof z) => sum(mul(w, logSoftmax(v))))(z).dataSync();
    const s = softmax(z).dataSync();
    const wv = w.dataSync();
    for (let r = 0; r < 2; r++) {
      const total = wv[3 * r]! + wv[3 * r + 1]! + wv[3 * r + 2]!;
      for (let c = 0; c < 3; c++) {
        const i = 3 * r + c;
        expect(g[i]).toBeCloseTo(wv[i]! - s[i]! * total, 10);
      }
    }
  });
});
