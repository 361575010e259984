// Shared by the MNIST slow tests: the 10 000 offline digits (@sciml/data's loadDigits), one seeded
// 8 000 / 2 000 split, training with Adam and a cosine learning rate, and the test accuracy.
import { loadDigits, trainTestSplit } from '@sciml/data';
import { reshape, take } from '@sciml/linalg';
import { adam, cosineDecay } from '@sciml/optim';
import type { Layer } from '../../layers/layer.js';
import { crossEntropyWithLogits } from '../../losses.js';
import { Module } from '../../module.js';
import { evaluate, fit } from '../fit.js';
import { accuracyMetric } from '../metrics.js';

/** Trains `layer` on 8 000 digits (examples shaped `inputShape`) and returns its accuracy on the other 2 000. */
export async function digitsAccuracy(
  layer: Layer,
  inputShape: readonly number[],
  options: { epochs: number; lr: number; batchSize: number },
): Promise<number> {
  const { x, y } = await loadDigits();
  const n = x.shape[0]!;
  const images = reshape(x, [n, ...inputShape]);
  const { train, test } = trainTestSplit(n, { test: 2000, seed: 0 });
  const model = new Module(layer, { inputShape, seed: 0, dtype: 'float32' });
  const steps = options.epochs * Math.ceil((n - 2000) / options.batchSize);
  fit(model, [take(images, train, 0), take(y, train, 0)], {
    optimizer: adam({ lr: cosineDecay(options.lr, steps) }),
    loss: crossEntropyWithLogits,
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: 1,
    verbose: false,
  });
  const result = evaluate(model, [take(images, test, 0), take(y, test, 0)], {
    loss: crossEntropyWithLogits,
    metrics: [accuracyMetric],
  });
  return result.accuracy!;
}
