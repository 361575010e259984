import { Generator, fromTypedArray } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { solveIVP } from '../integrate/index.js';
import { fitCorrectionOffline, hybridEmulator } from './hybrid.js';
import { TwoScaleLorenz96, lorenz96Tendency } from '../systems/lorenz96-two-scale.js';
import { trainEmulator } from './train.js';

// Wilks (2005): K = 8, J = 32, F = 20, h = 1, b = c = 10. Truth: the two-scale model; forecast model: the
// one-scale Lorenz-96 with F = 20, uncorrected or plus a learned local coupling parameterisation U(Xₖ).
const sys = new TwoScaleLorenz96();
const K = 8;
const dt = 0.005;

/** Samples of the truth every dt after a spin-up: slow states X (m × K), full states, coupling terms. */
function truthRun(y0: Float64Array, spinUp: number, samples: number) {
  const warm = solveIVP(sys.rhs, [0, spinUp], y0, { rtol: 1e-7, atol: 1e-9, tEval: [spinUp] });
  const start = Float64Array.from({ length: sys.dim }, (_, i) => warm.y.get(i, 0));
  const t = Float64Array.from({ length: samples }, (_, j) => j * dt);
  const sol = solveIVP(sys.rhs, [0, t[samples - 1]!], start, { rtol: 1e-7, atol: 1e-9, tEval: t });
  const y = sol.y.dataSync();
  const X = new Float64Array(samples * K);
  const C = new Float64Array(samples * K);
  const full = new Float64Array(sys.dim);
  for (let j = 0; j < samples; j++) {
    for (let i = 0; i < sys.dim; i++) full[i] = y[i * samples + j]!;
    X.set(full.subarray(0, K), j * K);
    C.set(sys.couplingTerm(full), j * K);
  }
  return { X: fromTypedArray(X, [samples, K]), C: fromTypedArray(C, [samples, K]) };
}

describe('hybrid Lorenz-96: one-scale model + learned coupling', () => {
  let train: ReturnType<typeof truthRun>;
  let test: ReturnType<typeof truthRun>;
  beforeAll(() => {
    train = truthRun(sys.initialState(), 5, 2001); // 10 time units
    const rng = new Generator(2);
    test = truthRun(
      Float64Array.from(sys.initialState(), (v) => v + 0.5 * rng.nextNormal()),
      5,
      4001,
    );
  });

  it('cuts the 1-time-unit forecast RMSE by ≥ 2× offline, and online training through the solver keeps it', () => {
    const physics = lorenz96Tendency(20);
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const hybrid = hybridEmulator(physics, net, {
      dim: K,
      dt,
      local: true,
      inputScale: 10,
      outputScale: 10,
    });
    const uncorrected = hybridEmulator(physics, linear(1), { dim: K, dt, local: true });
    const zero = {
      weight: fromTypedArray(new Float64Array(1), [1, 1]),
      bias: fromTypedArray(new Float64Array(1), [1]),
    };
    const offline = fitCorrectionOffline(hybrid, hybrid.init(new Generator(0)), train.X, train.C, {
      maxIter: 150,
    });
    // 20 forecasts of 1 time unit (200 steps) from truth states 1 time unit apart
    const starts = Array.from({ length: 20 }, (_, i) => i * 200);
    const x = test.X.dataSync();
    const u0 = fromTypedArray(
      Float64Array.from(starts.flatMap((s) => Array.from(x.subarray(s * K, (s + 1) * K)))),
      [20, K],
    );
    const rmse = (final: Float64Array) => {
      let s = 0;
      starts.forEach((st, b) => {
        for (let k = 0; k < K; k++) s += (final[b * K + k]! - x[(st + 200) * K + k]!) ** 2;
      });
      return Math.sqrt(s / (20 * K));
    };
    const rUncorrected = rmse(
      uncorrected.rollout(zero, u0, 200).at(-1)!.dataSync() as Float64Array,
    );
    const rOffline = rmse(
      hybrid.rollout(offline.params, u0, 200).at(-1)!.dataSync() as Float64Array,
    );
    // online: fine-tune the offline correction through 10 RK4 steps of the hybrid model (0.05 time units)
    const online = trainEmulator(hybrid, offline.params, train.X, {
      rolloutSteps: 10,
      stride: 10,
      method: 'lbfgs',
      epochs: 20,
    });
    const rOnline = rmse(hybrid.rollout(online.params, u0, 200).at(-1)!.dataSync() as Float64Array);
    console.log(
      `L96 1-tu RMSE: uncorrected ${rUncorrected.toFixed(3)}, offline ${rOffline.toFixed(3)}, online ${rOnline.toFixed(3)}`,
    );
    expect(rUncorrected / rOffline).toBeGreaterThanOrEqual(2);
    expect(rUncorrected / rOnline).toBeGreaterThanOrEqual(2);
    expect(online.history.at(-1)!).toBeLessThanOrEqual(online.history[0]!);
  });
});
