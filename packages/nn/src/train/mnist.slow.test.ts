// An MLP on the 10 000 offline MNIST digits, 8 000 train / 2 000 test by a seeded split.
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { dropout } from '../layers/dropout.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { digitsAccuracy } from './test-utils/digits.js';

describe('MNIST digits', () => {
  it('an MLP 784-256-256-10 with dropout (float32, 15 epochs, cosine learning rate) reaches ≥ 96 % test accuracy', async () => {
    const mlp = sequential(
      linear(256),
      relu,
      dropout(0.2),
      linear(256),
      relu,
      dropout(0.2),
      linear(10),
    );
    const accuracy = await digitsAccuracy(mlp, [784], { epochs: 15, lr: 2e-3, batchSize: 64 });
    console.log(`MNIST MLP test accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.96);
  }, 900_000);
});
