// One training script on the CPU (float32) and on the GPU (lavapipe in CI) through @sciml/nn's fitAsync:
// the model's parameters live on the GPU, dropout draws its masks there, values are read once per logging
// step. The per-step loss curves must agree within float32 tolerance.
import { describeWithGpu } from '@sciml/config/test-helpers';
import { type Backend, Generator, fromTypedArray } from '@sciml/linalg';
import {
  type Callback,
  Module,
  accuracyMetric,
  crossEntropyWithLogits,
  dropout,
  fitAsync,
  linear,
  relu,
  sequential,
} from '@sciml/nn';
import { adam } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from './test-utils/probe.js';

/** Three Gaussian blobs in 4-D (class c shifted by 2 along axis c), float32. */
function blobs(n: number) {
  const rng = new Generator(9);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float32Array.from(rng.normal([n, 4]).dataSync(), (v, k) =>
    labels[Math.floor(k / 4)] === k % 4 ? v + 2 : v,
  );
  return { x, labels };
}

/** The training script: the only backend-specific input is `backend`. */
async function train(backend: Backend | string) {
  const n = 160;
  const { x, labels } = blobs(n);
  const model = new Module(sequential(linear(16), relu, dropout(0.2), linear(3)), {
    inputShape: [4],
    seed: 5,
    dtype: 'float32',
  }).toBackend(backend);
  const xs = fromTypedArray(x, [n, 4], { backend });
  const ys = fromTypedArray(labels, [n], { backend });
  const losses: number[] = [];
  const record: Callback = { onBatchEnd: ({ loss }) => losses.push(loss) };
  const history = await fitAsync(model, [xs, ys], {
    optimizer: adam({ lr: 0.01 }),
    loss: crossEntropyWithLogits,
    epochs: 10,
    batchSize: 16,
    metrics: [accuracyMetric],
    callbacks: [record],
    verbose: false,
    seed: 1,
    logEvery: 5,
  });
  return { losses, history, model };
}

describeWithGpu(
  'fitAsync: one training script on the CPU and the GPU',
  () => probeGpu({ name: 'webgpu-fit-async-test' }),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it('100 steps with dropout: the GPU’s loss curve equals the CPU’s within float32 tolerance', async () => {
      const cpu = await train('cpu');
      const dev = await train(gpu());
      expect(cpu.losses).toHaveLength(100);
      expect(dev.losses).toHaveLength(100);
      let worst = 0;
      cpu.losses.forEach((l, i) => {
        worst = Math.max(worst, Math.abs(dev.losses[i]! - l) / Math.abs(l));
      });
      expect(worst).toBeLessThan(1e-3);
      // it learned, on both
      expect(cpu.losses.at(-1)!).toBeLessThan(0.5 * cpu.losses[0]!);
      // accuracy counted on the device: at most a borderline example or two may flip (1/160 each)
      expect(dev.history.epochs[9]!.accuracy).toBeGreaterThan(0.8);
      expect(
        Math.abs(dev.history.epochs[9]!.accuracy! - cpu.history.epochs[9]!.accuracy!),
      ).toBeLessThan(0.02);
    });
  },
);
