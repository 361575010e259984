import { Generator, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { relu } from './activations.js';
import { batchNorm } from './layers/batch-norm.js';
import { dropout } from './layers/dropout.js';
import { linear } from './layers/linear.js';
import { sequential } from './layers/sequential.js';
import { Module } from './module.js';

describe('Module', () => {
  const make = () =>
    new Module(sequential(linear(4), batchNorm(), relu, dropout(0.5), linear(2)), {
      inputShape: [3],
      seed: 1,
    });

  it('wraps init/apply: forward equals layer.apply, eval by default, state updated only in training', () => {
    const m = make();
    expect(m.parameterCount).toBe(3 * 4 + 4 + 4 + 4 + 4 * 2 + 2);
    expect(m.outputShape).toEqual([2]);
    const x = new Generator(0).normal([5, 3]);
    expect(m.training).toBe(false);
    expect(m.forward(x).dataSync()).toEqual(
      m.layer.apply(m.params, x, { state: m.state }).y.dataSync(),
    );
    const before = m.state;
    m.train().forward(x, { rng: new Generator(2) });
    expect(m.state).not.toBe(before);
    expect(() => m.forward(array([1, 2, 3]))).toThrow(/expects a batch \[N, 3\]/);
  });

  it('loads a state dict by name and reports missing, misshapen or unexpected entries', () => {
    const a = make();
    const b = new Module(a.layer, { inputShape: [3], seed: 2 });
    b.loadStateDict(a.stateDict());
    expect(b.stateDict().get('layers.4.weight')!.dataSync()).toEqual(
      a.stateDict().get('layers.4.weight')!.dataSync(),
    );
    const dict = a.stateDict();
    dict.delete('layers.1.running_var');
    expect(() => b.loadStateDict(dict)).toThrow(/no 'layers.1.running_var'/);
    const extra = a.stateDict().set('head.weight', array([1]));
    expect(() => b.loadStateDict(extra)).toThrow(/unexpected names head.weight/);
    b.loadStateDict(extra, { strict: false });
  });
});
