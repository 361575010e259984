// Shared by the MNIST slow tests: the 10 000 offline digits (@sciml/data's loadDigits), one seeded
// 8 000 / 2 000 split, training with Adam and a cosine learning rate, and the test accuracy.
import { loadDigits, trainTestSplit } from '@sciml/data';
import { Generator, type NDArray, fromTypedArray, reshape, take } from '@sciml/linalg';
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
  options: { epochs: number; lr: number; batchSize: number; shiftedCopies?: number },
): Promise<number> {
  const { x, y } = await loadDigits();
  const n = x.shape[0]!;
  const images = reshape(x, [n, ...inputShape]);
  const { train, test } = trainTestSplit(n, { test: 2000, seed: 0 });
  let xTrain = take(x, train, 0);
  let yTrain = take(y, train, 0);
  if (options.shiftedCopies) {
    ({ x: xTrain, y: yTrain } = withShiftedCopies(xTrain, yTrain, options.shiftedCopies));
  }
  const nTrain = xTrain.shape[0]!;
  const model = new Module(layer, { inputShape, seed: 0, dtype: 'float32' });
  const steps = options.epochs * Math.ceil(nTrain / options.batchSize);
  fit(model, [reshape(xTrain, [nTrain, ...inputShape]), yTrain], {
    optimizer: adam({ lr: cosineDecay(options.lr, { steps }) }),
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

/**
 * Data augmentation: the images plus `copies` copies of each shifted by a random (dx, dy) ∈ {−2..2}²
 * (zeros shifted in), the classic translation augmentation for digits (Simard et al. 2003).
 */
function withShiftedCopies(x: NDArray, y: NDArray, copies: number): { x: NDArray; y: NDArray } {
  const n = x.shape[0]!;
  const src = x.dataSync() as Float32Array;
  const labels = y.dataSync() as Int32Array;
  const rng = new Generator(42);
  const out = new Float32Array(n * (copies + 1) * 784);
  const outLabels = new Int32Array(n * (copies + 1));
  out.set(src);
  outLabels.set(labels);
  for (let c = 1; c <= copies; c++) {
    for (let i = 0; i < n; i++) {
      const [dx, dy] = [rng.nextInt(-2, 3), rng.nextInt(-2, 3)];
      const base = (c * n + i) * 784;
      for (let r = 0; r < 28; r++) {
        const sr = r - dy;
        if (sr < 0 || sr >= 28) continue;
        for (let col = 0; col < 28; col++) {
          const sc = col - dx;
          if (sc >= 0 && sc < 28) out[base + r * 28 + col] = src[i * 784 + sr * 28 + sc]!;
        }
      }
      outLabels[c * n + i] = labels[i]!;
    }
  }
  return {
    x: fromTypedArray(out, [n * (copies + 1), 784]),
    y: fromTypedArray(outLabels, [n * (copies + 1)]),
  };
}
