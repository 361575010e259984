import { Generator, add, array, mean, mul, std } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { batchNorm } from './batch-norm.js';

describe('batchNorm: training vs evaluation', () => {
  const bn = batchNorm({ momentum: 0.1, eps: 1e-5 });
  const x = array([
    [1, 10],
    [2, 20],
    [3, 60],
    [6, 30],
  ]);
  const params = bn.init(new Generator(0), [2]);
  const state0 = bn.initState([2]);

  it('normalises with batch statistics in training and updates the running statistics as PyTorch', () => {
    const { y, state } = bn.apply(params, x, { state: state0, training: true });
    // each column of y has mean 0 and (biased) std √(σ²/(σ² + ε)) ≈ 1
    expect(mean(y, { axis: 0 }).dataSync()[0]).toBeCloseTo(0, 14);
    expect(std(y, { axis: 0 }).dataSync()[1]).toBeCloseTo(1, 6);
    // column 0: mean 3, biased var 3.5, unbiased 14/3; running = 0.9·init + 0.1·batch
    expect(state.running_mean.dataSync()[0]).toBeCloseTo(0.3, 14);
    expect(state.running_var.dataSync()[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 14);
    // column 1: mean 30, values −20, −10, 30, 0 → unbiased var 1400/3
    expect(state.running_mean.dataSync()[1]).toBeCloseTo(3, 13);
    expect(state.running_var.dataSync()[1]).toBeCloseTo(0.9 + 0.1 * (1400 / 3), 11);
  });

  it('uses the running statistics in evaluation, leaving them unchanged', () => {
    const state = {
      running_mean: array([3, 30]),
      running_var: array([4, 100]),
    };
    const p = { weight: array([2, 0.5]), bias: array([1, -1]) };
    const { y, state: after } = bn.apply(p, x, { state, training: false });
    const expected0 = [1, 2, 3, 6].map((v) => (2 * (v - 3)) / Math.sqrt(4 + 1e-5) + 1);
    Array.from(y.dataSync())
      .filter((_, i) => i % 2 === 0)
      .forEach((v, i) => {
        expect(v).toBeCloseTo(expected0[i]!, 13);
      });
    expect(after).toBe(state);
  });

  it('converges to the data statistics over many training batches', () => {
    const rng = new Generator(3);
    let state = state0;
    for (let i = 0; i < 200; i++) {
      const xb = add(mul(rng.normal([64, 2]), 3), 5);
      state = bn.apply(params, xb, { state, training: true }).state;
    }
    // the running averages forget the initial values after 200 updates; noise ~ 0.1·σ/√64 per batch
    for (const m of state.running_mean.dataSync()) expect(Math.abs(m - 5)).toBeLessThan(0.3);
    for (const v of state.running_var.dataSync()) expect(Math.abs(v - 9)).toBeLessThan(1.5);
  });
});
