// A small CNN on the 10 000 offline MNIST digits, with the MLP test's seeded 8 000 / 2 000 split.
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { heNormal } from '../initializers.js';
import { conv2dLayer } from '../layers/conv.js';
import { linear } from '../layers/linear.js';
import { maxPool2dLayer } from '../layers/pool.js';
import { flatten } from '../layers/reshape.js';
import { sequential } from '../layers/sequential.js';
import { digitsAccuracy } from './test-utils/digits.js';

describe('MNIST digits', () => {
  it('a small CNN (conv 16 → pool → conv 32 → pool → 64 → 10, float32, ±2 px shift augmentation) reaches ≥ 98 % test accuracy', async () => {
    const cnn = sequential(
      conv2dLayer(16, { kernelSize: 5, padding: 2, init: heNormal }),
      relu,
      maxPool2dLayer({ kernelSize: 2 }),
      conv2dLayer(32, { kernelSize: 3, padding: 1, init: heNormal }),
      relu,
      maxPool2dLayer({ kernelSize: 2 }),
      flatten(),
      linear(64, { init: heNormal }),
      relu,
      linear(10),
    );
    const accuracy = await digitsAccuracy(cnn, [1, 28, 28], {
      epochs: 4,
      lr: 2e-3,
      batchSize: 64,
      shiftedCopies: 1,
    });
    console.log(`MNIST CNN test accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
  }, 1_800_000);
});
