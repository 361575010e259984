// fitAsync: the training loop of fit with asynchronous reads. On the CPU, and on a CPU backend without
// synchronous reads (a stand-in for a GPU: same float64 arithmetic), it must reproduce fit exactly; the
// lavapipe run against the CPU is @sciml/gpu's fit-async.test.ts.
import {
  type Backend,
  BackendError,
  Generator,
  cpuBackend,
  fromTypedArray,
  registerBackend,
  unregisterBackend,
} from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { dropout } from '../layers/dropout.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import type { Callback } from './callbacks.js';
import { evaluate, evaluateAsync, fit, fitAsync } from './fit.js';
import { accuracyMetric } from './metrics.js';

const asyncHost: Backend = { ...cpuBackend, name: 'async-host-fit', downloadSync: undefined };
beforeAll(() => registerBackend(asyncHost));
afterAll(() => unregisterBackend(asyncHost.name));

/** Three Gaussian blobs in 4-D (class c shifted by 2 along axis c): x (n, 4) float64, labels (n) int32. */
function blobs(n: number) {
  const rng = new Generator(9);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float64Array.from(rng.normal([n, 4]).dataSync(), (v, k) =>
    labels[Math.floor(k / 4)] === k % 4 ? v + 2 : v,
  );
  return { x, labels };
}

describe('fitAsync', () => {
  const { x: xData, labels } = blobs(96);
  const make = (backend: Backend | string) => {
    const model = new Module(sequential(linear(12), relu, dropout(0.25), linear(3)), {
      inputShape: [4],
      seed: 2,
    }).toBackend(backend);
    const x = fromTypedArray(xData, [96, 4], { backend });
    const y = fromTypedArray(labels, [96], { backend });
    return { model, x, y };
  };
  const options = () => {
    const losses: number[] = [];
    const record: Callback = { onBatchEnd: ({ loss }) => losses.push(loss) };
    return {
      losses,
      opts: {
        optimizer: adam({ lr: 0.02 }),
        loss: crossEntropyWithLogits,
        epochs: 3,
        batchSize: 16,
        metrics: [accuracyMetric],
        callbacks: [record],
        verbose: false,
        seed: 4,
      },
    };
  };

  it('reproduces fit exactly, on the CPU and on a backend read only asynchronously', async () => {
    const ref = make('cpu');
    const want = options();
    const history = fit(ref.model, [ref.x, ref.y], {
      ...want.opts,
      validationData: [ref.x, ref.y],
    });
    expect(want.losses).toHaveLength(18);
    for (const backend of ['cpu', asyncHost] as const) {
      const run = make(backend);
      const got = options();
      const h = await fitAsync(run.model, [run.x, run.y], {
        ...got.opts,
        validationData: [run.x, run.y],
        logEvery: 4,
      });
      expect(got.losses).toEqual(want.losses);
      expect(h.epochs).toEqual(history.epochs);
      const ev = await evaluateAsync(run.model, [run.x, run.y], {
        loss: crossEntropyWithLogits,
        metrics: [accuracyMetric],
      });
      expect(ev).toEqual(
        evaluate(ref.model, [ref.x, ref.y], {
          loss: crossEntropyWithLogits,
          metrics: [accuracyMetric],
        }),
      );
    }
    // the run learned: the last epoch's loss is well below the first's
    expect(history.epochs[2]!.loss).toBeLessThan(0.8 * history.epochs[0]!.loss);
  });

  it('fit on a backend without synchronous reads points to fitAsync', () => {
    const run = make(asyncHost);
    expect(() => fit(run.model, [run.x, run.y], options().opts)).toThrow(BackendError);
    expect(() => fit(run.model, [run.x, run.y], options().opts)).toThrow(/fitAsync/);
  });

  it('refuses a logEvery that is not a positive integer', async () => {
    const run = make('cpu');
    await expect(
      fitAsync(run.model, [run.x, run.y], { ...options().opts, logEvery: 0 }),
    ).rejects.toThrow(/logEvery/);
  });
});
