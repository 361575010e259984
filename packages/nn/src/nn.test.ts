import { checkGrads, grad } from '@sciml/autodiff';
import { Generator, array, mean, mul, sub, variance } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { dense, initDense } from './dense.js';
import { fans, glorotNormal, glorotUniform, heNormal, lecunNormal } from './initializers.js';
import {
  binaryCrossEntropyWithLogits,
  huberLoss,
  maeLoss,
  mseLoss,
  softmaxCrossEntropy,
} from './losses.js';

describe('initialisers', () => {
  const shape = [400, 300];
  const n = 400 * 300;
  // sample variance of n draws has relative standard error √(2/n) (normal) — 5σ bounds
  it.each([
    ['glorotUniform', glorotUniform, 2 / 700],
    ['glorotNormal', glorotNormal, 2 / 700],
    ['heNormal', heNormal, 2 / 400],
    ['lecunNormal', lecunNormal, 1 / 400],
  ] as const)('%s has the variance its paper prescribes', (_name, init, expected) => {
    const w = init(shape, { rng: new Generator(1) });
    expect(Math.abs(mean(w).item())).toBeLessThan(5 * Math.sqrt(expected / n));
    expect(Math.abs(variance(w).item() / expected - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('computes fans for dense and convolution kernels', () => {
    expect(fans([3, 5])).toEqual({ fanIn: 3, fanOut: 5 });
    expect(fans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(() => fans([3])).toThrow(/at least 2 dimensions/);
  });
});

describe('losses', () => {
  const p = array([0.5, -1, 2, 3]);
  const y = array([1, -1, 0, 0.5]);

  it('match their closed forms', () => {
    expect(mseLoss(p, y).item()).toBeCloseTo((0.25 + 0 + 4 + 6.25) / 4, 14);
    expect(maeLoss(p, y).item()).toBeCloseTo((0.5 + 0 + 2 + 2.5) / 4, 14);
    // residuals 0.5, 0, 2, 2.5 with δ = 1: 0.125, 0, 1.5, 2
    expect(huberLoss(p, y).item()).toBeCloseTo((0.125 + 0 + 1.5 + 2) / 4, 14);
    const z = array([-800, -1, 0, 2, 800]);
    const lab = array([0, 1, 1, 0, 1]);
    const ref = [0, Math.log1p(Math.exp(1)), Math.log(2), 2 + Math.log1p(Math.exp(-2)), 0];
    expect(binaryCrossEntropyWithLogits(z, lab).item()).toBeCloseTo(
      ref.reduce((a, b) => a + b) / 5,
      12,
    );
    const logits = array([
      [1000, 0],
      [0, 0],
    ]);
    const onehot = array([
      [1, 0],
      [0, 1],
    ]);
    expect(softmaxCrossEntropy(logits, onehot).item()).toBeCloseTo(Math.log(2) / 2, 12);
    expect(() => mseLoss(p, array([1, 2]))).toThrow(/must have one shape/);
  });

  it('differentiate correctly (checkGrads, first and second order)', () => {
    const rng = new Generator(3);
    const logits = rng.normal([4, 3]);
    const targets = array([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0.2, 0.3, 0.5],
    ]);
    checkGrads((z) => softmaxCrossEntropy(z, targets), [logits], { order: 2 });
    checkGrads((z) => binaryCrossEntropyWithLogits(z, array([0, 1, 1, 0, 1])), [rng.normal([5])], {
      order: 2,
    });
    checkGrads((q) => huberLoss(q, y), [array([0.3, -1.7, 2.2, 2.9])], { order: 1 });
  });
});

describe('dense layer', () => {
  it('trains a linear regression with plain gradient steps', () => {
    const rng = new Generator(4);
    const X = rng.normal([64, 3]);
    const wTrue = array([[1.5], [-2], [0.5]]);
    const Y = dense({ W: wTrue, b: array([0.3]) }, X);
    let params = initDense(3, 1, { rng });
    const loss = (prm: typeof params) => mseLoss(dense(prm, X), Y);
    for (let i = 0; i < 300; i++) {
      const g = grad(loss)(params);
      params = { W: sub(params.W, mul(g.W, 0.1)), b: sub(params.b, mul(g.b, 0.1)) };
    }
    expect(loss(params).item()).toBeLessThan(1e-10);
  });
});
