/**
 * One training script, unchanged on both backends: a two-layer convolutional network on 8×8 digits (the
 * MNIST digits @sciml/data ships, cropped to 24×24 and average-pooled 3×3), 200 full-batch Adam steps in
 * float32, each step in a `scope`. The CPU and the GPU must reach the same loss (1e-3 relative), and the GPU
 * must hold the same number of live buffers after step 10 and after step 200 (no per-step leak).
 */
import { grad, treeLeaves } from '@sciml/autodiff';
import { describeWithGpu } from '@sciml/config/test-helpers';
import { loadDigits } from '@sciml/data';
import {
  type Backend,
  Generator,
  type NDArray,
  add,
  avgPool2d,
  conv2d,
  fromTypedArray,
  logSoftmax,
  matmul,
  maxPool2d,
  mean,
  memoryStats,
  mul,
  neg,
  relu,
  reshape,
  scope,
  slice,
  sum,
  zeros,
} from '@sciml/linalg';
import {
  type Callback,
  Module,
  conv2dLayer,
  crossEntropyWithLogits,
  fitAsync,
  flatten,
  linear,
  maxPool2dLayer,
  relu as reluLayer,
  sequential,
} from '@sciml/nn';
import { Optimizer, adam } from '@sciml/optim';
import { afterAll, expect, it } from 'vitest';
import { probeGpu } from './test-utils/probe.js';

const PER_CLASS = 20;
const STEPS = 200;

/** 8×8 digits in [0, 1]: crop the 28×28 images to their central 24×24, then average 3×3 blocks. */
async function smallDigits(): Promise<{ images: Float32Array; labels: Int32Array }> {
  const { x, y } = await loadDigits({ perClass: PER_CLASS });
  const n = x.shape[0]!;
  const crop = slice(reshape(x, [n, 1, 28, 28]), null, null, '2:26', '2:26');
  const small = avgPool2d(crop, { kernelSize: 3 });
  return {
    images: Float32Array.from(small.dataSync()),
    labels: Int32Array.from(y.dataSync()),
  };
}

type Params = { w1: NDArray; b1: NDArray; w2: NDArray; b2: NDArray; w3: NDArray; b3: NDArray };

/**
 * The training script: the only backend-specific input is `backend`. conv 3×3 (1 → 8, 'same') → ReLU →
 * max-pool 2 → conv 3×3 (8 → 16, valid) → ReLU → dense 64 → 10, softmax cross-entropy.
 */
async function train(
  backend: Backend,
  data: { images: Float32Array; labels: Int32Array },
): Promise<{ loss: number; liveBuffersAt: Map<number, number> }> {
  const n = data.labels.length;
  const opts = { backend, dtype: 'float32' } as const;
  const rng = new Generator(7);
  let params: Params = scope(() => ({
    w1: mul(rng.normal([8, 1, 3, 3], opts), 1 / 3),
    b1: zeros([1, 8, 1, 1], opts),
    w2: mul(rng.normal([16, 8, 3, 3], opts), 1 / Math.sqrt(72)),
    b2: zeros([1, 16, 1, 1], opts),
    w3: mul(rng.normal([64, 10], opts), 1 / 8),
    b3: zeros([10], opts),
  }));
  const x = fromTypedArray(data.images, [n, 1, 8, 8], { backend });
  const onehot = new Float32Array(n * 10);
  data.labels.forEach((c, i) => {
    onehot[i * 10 + c] = 1;
  });
  const targets = fromTypedArray(onehot, [n, 10], { backend });

  const loss = (p: Params): NDArray => {
    const h1 = maxPool2d(relu(add(conv2d(x, p.w1, { padding: 'same' }), p.b1)), { kernelSize: 2 });
    const h2 = relu(add(conv2d(h1, p.w2), p.b2)); // (n, 16, 2, 2)
    const logits = add(matmul(reshape(h2, [n, 64]), p.w3), p.b3);
    return neg(mean(sum(mul(targets, logSoftmax(logits, { axis: 1 })), { axis: 1 })));
  };

  const opt = new Optimizer(adam({ lr: 0.01 }));
  const liveBuffersAt = new Map<number, number>();
  for (let step = 1; step <= STEPS; step++) {
    const previous = params;
    params = scope(() => opt.step(previous, grad(loss)(previous)));
    // the old parameters belong to this loop: free those the new tree does not reuse
    const kept = new Set(Object.values(params));
    for (const a of Object.values(previous)) if (!kept.has(a)) a.dispose();
    if (step === 10 || step === STEPS) {
      // read every parameter and optimiser slot: a backend that defers work (the GPU fuses elementwise
      // chains lazily, across steps) computes them now, so the count holds only what the loop owns
      for (const a of [...Object.values(params), ...treeLeaves(opt.state!.slots)]) await a.data();
      liveBuffersAt.set(step, memoryStats(backend).device?.liveBuffers ?? -1);
    }
  }
  const final = await scope(async () => (await loss(params).data())[0]!);
  opt.dispose();
  return { loss: final, liveBuffersAt };
}

/**
 * The same network through @sciml/nn's `fitAsync` (each step in a scope inside the loop): full-batch Adam for
 * STEPS steps, the whole run inside one outer `scope` so `memoryStats` counts what the loop holds. At steps
 * 10 and STEPS it records the arrays the open scopes own (both backends) and the GPU's live buffers.
 */
async function trainWithFit(
  backend: Backend,
  data: { images: Float32Array; labels: Int32Array },
): Promise<{
  loss: number;
  scopedAt: Map<number, number>;
  liveBuffersAt: Map<number, number>;
  initial: unknown;
}> {
  const n = data.labels.length;
  const model = new Module(
    sequential(
      conv2dLayer(8, { kernelSize: 3, padding: 'same' }),
      reluLayer,
      maxPool2dLayer({ kernelSize: 2 }),
      conv2dLayer(16, { kernelSize: 3 }),
      reluLayer,
      flatten(),
      linear(10),
    ),
    { inputShape: [1, 8, 8], seed: 7, dtype: 'float32' },
  ).toBackend(backend);
  // fitAsync replaces the model's initial parameters but leaves them to their owner (here: held until the end,
  // so the garbage collector cannot release their buffers between the two counts)
  const initial = model.params;
  const x = fromTypedArray(data.images, [n, 1, 8, 8], { backend });
  const y = fromTypedArray(data.labels, [n], { backend });
  const scopedAt = new Map<number, number>();
  const liveBuffersAt = new Map<number, number>();
  const losses: number[] = [];
  const watch: Callback = {
    onBatchEnd: ({ step, epoch, loss }) => {
      losses.push(loss);
      const at = epoch + step + 1; // one full batch per epoch
      if (at === 10 || at === STEPS) {
        const stats = memoryStats(backend);
        scopedAt.set(at, stats.scopedArrays);
        liveBuffersAt.set(at, stats.device?.liveBuffers ?? -1);
      }
    },
  };
  await scope(() =>
    fitAsync(model, [x, y], {
      optimizer: adam({ lr: 0.01 }),
      loss: crossEntropyWithLogits,
      epochs: STEPS,
      batchSize: n,
      callbacks: [watch],
      verbose: false,
      seed: 3,
    }),
  );
  return { loss: losses.at(-1)!, scopedAt, liveBuffersAt, initial };
}

describeWithGpu(
  'one conv-net training script on the CPU and the GPU',
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());

    it(`200 Adam steps reach the same loss (1e-3 relative) and the GPU does not leak buffers`, async () => {
      const data = await smallDigits();
      const { getBackend } = await import('@sciml/linalg');
      const cpu = await train(getBackend('cpu'), data);
      const onGpu = await train(gpu(), data);
      // training did something: from ln 10 ≈ 2.30 to ≈ 1.4e-3 (CPU and GPU agreed to 5e-6 when written)
      expect(cpu.loss).toBeLessThan(0.05);
      expect(Math.abs(onGpu.loss - cpu.loss) / cpu.loss).toBeLessThanOrEqual(1e-3);
      expect(onGpu.liveBuffersAt.get(STEPS)).toBe(onGpu.liveBuffersAt.get(10));
    }, 600_000);

    it(`through fitAsync: the same loss on both backends, and no array or buffer outlives its step`, async () => {
      const data = await smallDigits();
      const { getBackend } = await import('@sciml/linalg');
      const cpu = await trainWithFit(getBackend('cpu'), data);
      const onGpu = await trainWithFit(gpu(), data);
      expect(cpu.loss).toBeLessThan(0.05);
      expect(Math.abs(onGpu.loss - cpu.loss) / cpu.loss).toBeLessThanOrEqual(1e-3);
      // every step's temporaries and replaced parameters/moments are freed: flat counts from step 10 on
      for (const run of [cpu, onGpu]) {
        expect(run.scopedAt.get(10)).toBeGreaterThan(0);
        expect(run.scopedAt.get(STEPS)).toBe(run.scopedAt.get(10));
      }
      expect(onGpu.liveBuffersAt.get(10)).toBeGreaterThan(0);
      expect(onGpu.liveBuffersAt.get(STEPS)).toBe(onGpu.liveBuffersAt.get(10));
    }, 600_000);
  },
);
