import { checkGrads } from '@sciml/autodiff';
import {
  Generator,
  ShapeError,
  array,
  fromTypedArray,
  logSoftmax,
  softmax,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  crossEntropyWithLogits,
  gaussianKl,
  gaussianNllLoss,
  huberLoss,
  maeLoss,
  mseLoss,
  nllLoss,
  oneHot,
} from './losses.js';

const labels = (v: number[]) => fromTypedArray(Int32Array.from(v));

describe('losses', () => {
  const p = array([0.5, -1, 2, 3]);
  const y = array([1, -1, 0, 0.5]);

  it('match their closed forms, with every reduction', () => {
    expect(mseLoss(p, y).item()).toBeCloseTo((0.25 + 0 + 4 + 6.25) / 4, 14);
    expect(mseLoss(p, y, { reduction: 'sum' }).item()).toBeCloseTo(10.5, 14);
    expect(Array.from(mseLoss(p, y, { reduction: 'none' }).dataSync())).toEqual([0.25, 0, 4, 6.25]);
    expect(maeLoss(p, y).item()).toBeCloseTo((0.5 + 0 + 2 + 2.5) / 4, 14);
    // residuals 0.5, 0, 2, 2.5 with δ = 1: 0.125, 0, 1.5, 2; with δ = 2: 0.125, 0, 2, 3
    expect(huberLoss(p, y).item()).toBeCloseTo((0.125 + 0 + 1.5 + 2) / 4, 14);
    expect(huberLoss(p, y, { delta: 2, reduction: 'sum' }).item()).toBeCloseTo(5.125, 14);
    const z = array([-800, -1, 0, 2, 800]);
    const lab = array([0, 1, 1, 0, 1]);
    const ref = [0, Math.log1p(Math.exp(1)), Math.log(2), 2 + Math.log1p(Math.exp(-2)), 0];
    expect(binaryCrossEntropyWithLogits(z, lab).item()).toBeCloseTo(
      ref.reduce((a, b) => a + b) / 5,
      12,
    );
    expect(() => mseLoss(p, array([1, 2]))).toThrow(/must have one shape/);
    expect(() => mseLoss(p, y, { reduction: 'avg' as 'mean' })).toThrow(/reduction/);
  });

  it('cross-entropy takes integer labels or probabilities, stable at any logit scale', () => {
    const logits = array([
      [1000, 0],
      [0, 0],
    ]);
    expect(crossEntropyWithLogits(logits, labels([0, 1])).item()).toBeCloseTo(Math.log(2) / 2, 12);
    expect(crossEntropyWithLogits(logits, oneHot(labels([0, 1]), 2)).item()).toBeCloseTo(
      Math.log(2) / 2,
      12,
    );
    expect(() => crossEntropyWithLogits(logits, labels([0, 1, 1]))).toThrow(/3 labels for 2 rows/);
  });

  it('label smoothing equals cross-entropy against (1 − ε)y + ε/C (closed form)', () => {
    const z = [2, -1, 0.5];
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    const eps = 0.1;
    const target = [eps / 3, 1 - eps + eps / 3, eps / 3];
    const ref = lse - target.reduce((s, t, i) => s + t * z[i]!, 0);
    const got = crossEntropyWithLogits(array([z]), labels([1]), { labelSmoothing: eps }).item();
    expect(got).toBeCloseTo(ref, 13);
  });

  it('nllLoss of logSoftmax is cross-entropy from logits; softmax rows sum to 1', () => {
    const z = new Generator(1).normal([5, 4]);
    const t = labels([0, 3, 2, 1, 1]);
    expect(nllLoss(logSoftmax(z), t).item()).toBeCloseTo(crossEntropyWithLogits(z, t).item(), 13);
    const rows = Array.from(sum(softmax(z), { axis: 1 }).dataSync());
    for (const r of rows) expect(r).toBeCloseTo(1, 14);
  });

  it('gaussianNllLoss is the Gaussian negative log-likelihood (PyTorch GaussianNLLLoss, full=True)', () => {
    const mu = array([0, 1]);
    const lv = array([0, Math.log(4)]);
    const t = array([1, 3]);
    // ½(0 + 1 + log 2π) and ½(log 4 + 4/4 + log 2π)
    const each = [
      0.5 * (1 + Math.log(2 * Math.PI)),
      0.5 * (Math.log(4) + 1 + Math.log(2 * Math.PI)),
    ];
    expect(gaussianNllLoss(mu, lv, t).item()).toBeCloseTo((each[0]! + each[1]!) / 2, 14);
    expect(gaussianNllLoss(mu, lv, t, { reduction: 'sum' }).item()).toBeCloseTo(
      each[0]! + each[1]!,
      14,
    );
    expect(Array.from(gaussianNllLoss(mu, lv, t, { reduction: 'none' }).dataSync())).toEqual(
      each.map((v) => expect.closeTo(v, 14)),
    );
    // minimised over log σ² at the squared residual: d/ds ½(s + r² e^{−s}) = 0 ⇒ e^{s} = r²
    const r2 = 2.25;
    const at = (s: number) => gaussianNllLoss(array([0]), array([s]), array([1.5])).item();
    expect(at(Math.log(r2))).toBeLessThan(at(Math.log(r2) + 0.1));
    expect(at(Math.log(r2))).toBeLessThan(at(Math.log(r2) - 0.1));
    expect(() => gaussianNllLoss(mu, array([0]), t)).toThrow(ShapeError);
  });

  it('gaussianKl matches the closed form and is zero between equal Gaussians', () => {
    const mu = array([0.3, -1]);
    const lv = array([0.2, -0.5]);
    // ½(σ² + μ² − 1 − log σ²) per element
    const ref = [0.3, -1].reduce((s, m, i) => {
      const l = [0.2, -0.5][i]!;
      return s + 0.5 * (Math.exp(l) + m * m - 1 - l);
    }, 0);
    expect(gaussianKl(mu, lv, { reduction: 'sum' }).item()).toBeCloseTo(ref, 14);
    expect(
      gaussianKl(mu, lv, { priorMu: mu, priorLogVar: lv, reduction: 'sum' }).item(),
    ).toBeCloseTo(0, 14);
    // general prior N(1, e^{0.4}) against the formula
    const mu2 = array([1, 1]);
    const lv2 = array([0.4, 0.4]);
    const ref2 = [0.3, -1].reduce((s, m, i) => {
      const l = [0.2, -0.5][i]!;
      return s + 0.5 * (0.4 - l + (Math.exp(l) + (m - 1) ** 2) / Math.exp(0.4) - 1);
    }, 0);
    expect(
      gaussianKl(mu, lv, { priorMu: mu2, priorLogVar: lv2, reduction: 'sum' }).item(),
    ).toBeCloseTo(ref2, 14);
  });

  it('differentiate correctly (checkGrads, first and second order)', () => {
    const rng = new Generator(3);
    const logits = rng.normal([4, 3]);
    const soft = array([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0.2, 0.3, 0.5],
    ]);
    checkGrads((q) => crossEntropyWithLogits(q, soft, { labelSmoothing: 0.1 }), [logits], {
      order: 2,
    });
    checkGrads((q) => nllLoss(logSoftmax(q), labels([2, 0, 1, 1])), [logits], { order: 2 });
    checkGrads((q) => binaryCrossEntropyWithLogits(q, array([0, 1, 1, 0, 1])), [rng.normal([5])], {
      order: 2,
    });
    checkGrads((q) => mseLoss(q, y, { reduction: 'sum' }), [array([0.3, -1.7, 2.2, 2.9])], {
      order: 2,
    });
    checkGrads((q) => huberLoss(q, y), [array([0.3, -1.7, 2.2, 2.9])], { order: 1 });
    checkGrads((m, l) => gaussianKl(m, l), [rng.normal([3]), rng.normal([3])], { order: 2 });
  });
});
