import { twoMoons } from '@sciml/data';
import { ValueError } from '@sciml/linalg';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { batchNorm } from '../layers/batch-norm.js';
import { dropout } from '../layers/dropout.js';
import { linear } from '../layers/linear.js';
import { type LayerLike, sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { type FitOptions, fit } from './fit.js';

const data = twoMoons({ n: 200, noise: 0.1, seed: 4 });

/** Trains a fresh float64 model (same init, same seed) and returns its epoch losses and final tensors. */
function train(layers: LayerLike[], jit: FitOptions['jit']) {
  const model = new Module(sequential(...layers), { inputShape: [2], seed: 7 });
  const history = fit(model, [data.x, data.y], {
    optimizer: adam({ lr: 0.01 }),
    loss: crossEntropyWithLogits,
    epochs: 3,
    batchSize: 64, // 200 rows: a short last batch, so the compiled step is traced for two shapes
    seed: 11,
    verbose: false,
    jit,
  });
  const tensors = [...model.stateDict().entries()].map(
    ([name, a]) => [name, Array.from(a.dataSync())] as const,
  );
  return { losses: history.epochs.map((e) => e.loss), tensors };
}

function expectClose(a: readonly number[], b: readonly number[], rel: number): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(...b.map(Math.abs), 1e-300);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  expect(worst / scale).toBeLessThan(rel);
}

describe('fit with a compiled step (jit)', () => {
  it('gives the eager losses and parameters (float64, to 1e-12)', () => {
    const layers = () => [linear(16), relu, linear(16), relu, linear(2)];
    const compiled = train(layers(), true);
    const eager = train(layers(), false);
    expectClose(compiled.losses, eager.losses, 1e-12);
    for (const [k, [name, values]] of compiled.tensors.entries()) {
      expect(name).toBe(eager.tensors[k]![0]);
      expectClose(values, eager.tensors[k]![1], 1e-12);
    }
  });

  it('carries batch-norm running statistics from step to step as the eager loop does', () => {
    const layers = () => [linear(8), batchNorm(), relu, linear(2)];
    const compiled = train(layers(), true);
    const eager = train(layers(), false);
    const stats = compiled.tensors.filter(([n]) => /running_(mean|var)/.test(n));
    expect(stats.length).toBe(2);
    for (const [name, values] of stats) {
      const other = eager.tensors.find(([n]) => n === name)!;
      expectClose(values, other[1], 1e-12);
      // the statistics moved away from their initial zeros/ones: a state frozen at trace time would not
      expect(values.some((v) => Math.abs(v) > 1e-3 && Math.abs(v - 1) > 1e-3)).toBe(true);
    }
  });

  it("runs a model with dropout op by op under 'auto', and refuses it under jit: true", () => {
    const layers = () => [linear(16), relu, dropout(0.2), linear(2)];
    const auto = train(layers(), 'auto');
    const eager = train(layers(), false);
    // the same random stream and op order: bitwise the eager run
    expect(auto.losses).toEqual(eager.losses);
    expect(() => train(layers(), true)).toThrow(ValueError);
    expect(() => train(layers(), true)).toThrow(/fit.*dropout.*jit: 'auto' or false/);
  });

  it('fit called again on the same model and loss reuses the compiled step (no new trace), with the same numbers', () => {
    let traced = 0;
    // a compiled step calls the loss only while tracing; its program runs without it
    const countingLoss: FitOptions['loss'] = (pred, target) => {
      traced++;
      return crossEntropyWithLogits(pred, target);
    };
    const model = new Module(sequential(linear(8), relu, linear(2)), { inputShape: [2], seed: 3 });
    const oneEpoch = () =>
      fit(model, [data.x, data.y], {
        optimizer: adam({ lr: 0.01 }),
        loss: countingLoss,
        batchSize: 50, // 200 rows: one batch shape
        seed: 5,
        verbose: false,
        jit: true,
      }).epochs[0]!.loss;
    const losses = [oneEpoch(), oneEpoch(), oneEpoch()];
    expect(traced).toBe(1);
    // the same epochs as eager one-epoch calls from the same start
    let eagerCalls = 0;
    const eagerModel = new Module(sequential(linear(8), relu, linear(2)), {
      inputShape: [2],
      seed: 3,
    });
    const eagerEpoch = () =>
      fit(eagerModel, [data.x, data.y], {
        optimizer: adam({ lr: 0.01 }),
        loss: (p, t) => {
          eagerCalls++;
          return crossEntropyWithLogits(p, t);
        },
        batchSize: 50,
        seed: 5,
        verbose: false,
        jit: false,
      }).epochs[0]!.loss;
    expectClose(losses, [eagerEpoch(), eagerEpoch(), eagerEpoch()], 1e-12);
    expect(eagerCalls).toBe(12);
    // another loss function is another program
    fit(model, [data.x, data.y], {
      optimizer: adam({ lr: 0.01 }),
      loss: (p, t) => {
        traced++;
        return crossEntropyWithLogits(p, t);
      },
      batchSize: 50,
      verbose: false,
      jit: true,
    });
    expect(traced).toBe(2);
  });
});
