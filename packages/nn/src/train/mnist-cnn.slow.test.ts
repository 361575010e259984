// A small CNN on the 10 000 offline MNIST digits, 8 000 train / 2 000 test by the same seeded split as the
// MLP test (mnist.slow.test.ts).
import { loadDigits, trainTestSplit } from '@sciml/data';
import { reshape, take } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { heNormal } from '../initializers.js';
import { batchNorm } from '../layers/batch-norm.js';
import { conv2dLayer } from '../layers/conv.js';
import { dropout } from '../layers/dropout.js';
import { linear } from '../layers/linear.js';
import { maxPool2dLayer } from '../layers/pool.js';
import { flatten } from '../layers/reshape.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { evaluate, fit } from './fit.js';
import { accuracyMetric } from './metrics.js';

describe('MNIST digits', () => {
  it('a small CNN (conv 16 → BN → pool → conv 32 → BN → pool → 10, float32) reaches ≥ 98 % test accuracy', async () => {
    const { x, y } = await loadDigits();
    const images = reshape(x, [x.shape[0]!, 1, 28, 28]);
    const { train, test } = trainTestSplit(x.shape[0]!, { test: 2000, seed: 0 });
    const cnn = sequential(
      conv2dLayer(16, { kernelSize: 5, padding: 2, init: heNormal }),
      batchNorm(),
      relu,
      maxPool2dLayer({ kernelSize: 2 }),
      conv2dLayer(32, { kernelSize: 3, padding: 1, init: heNormal }),
      batchNorm(),
      relu,
      maxPool2dLayer({ kernelSize: 2 }),
      flatten(),
      dropout(0.25),
      linear(10),
    );
    const model = new Module(cnn, { inputShape: [1, 28, 28], seed: 0, dtype: 'float32' });
    const epochs = 6;
    fit(model, [take(images, train, 0), take(y, train, 0)], {
      optimizer: adam({ lr: cosineDecay(3e-3, epochs * 125) }),
      loss: crossEntropyWithLogits,
      epochs,
      batchSize: 64,
      seed: 1,
      verbose: false,
    });
    const result = evaluate(model, [take(images, test, 0), take(y, test, 0)], {
      loss: crossEntropyWithLogits,
      metrics: [accuracyMetric],
    });
    console.log(`MNIST CNN test accuracy ${result.accuracy}`);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.98);
  }, 900_000);
});
