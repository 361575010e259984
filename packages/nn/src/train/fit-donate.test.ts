/**
 * `fit` with buffer donation (its default): each compiled step's optimiser update writes the new parameters and
 * moments into the memory of the ones they replace. The run must be the undonated run bit for bit, and
 * nothing the caller or a callback can still see may change: the initial parameters, early stopping's best
 * weights, a view of the parameters.
 */
import { twoMoons } from '@sciml/data';
import { type NDArray, reshape } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { type PyTree, treeLeaves } from '@sciml/autodiff';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { batchNorm } from '../layers/batch-norm.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { type Callback, earlyStopping } from './callbacks.js';
import { type FitOptions, fit } from './fit.js';

const data = twoMoons({ n: 200, noise: 0.1, seed: 4 });
const valid = twoMoons({ n: 60, noise: 0.1, seed: 5 });

const model = () =>
  new Module(sequential(linear(16), batchNorm(), relu, linear(16), relu, linear(2)), {
    inputShape: [2],
    seed: 7,
  });

/** Trains a fresh float64 model (same init, same seed); returns the losses and every tensor's values. */
function train(options: Partial<FitOptions>, m = model()) {
  const history = fit(m, [data.x, data.y], {
    optimizer: adam({ lr: 0.01 }),
    loss: crossEntropyWithLogits,
    epochs: 3,
    batchSize: 64, // a short last batch: two compiled shapes
    seed: 11,
    verbose: false,
    ...options,
  });
  const tensors = [...m.stateDict().entries()].map(
    ([name, a]) => [name, ([a.toNested()] as unknown[]).flat(2) as number[]] as const,
  );
  return { losses: history.epochs.map((e) => e.loss), tensors, history };
}

/** A callback recording the storage of the parameters at every epoch's end. */
function storages(): Callback & { seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    seen,
    onEpochEnd: (_e, _l, control) => {
      for (const a of treeLeaves(control.params)) seen.push(a.handle);
    },
  };
}

describe('fit with buffer donation', () => {
  it('equals the undonated run bit for bit (float64, batch norm, Adam) while reusing the memory', () => {
    const donated = storages();
    const kept = storages();
    const on = train({ jit: true, donate: true, callbacks: [donated] });
    const off = train({ jit: true, donate: false, callbacks: [kept] });
    expect(on.losses).toEqual(off.losses);
    expect(on.tensors).toEqual(off.tensors);
    const stats = on.tensors.filter(([n]) => /running_(mean|var)/.test(n));
    expect(stats.length).toBe(2);
    // with donation the steps cycle through the same memory (without it, the parameters fit disposes come back
    // through the CPU storage pool too, so neither run needs fresh memory for every epoch)
    expect(new Set(donated.seen).size).toBeLessThan(donated.seen.length);
    expect(new Set(donated.seen).size).toBeLessThanOrEqual(new Set(kept.seen).size);
    // and the eager loop agrees to rounding (fusion may reorder a float64 sum)
    const eager = train({ jit: false });
    const worst = Math.max(...on.losses.map((l, i) => Math.abs(l - eager.losses[i]!)));
    expect(worst).toBeLessThan(1e-12);
  });

  it('restores early stopping’s best weights exactly, and leaves the initial parameters untouched', () => {
    // mode 'max' on a falling loss: the first epoch is the best, so its copy must outlive later donations
    const run = (donate: boolean) => {
      const m = model();
      const initial = treeLeaves(m.params as PyTree).map((a) => a.toNested());
      const initialArrays = treeLeaves(m.params as PyTree);
      const stopper = earlyStopping({ monitor: 'val_loss', mode: 'max', patience: 1 });
      const out = train(
        { jit: true, donate, epochs: 4, validationData: [valid.x, valid.y], callbacks: [stopper] },
        m,
      );
      expect(stopper.bestEpoch).toBe(0);
      expect(initialArrays.every((a) => !a.isDisposed)).toBe(true);
      expect(initialArrays.map((a) => a.toNested())).toEqual(initial);
      return out;
    };
    const on = run(true);
    const off = run(false);
    expect(on.tensors).toEqual(off.tensors);
    expect(on.history.stopped).toBe(true);
  });

  it('never writes into parameters a callback still sees through a reshape view', () => {
    const views: { view: NDArray; values: unknown }[] = [];
    const viewer: Callback = {
      onEpochEnd: (_e, _l, control) => {
        for (const a of treeLeaves(control.params)) {
          const view = reshape(a, [1, a.size]); // a new array sharing the storage
          views.push({ view, values: view.toNested() });
        }
      },
    };
    const on = train({ jit: true, donate: true, callbacks: [viewer] });
    const off = train({ jit: true, donate: false });
    expect(on.tensors).toEqual(off.tensors);
    expect(views.length).toBeGreaterThan(0);
    for (const { view, values } of views) expect(view.toNested()).toEqual(values);
  });
});
