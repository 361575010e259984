import { twoMoons } from '@sciml/data';
import { treeLeaves } from '@sciml/autodiff';
import {
  Generator,
  array,
  fromTypedArray,
  memoryStats,
  mul,
  scope,
  sum,
  tanh,
} from '@sciml/linalg';
import { adam, cosineDecay, sgd } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { binaryCrossEntropyWithLogits, crossEntropyWithLogits, mseLoss } from '../losses.js';
import { Module } from '../module.js';
import { relu } from '../activations.js';
import { dropout } from '../layers/dropout.js';
import { earlyStopping } from './callbacks.js';
import { evaluate, fit, predict } from './fit.js';
import { accuracyMetric } from './metrics.js';

const labels = (v: number[]) => fromTypedArray(Int32Array.from(v));

describe('fit', () => {
  it('solves XOR', () => {
    const x = array([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = array([[0], [1], [1], [0]]);
    const model = new Module(sequential(linear(8), tanh, linear(1)), { inputShape: [2], seed: 1 });
    const history = fit(model, [x, y], {
      optimizer: adam({ lr: 0.05 }),
      loss: binaryCrossEntropyWithLogits,
      epochs: 300,
      batchSize: 4,
      metrics: [accuracyMetric],
      verbose: false,
    });
    expect(history.epochs.at(-1)!.accuracy).toBe(1);
    expect(history.epochs.at(-1)!.loss).toBeLessThan(0.05);
    const p = Array.from(predict(model, x).dataSync());
    expect(p.map((v) => (v > 0 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('classifies two moons with ≥ 99 % held-out accuracy, with a cosine learning-rate schedule', () => {
    const train = twoMoons({ n: 1000, noise: 0.1, seed: 1 });
    const test = twoMoons({ n: 1000, noise: 0.1, seed: 2 });
    const model = new Module(sequential(linear(32), relu, linear(32), relu, linear(2)), {
      inputShape: [2],
      seed: 3,
    });
    const epochs = 40;
    fit(model, [train.x, train.y], {
      optimizer: adam({ lr: cosineDecay(0.02, { steps: epochs * 32 }) }),
      loss: crossEntropyWithLogits,
      epochs,
      batchSize: 32,
      verbose: false,
    });
    const result = evaluate(model, [test.x, test.y], {
      loss: crossEntropyWithLogits,
      metrics: [accuracyMetric],
    });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
  });

  it('is deterministic: the same seed gives bit-identical histories and weights (dropout included)', () => {
    const data = twoMoons({ n: 200, noise: 0.2, seed: 5 });
    const run = () => {
      const model = new Module(sequential(linear(16), relu, dropout(0.2), linear(2)), {
        inputShape: [2],
        seed: 7,
      });
      const h = fit(model, [data.x, data.y], {
        optimizer: adam({ lr: 0.01 }),
        loss: crossEntropyWithLogits,
        epochs: 3,
        batchSize: 16,
        seed: 11,
        verbose: false,
      });
      return { h: h.epochs, w: Array.from(model.stateDict().get('layers.0.weight')!.dataSync()) };
    };
    const a = run();
    const b = run();
    expect(a.h).toEqual(b.h);
    expect(a.w).toEqual(b.w);
  });

  it('early stopping ends a run that stops improving and restores the best parameters', () => {
    const x = new Generator(0).normal([64, 3]);
    const y = mul(sum(x, { axis: 1, keepdims: true }), 0.5);
    const model = new Module(linear(1), { inputShape: [3], seed: 0 });
    const stopper = earlyStopping({ monitor: 'loss', patience: 2, minDelta: 1e-3 });
    const history = fit(model, [x, y], {
      optimizer: sgd({ lr: 0.1 }),
      loss: mseLoss,
      epochs: 500,
      batchSize: 64,
      callbacks: [stopper],
      verbose: false,
    });
    expect(history.stopped).toBe(true);
    expect(history.epochs.length).toBeLessThan(500);
    expect(stopper.stoppedEpoch).toBe(history.epochs.length - 1);
    expect(evaluate(model, [x, y], { loss: mseLoss }).loss).toBeLessThan(1e-3);
  });

  it("frees each step: inside a scope the live arrays stay flat, the initial parameters stay the caller's", () => {
    const x = new Generator(0).normal([32, 3]);
    const y = mul(sum(x, { axis: 1, keepdims: true }), 0.5);
    const model = new Module(sequential(linear(8), relu, linear(1)), { inputShape: [3], seed: 0 });
    const initial = treeLeaves(model.params);
    const counts: number[] = [];
    const history = scope(() =>
      fit(model, [x, y], {
        optimizer: adam({ lr: 0.01 }),
        loss: mseLoss,
        epochs: 12,
        batchSize: 8,
        metrics: [accuracyMetric],
        verbose: false,
        callbacks: [{ onEpochEnd: () => counts.push(memoryStats('cpu').scopedArrays) }],
      }),
    );
    // after epoch 1: the parameters (4 leaves), Adam's two moments of each (8); nothing per step accumulates
    expect(counts[1]).toBe(12);
    expect(counts.at(-1)).toBe(counts[1]);
    expect(initial.every((a) => !a.isDisposed)).toBe(true);
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0]!.loss);
  });

  it('clips gradients: one SGD step with clipNorm moves the parameters by at most lr·clipNorm', () => {
    const x = mul(new Generator(0).normal([8, 4]), 100);
    const y = new Generator(1).normal([8, 1]);
    const model = new Module(linear(1), { inputShape: [4], seed: 0 });
    const before = model.stateDict();
    fit(model, [x, y], {
      optimizer: sgd({ lr: 0.1 }),
      loss: mseLoss,
      batchSize: 8,
      clipNorm: 1,
      verbose: false,
    });
    let moved = 0;
    for (const [k, v] of model.stateDict()) {
      const b0 = before.get(k)!.dataSync();
      v.dataSync().forEach((w, i) => {
        moved += (w - b0[i]!) ** 2;
      });
    }
    expect(Math.sqrt(moved)).toBeCloseTo(0.1, 10);
  });

  it('logs plain lines when not on a terminal and a redrawn bar on one', () => {
    const x = new Generator(0).normal([10, 2]);
    const y = labels([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const plain: string[] = [];
    const tty: string[] = [];
    for (const [out, isTTY] of [
      [plain, false],
      [tty, true],
    ] as const) {
      const model = new Module(linear(2), { inputShape: [2] });
      fit(model, [x, y], {
        optimizer: sgd({ lr: 0.1 }),
        loss: crossEntropyWithLogits,
        epochs: 2,
        batchSize: 5,
        output: { write: (s: string) => out.push(s), isTTY },
        validationData: [x, y],
        metrics: [accuracyMetric],
      });
    }
    expect(plain).toHaveLength(2);
    expect(plain[0]).toMatch(
      /^Epoch 1\/2 - loss \d\.\d{4} - accuracy \d\.\d{4} - val_loss .* - val_accuracy .* s\n$/,
    );
    expect(tty.filter((s) => s.startsWith('\rEpoch 1/2 ['))).toHaveLength(2);
    expect(tty.at(-1)).toMatch(/^\rEpoch 2\/2 - loss/);
  });

  it('rejects mismatched data with a typed error', () => {
    const model = new Module(linear(1), { inputShape: [2] });
    expect(() =>
      fit(model, [new Generator(0).normal([4, 2]), new Generator(0).normal([3, 1])], {
        optimizer: sgd({ lr: 0.1 }),
        loss: mseLoss,
        verbose: false,
      }),
    ).toThrow(/fit: inputs \(4, 2\) and targets \(3, 1\)/);
  });
});
