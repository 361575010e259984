import { checkGrads, grad } from '@sciml/autodiff';
import { Generator, type NDArray, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { relu } from './activations.js';
import { batchNorm } from './layers/batch-norm.js';
import { linear } from './layers/linear.js';
import { sequential } from './layers/sequential.js';
import { decayWeights, isWeight, l1Penalty, l2Penalty } from './regularizers.js';

const leaf = (p: { layers: unknown[] }, i: number, name: string): NDArray =>
  (p.layers[i] as Record<string, NDArray>)[name]!;

describe('regularisers', () => {
  const net = sequential(linear(3), batchNorm(), relu, linear(2));
  const params = net.init(new Generator(1), [4]);
  const w0 = Array.from(leaf(params, 0, 'weight').dataSync());
  const w3 = Array.from(leaf(params, 3, 'weight').dataSync());
  const weights = [...w0, ...w3];

  it('penalise weight matrices only (not biases or norm scales), with their closed forms', () => {
    expect(l1Penalty(params, 0.1).item()).toBeCloseTo(
      0.1 * weights.reduce((s, v) => s + Math.abs(v), 0),
      14,
    );
    expect(l2Penalty(params, 0.1).item()).toBeCloseTo(
      0.05 * weights.reduce((s, v) => s + v * v, 0),
      14,
    );
    expect(isWeight('layers.1.weight', array([1, 2]))).toBe(false);
    expect(isWeight('layers.0.weight_ih_l0', array([[1]]))).toBe(true);
    expect(isWeight('layers.0.bias', array([[1]]))).toBe(false);
    const all = l2Penalty(params, 1, { filter: () => true }).item();
    expect(all).toBeGreaterThan(l2Penalty(params, 1).item());
    expect(() => l2Penalty(params, -1)).toThrow(/≥ 0/);
  });

  it('the L2 penalty’s gradient is λw; decoupled decay scales weights by 1 − rate', () => {
    const g = grad((p: typeof params) => l2Penalty(p, 0.3))(params);
    const gw = Array.from(leaf(g, 0, 'weight').dataSync());
    gw.forEach((v, i) => {
      expect(v).toBeCloseTo(0.3 * w0[i]!, 14);
    });
    const gb = leaf(g, 0, 'bias').dataSync();
    expect(Array.from(gb)).toEqual([0, 0, 0]);
    const decayed = decayWeights(params, 0.1);
    const dw = Array.from(leaf(decayed, 3, 'weight').dataSync());
    dw.forEach((v, i) => {
      expect(v).toBeCloseTo(0.9 * w3[i]!, 15);
    });
    expect(leaf(decayed, 1, 'weight')).toBe(leaf(params, 1, 'weight'));
    checkGrads((p: typeof params) => l1Penalty(p, 0.2), [params], { order: 1 });
  });
});
