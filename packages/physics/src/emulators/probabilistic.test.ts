import {
  Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  fromTypedArray,
  zeros,
} from '@sciml/linalg';
import { linear } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import {
  ensembleForecast,
  gaussianEmulator,
  gaussianNll,
  oneStepResidualRms,
} from './probabilistic.js';

describe('probabilistic forecasts', () => {
  it('gaussianNll is the Gaussian negative log-likelihood', () => {
    const mu = fromTypedArray(Float64Array.of(0, 1), [1, 2]);
    const lv = fromTypedArray(Float64Array.of(0, Math.log(4)), [1, 2]);
    const y = fromTypedArray(Float64Array.of(1, 3), [1, 2]);
    // ½[(0 + 1 + log 2π) + (log 4 + 4/4 + log 2π)] / 2
    const ref = 0.5 * ((1 + Math.log(2 * Math.PI) + Math.log(4) + 1 + Math.log(2 * Math.PI)) / 2);
    expect(gaussianNll(mu, lv, y).item()).toBeCloseTo(ref, 12);
  });

  it('a Gaussian emulator predicts u + Δt·N_μ with variance e^{s}(outputScale·Δt)², and samples it', () => {
    const emu = gaussianEmulator(linear(4), {
      dim: 2,
      dt: 0.1,
      scales: { inputMean: [0, 0], inputScale: [1, 1], outputMean: [1, 0], outputScale: [2, 2] },
    });
    const params = {
      weight: zeros([4, 2]),
      bias: fromTypedArray(Float64Array.of(0.5, 0, 0, 0), [4]),
    };
    const u = fromTypedArray(Float64Array.of(3, 4), [1, 2]);
    const p = emu.predict(params, u);
    expect(Array.from(p.mean.dataSync())).toEqual(
      [3 + 0.1 * (1 + 2 * 0.5), 4].map((v) => expect.closeTo(v, 12)),
    );
    expect(p.logVariance.dataSync()[0]).toBeCloseTo(2 * Math.log(0.2), 12);
    // sampled steps have the predicted spread: variance 0.04 per variable
    const rng = new Generator(1);
    const many = fromTypedArray(new Float64Array(4000).fill(3), [2000, 2]);
    const draws = emu.sample(params, many, rng).dataSync();
    let s = 0;
    for (let i = 0; i < 2000; i++) s += (draws[2 * i + 1]! - 3) ** 2;
    expect(s / 2000).toBeCloseTo(0.04, 2);
    expect(emu.loss(params, u, p.mean).item()).toBeCloseTo(
      0.5 * (2 * Math.log(0.2) + Math.log(2 * Math.PI)),
      12,
    );
  });

  it('ensembles: perturbed initial conditions give the perturbation as spread; several maps are averaged', () => {
    const rng = new Generator(4);
    const id = (u: ReturnType<typeof zeros>) => u;
    const f = ensembleForecast(id, [1, 2], {
      steps: 3,
      members: 4000,
      perturbation: [0.5, 0.1],
      rng,
    });
    expect(f.mean.shape).toEqual([4, 2]);
    expect(f.members).toHaveLength(4);
    const sd = f.std.dataSync();
    expect(sd[6]).toBeCloseTo(0.5, 1);
    expect(sd[7]).toBeCloseTo(0.1, 2);
    const double = (u: ReturnType<typeof zeros>) =>
      fromTypedArray(
        Float64Array.from(u.dataSync(), (v) => 2 * v),
        u.shape as number[],
      );
    const two = ensembleForecast([id, double], [1, 1], { steps: 2, members: 3 });
    // after two steps: members 1 (identity) and 4 (doubling): mean 2.5, sample std √(6·2.25/5)
    expect(two.mean.dataSync()[4]).toBeCloseTo(2.5, 12);
    expect(two.std.dataSync()[4]).toBeCloseTo(Math.sqrt((6 * 2.25) / 5), 12);
    expect(() => ensembleForecast(id, [1], { steps: 1, perturbation: 1 })).toThrow(ValueError);
    expect(() => ensembleForecast([], [1], { steps: 1 })).toThrow(ValueError);
  });

  it('oneStepResidualRms is the per-variable RMS of M(uᵢ) − uᵢ₊₁', () => {
    // trajectory uᵢ = (i, 2i, i²), step map M(u) = u + 1: residuals (0, −1, i² + 1 − (i + 1)² = −2i)
    const m = 6;
    const traj = fromTypedArray(
      Float64Array.from({ length: 3 * m }, (_, e) => {
        const i = Math.floor(e / 3);
        return [i, 2 * i, i * i][e % 3]!;
      }),
      [m, 3],
    );
    const shift = { dim: 3, step: (_p: object, u: NDArray) => add(u, 1) };
    const rms = oneStepResidualRms(shift, {}, traj);
    // RMS of −2i over i = 0…4: √(4·(0 + 1 + 4 + 9 + 16)/5) = √24
    expect(Array.from(rms)).toEqual([0, 1, Math.sqrt(24)].map((v) => expect.closeTo(v, 12)));
    expect(() => oneStepResidualRms(shift, {}, zeros([1, 3]))).toThrow(ShapeError);
    expect(() => oneStepResidualRms(shift, {}, zeros([4, 2]))).toThrow(ShapeError);
    const nan = { dim: 3, step: (_p: object, u: NDArray) => add(u, Number.NaN) };
    expect(() => oneStepResidualRms(nan, {}, traj)).toThrow(ValueError);
  });
});
