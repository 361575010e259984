import type { PyTree } from '@sciml/autodiff';
import { Generator, type NDArray, fromTypedArray, slice } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../systems/index.js';
import { type Emulator, autoregressiveEmulator, emulatorScales } from './emulator.js';
import { validPredictionTime } from './metrics.js';
import { trainEmulator } from './train.js';

// Offline (one-step, teacher-forced) vs online (10-step unrolled rollout loss) training of the same
// Euler-residual emulator of Lorenz-63 (Δt = 0.01, 2000 samples observed with noise σ = 0.3), both by 200
// L-BFGS iterations from the same initial parameters, scored against the noise-free truth.
const LAMBDA = 0.906;
const dt = 0.01;
const horizon = 331; // 3 Lyapunov times
const starts = Array.from({ length: 10 }, (_, i) => 50 * i);

describe('online vs offline training of a Lorenz-63 emulator', () => {
  it('the rollout loss beats the one-step loss on noisy data: one-step error and VPT', () => {
    const clean = sampleTrajectory(new Lorenz63(), { dt, samples: 2001, transient: 5 });
    const noise = new Generator(3);
    const data = fromTypedArray(
      Float64Array.from(clean.x.dataSync(), (v) => v + 0.3 * noise.nextNormal()),
      [2001, 3],
    );
    const test = sampleTrajectory(new Lorenz63(), {
      dt,
      samples: 500 + horizon + 1,
      transient: 50,
      y0: [1, 2, 3],
    });
    const t = test.x.dataSync();
    const score = <P extends PyTree>(emu: Emulator<P>, params: P) => {
      const next = emu.step(params, slice(test.x, { start: 0, stop: 500 })).dataSync();
      let e = 0;
      let s = 0;
      for (let i = 0; i < next.length; i++) {
        e += (next[i]! - t[i + 3]!) ** 2;
        s += t[i + 3]! ** 2;
      }
      // valid prediction time averaged over 10 starts along the test trajectory
      const u0 = fromTypedArray(
        Float64Array.from(starts.flatMap((k) => [...t.subarray(3 * k, 3 * k + 3)])),
        [10, 3],
      );
      const states = emu.rollout(params, u0, horizon).map((u: NDArray) => u.dataSync());
      let vpt = 0;
      starts.forEach((k, b) => {
        const pred = fromTypedArray(
          Float64Array.from(states.flatMap((u) => [...u.subarray(3 * b, 3 * b + 3)])),
          [horizon + 1, 3],
        );
        const truth = slice(test.x, { start: k, stop: k + horizon + 1 });
        vpt += validPredictionTime(truth, pred, { dt, lyapunovExponent: LAMBDA }) / starts.length;
      });
      return { oneStep: Math.sqrt(e / s), vpt };
    };
    const emu = autoregressiveEmulator(sequential(linear(32), tanh, linear(32), tanh, linear(3)), {
      dim: 3,
      dt,
      form: 'euler',
      scales: emulatorScales(data, { dt, form: 'euler' }),
    });
    const init = emu.init(new Generator(1));
    const offline = trainEmulator(emu, init, data, { method: 'lbfgs', epochs: 200 });
    const online = trainEmulator(emu, init, data, {
      method: 'lbfgs',
      epochs: 200,
      rolloutSteps: 10,
      stride: 4,
    });
    const off = score(emu, offline.params);
    const on = score(emu, online.params);
    console.log(
      `Lorenz-63, noisy data: offline one-step error ${off.oneStep.toExponential(2)}, VPT ${off.vpt.toFixed(2)}; online (K = 10) one-step error ${on.oneStep.toExponential(2)}, VPT ${on.vpt.toFixed(2)} Lyapunov times`,
    );
    // measured (seed 1): offline 4.40e-3, VPT 1.63; online 1.39e-3, VPT 1.97 (seed 2: 4.66e-3, 1.56 vs
    // 1.45e-3, 2.31). The one-step fit regresses on noisy inputs and learns part of the noise; unrolling
    // averages it out. On noise-free data the two tie (offline VPT 2.42, online 2.42 for seed 1).
    expect(on.oneStep).toBeLessThan(0.5 * off.oneStep);
    expect(on.vpt).toBeGreaterThan(1.1 * off.vpt);
  });
});
