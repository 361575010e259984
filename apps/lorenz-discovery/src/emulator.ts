/**
 * The report's emulator section, free of I/O: a deep ensemble of neural step maps ũᵢ₊₁ = ũᵢ + Δt·N(ũᵢ)
 * trained on the same noisy samples as SINDy, rolled out against the truth and the discovered equations,
 * and an ensemble forecast (every network × perturbed initial states) for the uncertainty band.
 */
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import {
  autoregressiveEmulator,
  emulatorScales,
  ensembleForecast,
  normalizedError,
  oneStepResidualRms,
  trainEmulator,
  validPredictionTime,
} from '@sciml/physics';
import { LYAPUNOV } from './pipeline.js';

/** Settings of the emulator section. */
export interface EmulatorConfig {
  /** Independently initialised networks in the deep ensemble (the first one is "the" emulator). */
  models: number;
  /** L-BFGS iterations per network. */
  iterations: number;
  /** Perturbed initial states per network in the ensemble forecast. */
  members: number;
  /** Lead time over which the ±2σ band's coverage is counted (time units). */
  coverageTime: number;
}

/** The demo's settings: three networks of 150 L-BFGS iterations, 20 members each. */
export const DEFAULT_EMULATOR_CONFIG: EmulatorConfig = {
  models: 3,
  iterations: 150,
  members: 20,
  coverageTime: 1 / LYAPUNOV,
};

/** What the report shows of the emulators. */
export interface EmulatorResult {
  /** Emulator rollout from the test's initial state, (times × 3) row-major, at the test's Δt. */
  rollout: Float64Array;
  /** Normalised errors ‖u − ũ‖/⟨‖u‖²⟩^½ of the SINDy model and of the emulator at each time. */
  sindyError: Float64Array;
  emulatorError: Float64Array;
  /** Valid prediction times (normalised error ≤ 0.4) in Lyapunov times. */
  sindyVpt: number;
  emulatorVpt: number;
  /** Normalised one-step error of the emulator on the test trajectory. */
  oneStepError: number;
  /** Per-variable RMS of the one-step training residual: the size of the initial-state perturbations. */
  perturbation: Float64Array;
  /** Ensemble mean and standard deviation at each time, (times × 3). */
  ensembleMean: Float64Array;
  ensembleStd: Float64Array;
  /** Fraction of (time, variable) points of the truth within mean ± 2·std over `coverageTime`. */
  coverage: number;
}

const matrix = (x: Float64Array) => fromTypedArray(x, [x.length / 3, 3]);

/**
 * Trains the emulators on `noisy` (row-major (m × 3), spaced `dataDt`), subsampled to the test's step
 * `testDt`, and compares them with the truth and the SINDy trajectory on the test's time grid.
 */
export function runEmulators(
  config: EmulatorConfig,
  data: { noisy: Float64Array; dataDt: number },
  test: { truth: Float64Array; discovered: Float64Array; testDt: number },
  seed: number,
): EmulatorResult {
  const stride = Math.round(test.testDt / data.dataDt);
  if (Math.abs(stride * data.dataDt - test.testDt) > 1e-9 * test.testDt)
    throw new Error(
      `the test step ${test.testDt} must be a multiple of the data step ${data.dataDt}`,
    );
  const m = Math.floor(data.noisy.length / 3 / stride);
  const sub = new Float64Array(3 * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < 3; j++) sub[3 * i + j] = data.noisy[3 * i * stride + j]!;
  const trajectory = matrix(sub);
  const dt = test.testDt;
  const scales = emulatorScales(trajectory, { dt, form: 'euler' });
  const models = Array.from({ length: config.models }, (_, k) => {
    const emulator = autoregressiveEmulator(
      sequential(linear(32), tanh, linear(32), tanh, linear(3)),
      { dim: 3, dt, form: 'euler', scales },
    );
    const { params } = trainEmulator(emulator, emulator.init(new Generator(seed + k)), trajectory, {
      method: 'lbfgs',
      epochs: config.iterations,
    });
    return { emulator, params };
  });
  const { emulator, params } = models[0]!;
  // the one-step residual on the training data sizes the initial-state uncertainty
  const perturbation = oneStepResidualRms(emulator, params, trajectory);

  const times = test.truth.length / 3;
  const u0 = test.truth.subarray(0, 3);
  const states = emulator.rollout(params, fromTypedArray(Float64Array.from(u0), [1, 3]), times - 1);
  const rollout = new Float64Array(3 * times);
  states.forEach((u: NDArray, i) => {
    rollout.set(u.dataSync(), 3 * i);
  });
  const truth = matrix(test.truth);
  const sindyError = normalizedError(truth, matrix(test.discovered));
  const emulatorError = normalizedError(truth, matrix(rollout));
  const vpt = (forecast: Float64Array) =>
    validPredictionTime(truth, matrix(forecast), { dt, lyapunovExponent: LYAPUNOV });
  const next = emulator
    .step(params, fromTypedArray(test.truth.slice(0, -3), [times - 1, 3]))
    .dataSync();
  let e = 0;
  let s = 0;
  for (let i = 3; i < test.truth.length; i++) {
    e += (next[i - 3]! - test.truth[i]!) ** 2;
    s += test.truth[i]! ** 2;
  }

  const forecast = ensembleForecast(
    models.map((mdl) => (u: NDArray) => mdl.emulator.step(mdl.params, u)),
    u0,
    { steps: times - 1, members: config.members, perturbation, rng: new Generator(seed) },
  );
  const ensembleMean = Float64Array.from(forecast.mean.dataSync());
  const ensembleStd = Float64Array.from(forecast.std.dataSync());
  const horizon = Math.min(times, Math.round(config.coverageTime / dt) + 1);
  let inside = 0;
  for (let i = 0; i < 3 * horizon; i++)
    if (Math.abs(test.truth[i]! - ensembleMean[i]!) <= 2 * ensembleStd[i]!) inside++;
  return {
    rollout,
    sindyError,
    emulatorError,
    sindyVpt: vpt(test.discovered),
    emulatorVpt: vpt(rollout),
    oneStepError: Math.sqrt(e / s),
    perturbation,
    ensembleMean,
    ensembleStd,
    coverage: inside / (3 * horizon),
  };
}
