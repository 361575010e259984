import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../systems/index.js';
import { autoregressiveEmulator, emulatorScales } from './emulator.js';
import { ensembleForecast, oneStepResidualRms } from './probabilistic.js';
import { trainEmulator } from './train.js';

// Calibration of ensemble forecasts of Lorenz-63 (Δt = 0.01) from emulators trained on 2000 samples observed
// with noise σ = 0.2: the fraction of (time, variable) points of the truth inside mean ± 2·std over one
// Lyapunov time (110 steps), pooled over 20 forecasts started along a test trajectory. Nominal: 95 %.
const dt = 0.01;
const sigma = 0.2;
const horizon = 110;
const starts = 20;

describe('calibrated ensemble forecasts of Lorenz-63', () => {
  it('a deep ensemble with residual-sized perturbations covers the truth near the nominal 95 %', () => {
    const clean = sampleTrajectory(new Lorenz63(), { dt, samples: 2001, transient: 5 });
    const noise = new Generator(8);
    const data = fromTypedArray(
      Float64Array.from(clean.x.dataSync(), (v) => v + sigma * noise.nextNormal()),
      [2001, 3],
    );
    const scales = emulatorScales(data, { dt, form: 'euler' });
    const models = Array.from({ length: 8 }, (_, k) => {
      const emu = autoregressiveEmulator(
        sequential(linear(32), tanh, linear(32), tanh, linear(3)),
        { dim: 3, dt, form: 'euler', scales },
      );
      const { params } = trainEmulator(emu, emu.init(new Generator(10 + k)), data, {
        method: 'lbfgs',
        epochs: 150,
      });
      return { emu, params, map: (u: NDArray) => emu.step(params, u) };
    });
    // the one-step training residual (noise of both states plus model error), ≈ 0.26–0.28 per variable
    const residual = oneStepResidualRms(models[0]!.emu, models[0]!.params, data);
    const test = sampleTrajectory(new Lorenz63(), {
      dt,
      samples: 60 * starts + horizon + 1,
      transient: 40,
      y0: [3, -2, 20],
    });
    const t = test.x.dataSync();
    const observe = new Generator(21);
    const coverage = (
      maps: ((u: NDArray) => NDArray)[],
      perturbation: number | ArrayLike<number>,
      noisyStart: boolean,
    ) => {
      let inside = 0;
      for (let s = 0; s < starts; s++) {
        const k0 = 60 * s;
        const u0 = [0, 1, 2].map(
          (j) => t[3 * k0 + j]! + (noisyStart ? sigma * observe.nextNormal() : 0),
        );
        const f = ensembleForecast(maps, u0, {
          steps: horizon,
          members: Math.round(48 / maps.length),
          perturbation,
          rng: new Generator(100 + s),
        });
        const mu = f.mean.dataSync();
        const sd = f.std.dataSync();
        for (let e = 0; e < 3 * (horizon + 1); e++)
          if (Math.abs(t[3 * k0 + e]! - mu[e]!) <= 2 * sd[e]!) inside++;
      }
      return inside / (starts * 3 * (horizon + 1));
    };
    // one network, perturbations of the known noise level, from the exact initial states
    const maps = models.map((m) => m.map);
    const single = coverage(maps.slice(0, 1), sigma, false);
    // eight independently initialised networks, perturbations sized by the training residual, from
    // initial states observed with the same noise as the data
    const deep = coverage(maps, residual, true);
    console.log(
      `ensemble ±2σ coverage over one Lyapunov time: one emulator + σ perturbations ${(100 * single).toFixed(1)} %, deep ensemble of 8 + residual-sized perturbations ${(100 * deep).toFixed(1)} % (residual RMS ${Array.from(residual, (v) => v.toFixed(3)).join(', ')})`,
    );
    // measured: 40.4 % (one emulator) vs 88.5 % (deep ensemble); in a scan with other observation draws,
    // 92.9 % with 8 networks and 80.8 % with 5. The single emulator's band holds only the initial spread and
    // misses its own model error; the spread of the networks carries it. Still slightly under-dispersed:
    // coverage falls with lead time (≈ 100 % at 10 steps, ≈ 88 % at 110 in the scan).
    expect(single).toBeLessThan(0.6);
    expect(deep).toBeGreaterThan(0.85);
    expect(deep).toBeLessThan(0.99);
  });
});
