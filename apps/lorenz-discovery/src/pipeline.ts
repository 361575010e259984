/**
 * The demo's computations, free of I/O: simulate Lorenz-63, add noise, estimate derivatives, discover the
 * equations with SINDy, and integrate the discovered model against the truth.
 */
import { Generator, fromTypedArray } from '@sciml/linalg';
import type { EmulatorConfig, EmulatorResult } from './emulator.js';
import {
  Lorenz63,
  SINDy,
  ensemble,
  finiteDifference,
  polynomialLibrary,
  sampleTrajectory,
  savitzkyGolay,
  stlsq,
} from '@sciml/physics';

/** Settings of one demo run. */
export interface DemoConfig {
  /** Sampling interval of the training data. */
  dt: number;
  /** Length of the training trajectory (time units, after the transient). */
  trainTime: number;
  /** Time integrated and discarded so the data lie on the attractor. */
  transient: number;
  /** Noise standard deviation as a fraction of the data's root mean square (0.01 = 1%). */
  noise: number;
  /** Seed of the noise and of the ensemble's resampling. */
  seed: number;
  /** STLSQ threshold. */
  threshold: number;
  /** Savitzky–Golay window (samples) and polynomial degree. */
  window: number;
  polyorder: number;
  /** Models in the ensemble that estimates inclusion probabilities. */
  ensembleModels: number;
  /** Horizon of the true-vs-discovered comparison (time units) and its sampling interval. */
  testTime: number;
  testDt: number;
}

/** The settings the README describes: 1% noise, dt = 0.002, 10 time units of data. */
export const DEFAULT_CONFIG: DemoConfig = {
  dt: 0.002,
  trainTime: 10,
  transient: 1,
  noise: 0.01,
  seed: 42,
  threshold: 0.5,
  window: 61,
  polyorder: 3,
  ensembleModels: 20,
  testTime: 12,
  testDt: 0.01,
};

export const VARIABLES = ['x', 'y', 'z'] as const;

/** Lorenz's parameters and the equations they give, in the degree-2 library. */
export const SIGMA = 10;
export const RHO = 28;
export const BETA = 8 / 3;
/** Lyapunov exponent of Lorenz-63 at the classic parameters (Sprott 2003): errors grow like e^{λt}. */
export const LYAPUNOV = 0.9056;

/** One coefficient of the comparison table. */
export interface CoefficientRow {
  equation: string;
  term: string;
  truth: number;
  discovered: number;
  /** |discovered − truth| / |truth| for true terms; undefined for terms that should be zero. */
  relativeError: number | undefined;
  /** Fraction of ensemble models that kept the term. */
  inclusion: number;
}

/** Everything the report and the console summary show. */
export interface DemoResult {
  config: DemoConfig;
  /** Training data: times, clean and noisy states (m × 3, row-major), the true derivatives. */
  train: { t: Float64Array; clean: Float64Array; noisy: Float64Array; dxdt: Float64Array };
  /** Derivative estimates from the noisy data and their relative RMS errors against the truth. */
  derivatives: { fd: Float64Array; sg: Float64Array; fdError: number; sgError: number };
  model: SINDy;
  trueEquations: string[];
  discoveredEquations: string[];
  coefficients: CoefficientRow[];
  /** Largest relative error over the seven true terms, and the number of spurious terms kept. */
  worstRelativeError: number;
  spuriousTerms: number;
  /** R² of the model's derivatives against the true ones. */
  r2: number;
  /** True vs discovered trajectory from a fresh initial state on the attractor. */
  test: {
    t: Float64Array;
    truth: Float64Array;
    discovered: Float64Array;
    /** Euclidean distance between the two states at each time. */
    distance: Float64Array;
    /** ‖X_sim − X‖_F / ‖X‖_F over the first two time units. */
    shortRolloutError: number;
    /** First time the two states are more than 10% of the attractor's size apart (Infinity if never). */
    divergenceTime: number;
  };
  /** The neural emulators against the truth and the SINDy model (absent when the run skips them). */
  emulator?: EmulatorResult;
  emulatorConfig?: EmulatorConfig;
}

/** The right-hand sides of Lorenz-63 as SINDy prints them. */
export function trueEquations(precision = 3): string[] {
  const f = (v: number) => v.toFixed(precision);
  return [
    `x' = -${f(SIGMA)} x + ${f(SIGMA)} y`,
    `y' = ${f(RHO)} x - ${f(1)} y - ${f(1)} x z`,
    `z' = -${f(BETA)} z + ${f(1)} x y`,
  ];
}

/** Lorenz-63's coefficients in the library 1, x, y, z, x², xy, xz, y², yz, z² (rows: x', y', z'). */
export function trueCoefficients(): number[][] {
  return [
    [0, -SIGMA, SIGMA, 0, 0, 0, 0, 0, 0, 0],
    [0, RHO, -1, 0, 0, 0, -1, 0, 0, 0],
    [0, 0, 0, -BETA, 0, 1, 0, 0, 0, 0],
  ];
}

/** Adds Gaussian noise with standard deviation `level` × RMS(x), from a seeded generator. */
export function addNoise(x: Float64Array, level: number, seed: number): Float64Array {
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  const rng = new Generator(seed);
  return Float64Array.from(x, (v) => v + level * rms * rng.nextNormal());
}

/** ‖a − b‖ / ‖b‖ over all entries. */
export function relativeRms(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Step 1: the clean training trajectory with its exact derivatives. */
export function simulateTraining(config: DemoConfig) {
  const samples = Math.round(config.trainTime / config.dt);
  const data = sampleTrajectory(new Lorenz63(), {
    dt: config.dt,
    samples,
    transient: config.transient,
    y0: [-8, 8, 27],
  });
  return {
    t: data.t,
    clean: Float64Array.from(data.x.dataSync()),
    dxdt: Float64Array.from(data.dxdt.dataSync()),
  };
}

/** Step 3: derivatives of the noisy data by plain finite differences and by Savitzky–Golay. */
export function estimateDerivatives(config: DemoConfig, noisy: Float64Array, dxdt: Float64Array) {
  const X = fromTypedArray(noisy, [noisy.length / 3, 3]);
  const fd = Float64Array.from(finiteDifference().differentiate(X, config.dt).dataSync());
  const sg = Float64Array.from(
    savitzkyGolay({ windowLength: config.window, polyorder: config.polyorder })
      .differentiate(X, config.dt)
      .dataSync(),
  );
  return { fd, sg, fdError: relativeRms(fd, dxdt), sgError: relativeRms(sg, dxdt) };
}

/** Step 4: SINDy (Savitzky–Golay + STLSQ), and an ensemble of it for inclusion probabilities. */
export function discover(config: DemoConfig, noisy: Float64Array) {
  const X = fromTypedArray(noisy, [noisy.length / 3, 3]);
  const differentiation = savitzkyGolay({
    windowLength: config.window,
    polyorder: config.polyorder,
  });
  const library = polynomialLibrary({ degree: 2 });
  const model = new SINDy({
    library,
    optimizer: stlsq({ threshold: config.threshold }),
    differentiation,
  }).fit(X, {
    t: config.dt,
    featureNames: [...VARIABLES],
  });
  const bagged = new SINDy({
    library,
    optimizer: ensemble(stlsq({ threshold: config.threshold }), {
      nModels: config.ensembleModels,
      seed: config.seed,
    }),
    differentiation,
  }).fit(X, { t: config.dt, featureNames: [...VARIABLES] });
  return {
    model,
    inclusion: Float64Array.from(bagged.optimizerResult.inclusionProbabilities!.dataSync()),
  };
}

/** The comparison table: every library term of every equation, true and discovered. */
export function coefficientTable(model: SINDy, inclusion: Float64Array): CoefficientRow[] {
  const xi = model.coefficients.dataSync();
  const terms = model.termNames;
  const truth = trueCoefficients();
  const rows: CoefficientRow[] = [];
  VARIABLES.forEach((v, i) => {
    terms.forEach((term, j) => {
      const t = truth[i]![j]!;
      const d = xi[i * terms.length + j]!;
      rows.push({
        equation: `${v}'`,
        term,
        truth: t,
        discovered: d,
        relativeError: t === 0 ? undefined : Math.abs(d - t) / Math.abs(t),
        inclusion: inclusion[i * terms.length + j]!,
      });
    });
  });
  return rows;
}

/** Step 5: integrate the discovered model and the true system from the same fresh state. */
export function compareTrajectories(config: DemoConfig, model: SINDy) {
  const samples = Math.round(config.testTime / config.testDt) + 1;
  const truth = sampleTrajectory(new Lorenz63(), {
    dt: config.testDt,
    samples,
    transient: 3,
    y0: [5, -3, 30],
  });
  const t = Float64Array.from(truth.t, (v) => v - truth.t[0]!);
  const X = Float64Array.from(truth.x.dataSync());
  const sim = Float64Array.from(model.simulate(X.subarray(0, 3), t).dataSync());
  const distance = Float64Array.from({ length: samples }, (_, i) =>
    Math.hypot(
      sim[3 * i]! - X[3 * i]!,
      sim[3 * i + 1]! - X[3 * i + 1]!,
      sim[3 * i + 2]! - X[3 * i + 2]!,
    ),
  );
  // "Diverged": apart by 10% of the attractor's extent (its z range is about 40).
  const scale = 0.1 * 40;
  const k = distance.findIndex((d) => d > scale);
  const short = Math.min(samples, Math.round(2 / config.testDt) + 1);
  return {
    t,
    truth: X,
    discovered: sim,
    distance,
    shortRolloutError: relativeRms(sim.subarray(0, 3 * short), X.subarray(0, 3 * short)),
    divergenceTime: k < 0 ? Number.POSITIVE_INFINITY : t[k]!,
  };
}

/** Summary numbers of a fitted model against the truth. */
export function scoreCoefficients(rows: readonly CoefficientRow[]) {
  let worst = 0;
  let spurious = 0;
  for (const r of rows) {
    if (r.relativeError !== undefined) worst = Math.max(worst, r.relativeError);
    else if (r.discovered !== 0) spurious++;
  }
  return { worstRelativeError: worst, spuriousTerms: spurious };
}
