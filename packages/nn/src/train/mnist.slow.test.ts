// The 10 000 offline MNIST digits (@sciml/data's loadDigits), 8 000 train / 2 000 test by a seeded split.
import { loadDigits, trainTestSplit } from '@sciml/data';
import { take } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { dropout } from '../layers/dropout.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { evaluate, fit } from './fit.js';
import { accuracyMetric } from './metrics.js';

describe('MNIST digits', () => {
  it('an MLP 784-256-256-10 with dropout (float32, 12 epochs, cosine learning rate) reaches ≥ 96 % test accuracy', async () => {
    const { x, y } = await loadDigits();
    const epochs = 12;
    const { train, test } = trainTestSplit(x.shape[0]!, { test: 2000, seed: 0 });
    const model = new Module(
      sequential(linear(256), relu, dropout(0.2), linear(256), relu, dropout(0.2), linear(10)),
      {
        inputShape: [784],
        seed: 0,
        dtype: 'float32',
      },
    );
    fit(model, [take(x, train, 0), take(y, train, 0)], {
      optimizer: adam({ lr: cosineDecay(2e-3, epochs * 125) }),
      loss: crossEntropyWithLogits,
      epochs,
      batchSize: 64,
      seed: 1,
      verbose: false,
    });
    const result = evaluate(model, [take(x, test, 0), take(y, test, 0)], {
      loss: crossEntropyWithLogits,
      metrics: [accuracyMetric],
    });
    console.log(`MNIST MLP test accuracy ${result.accuracy}`);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.96);
  }, 120_000);
});
