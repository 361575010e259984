import { treeMap } from '@sciml/autodiff';
import { Generator, type NDArray, fromTypedArray, fullLike, mean, square } from '@sciml/linalg';
import type { GradientOptimizer } from '@sciml/optim';
import { adam } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { ddpmLoss, trainDdpm } from './ddpm.js';
import { residualMlpDenoiser } from './residual-denoiser.js';
import { cosineSchedule } from './schedules.js';

describe('residualMlpDenoiser', () => {
  it('maps [n, d] and n timesteps to [n, d], starts at ε_θ = 0 (loss E‖ε‖²/d = 1), keeps float32', () => {
    const rng = new Generator(0);
    const net = residualMlpDenoiser({
      dim: 3,
      width: 16,
      blocks: 2,
      embeddingDim: 8,
      dtype: 'float32',
    });
    const params = net.init(rng);
    expect(params.blocks.length).toBe(2);
    const x = rng.normal([5, 3], { dtype: 'float32' });
    const eps = net.apply(params, x, [1, 2, 3, 4, 5]);
    expect(eps.shape).toEqual([5, 3]);
    expect(eps.dtype).toBe('float32');
    expect(mean(square(eps)).item()).toBe(0);
    const schedule = cosineSchedule({ timesteps: 100 });
    const loss = ddpmLoss(net, params, rng.normal([4000, 3], { dtype: 'float32' }), {
      schedule,
      rng,
    });
    expect(Math.abs(loss.item() - 1)).toBeLessThan(0.05);
    expect(() => net.apply(params, x, [1, 2])).toThrow(/^residualMlpDenoiser: .*\[n, 3\]/);
    expect(() => residualMlpDenoiser({ dim: 2, blocks: 0 })).toThrow(/residualMlpDenoiser.*blocks/);
    expect(() => residualMlpDenoiser({ dim: 2, embeddingDim: 5 })).toThrow(/embeddingDim/);
  });

  it('learns: trainDdpm lowers the ε-loss of a two-point law well below the zero predictor’s 1', () => {
    const rng = new Generator(1);
    const net = residualMlpDenoiser({
      dim: 2,
      width: 32,
      blocks: 2,
      embeddingDim: 8,
      maxPeriod: 200,
    });
    // half the points at (1, 1), half at (−1, −1)
    const data = fromTypedArray(
      Float64Array.from({ length: 400 }, (_, j) => (Math.floor(j / 2) % 2 ? 1 : -1)),
      [200, 2],
    );
    const schedule = cosineSchedule({ timesteps: 100 });
    const losses: number[] = [];
    trainDdpm(net, data, {
      schedule,
      rng,
      steps: 300,
      batchSize: 64,
      optimizer: adam({ lr: 3e-3 }),
      onStep: (_, l) => {
        losses.push(l);
        return undefined;
      },
    });
    const avg = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    expect(avg(losses.slice(0, 20))).toBeGreaterThan(0.6);
    expect(avg(losses.slice(-50))).toBeLessThan(0.45);
  });
});

describe('trainDdpm with ema', () => {
  it('returns θ̄ of the recursion θ̄ ← d θ̄ + (1 − d) θ, d = min(decay, (1 + s)/(10 + s))', () => {
    // an "optimiser" that sets every parameter to the step count: θ after step s is s + 1
    const counter: GradientOptimizer = {
      name: 'counter',
      init: () => ({ step: 0, slots: {} }),
      update: (params, _g, state) => ({
        params: treeMap((p: NDArray) => fullLike(p, state.step + 1), params),
        state: { step: state.step + 1, slots: {} },
      }),
    };
    const rng = new Generator(2);
    const net = residualMlpDenoiser({ dim: 1, width: 4, blocks: 1, embeddingDim: 2 });
    const init = treeMap((p: NDArray) => fullLike(p, 0), net.init(rng));
    const decay = 0.9;
    const steps = 30;
    const got = trainDdpm(net, rng.normal([10, 1]), {
      schedule: cosineSchedule({ timesteps: 10 }),
      rng,
      steps,
      batchSize: 4,
      optimizer: counter,
      init,
      ema: decay,
    });
    let expected = 0;
    for (let s = 0; s < steps; s++) {
      const d = Math.min(decay, (1 + s) / (10 + s));
      expected = d * expected + (1 - d) * (s + 1);
    }
    expect(got.input.weight.dataSync()[0]).toBeCloseTo(expected, 12);
    const last = trainDdpm(net, rng.normal([10, 1]), {
      schedule: cosineSchedule({ timesteps: 10 }),
      rng,
      steps,
      batchSize: 4,
      optimizer: counter,
      init,
    });
    expect(last.output.weight.dataSync()[0]).toBe(steps);
    expect(() =>
      trainDdpm(net, rng.normal([10, 1]), {
        schedule: cosineSchedule({ timesteps: 10 }),
        rng,
        ema: 1,
      }),
    ).toThrow(/^trainDdpm: ema must be a decay in \[0, 1\)/);
  });
});
