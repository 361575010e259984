import {
  Generator,
  type NDArray,
  ShapeError,
  ValueError,
  fromTypedArray,
  matmul,
  slice,
  transpose,
} from '@sciml/linalg';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../systems/index.js';
import { finiteDifference } from './differentiation/finite-difference.js';
import { savitzkyGolay } from './differentiation/savitzky-golay.js';
import { polynomialLibrary } from './library/polynomial.js';
import { ensemble } from './optimizers/ensemble.js';
import { lassoOptimizer } from './optimizers/lasso.js';
import { sr3 } from './optimizers/sr3.js';
import { stlsq } from './optimizers/stlsq.js';
import { SINDy } from './sindy.js';

// Lorenz-63 in the degree-2 library 1, x, y, z, x², xy, xz, y², yz, z².
const TRUE_XI = [
  [0, -10, 10, 0, 0, 0, 0, 0, 0, 0],
  [0, 28, -1, 0, 0, 0, -1, 0, 0, 0],
  [0, 0, 0, -8 / 3, 0, 1, 0, 0, 0, 0],
];
const NAMES = ['x', 'y', 'z'];
const DT = 0.002;

/** Largest relative error over the true non-zero terms; throws if a zero term was kept. */
function worstRelativeError(coefficients: NDArray): number {
  const c = coefficients.dataSync();
  let worst = 0;
  TRUE_XI.forEach((row, i) => {
    row.forEach((truth, j) => {
      const v = c[i * 10 + j]!;
      if (truth === 0) expect(v, `spurious term ${i},${j}`).toBe(0);
      else worst = Math.max(worst, Math.abs(v - truth) / Math.abs(truth));
    });
  });
  return worst;
}

let data: ReturnType<typeof sampleTrajectory>;
let noisy: NDArray;

beforeAll(() => {
  // 10 time units on the attractor (after a transient), 5000 samples every dt = 0.002.
  data = sampleTrajectory(new Lorenz63(), { dt: DT, samples: 5000, transient: 1, y0: [-8, 8, 27] });
  // 1% noise: Gaussian with standard deviation 1% of the data's root mean square (pysindy's convention).
  const x = data.x.dataSync() as Float64Array;
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  const rng = new Generator(2024);
  noisy = fromTypedArray(
    Float64Array.from(x, (v) => v + 0.01 * rms * rng.nextNormal()),
    data.x.shape,
  );
});

describe('SINDy on Lorenz-63', () => {
  it('recovers σ, ρ, β within 0.1% (and zeros elsewhere) from clean data at dt = 0.002', () => {
    const model = new SINDy({
      library: polynomialLibrary({ degree: 2 }),
      optimizer: stlsq({ threshold: 0.1 }),
      differentiation: finiteDifference({ order: 4 }),
    }).fit(data.x, { t: DT, featureNames: NAMES });
    expect(worstRelativeError(model.coefficients)).toBeLessThan(1e-3);
    expect(model.equations()).toEqual([
      "x' = -10.000 x + 10.000 y",
      "y' = 28.000 x - 1.000 y - 1.000 x z",
      "z' = -2.667 z + 1.000 x y",
    ]);
    expect(model.termNames).toEqual(['1', 'x', 'y', 'z', 'x^2', 'x y', 'x z', 'y^2', 'y z', 'z^2']);
    expect(model.complexity).toBe(7);
  });

  it('with the default second-order differences the truncation error (dt²/6 x‴) stays within 0.3%', () => {
    const model = new SINDy().fit(data.x, { t: DT });
    expect(worstRelativeError(model.coefficients)).toBeLessThan(3e-3);
  });

  it('recovers them within 5% from data with 1% Gaussian noise (Savitzky–Golay derivatives)', () => {
    const model = new SINDy({
      optimizer: stlsq({ threshold: 0.5 }),
      differentiation: savitzkyGolay({ windowLength: 61, polyorder: 3 }),
    }).fit(noisy, { t: DT, featureNames: NAMES });
    expect(worstRelativeError(model.coefficients)).toBeLessThan(0.05);
  });

  it('SR3 and an STLSQ ensemble find the same terms; the ensemble is sure of each', () => {
    const fd4 = finiteDifference({ order: 4 });
    const viaSr3 = new SINDy({ optimizer: sr3({ threshold: 0.5 }), differentiation: fd4 }).fit(
      data.x,
      { t: DT },
    );
    expect(worstRelativeError(viaSr3.coefficients)).toBeLessThan(1e-3);
    const viaEnsemble = new SINDy({
      optimizer: ensemble(stlsq({ threshold: 0.5 }), { nModels: 10, seed: 1 }),
      differentiation: savitzkyGolay({ windowLength: 61, polyorder: 3 }),
    }).fit(noisy, { t: DT });
    expect(worstRelativeError(viaEnsemble.coefficients)).toBeLessThan(0.05);
    const inclusion = viaEnsemble.optimizerResult.inclusionProbabilities!.dataSync();
    TRUE_XI.flat().forEach((truth, e) => {
      expect(inclusion[e]).toBe(truth === 0 ? 0 : 1);
    });
  });

  it('LASSO (through @sciml/optim) finds the same equations, up to negligible extra terms', () => {
    const model = new SINDy({
      optimizer: lassoOptimizer({ alpha: 0.01, normalizeColumns: true }),
      differentiation: finiteDifference({ order: 4 }),
    }).fit(data.x, { t: DT, featureNames: NAMES });
    // The ℓ1 path keeps a few features correlated with the true ones; after the least-squares refit their
    // coefficients are below 1e-5, so the printed equations are Lorenz's.
    const c = model.coefficients.dataSync();
    TRUE_XI.flat().forEach((truth, e) => {
      if (truth === 0) expect(Math.abs(c[e]!)).toBeLessThan(1e-5);
      else expect(Math.abs(c[e]! - truth) / Math.abs(truth)).toBeLessThan(1e-3);
    });
    expect(model.equations()).toEqual([
      "x' = -10.000 x + 10.000 y",
      "y' = 28.000 x - 1.000 y - 1.000 x z",
      "z' = -2.667 z + 1.000 x y",
    ]);
  });

  it('with the exact derivatives the coefficients are exact to rounding', () => {
    const model = new SINDy({ optimizer: stlsq({ threshold: 0.1, alpha: 0 }) }).fit(data.x, {
      t: DT,
      xDot: data.dxdt,
    });
    expect(worstRelativeError(model.coefficients)).toBeLessThan(1e-9);
  });

  it('fits several trajectories together', () => {
    const parts = [
      slice(data.x, { start: 0, stop: 2000 }),
      slice(data.x, { start: 2500, stop: 5000 }),
    ];
    const model = new SINDy({ differentiation: finiteDifference({ order: 4 }) }).fit(parts, {
      t: DT,
    });
    expect(worstRelativeError(model.coefficients)).toBeLessThan(1e-3);
  });
});

describe('a fitted SINDy model', () => {
  let model: SINDy;
  beforeAll(() => {
    model = new SINDy({ differentiation: finiteDifference({ order: 4 }) }).fit(data.x, {
      t: DT,
      featureNames: NAMES,
    });
  });

  it('predicts derivatives Θ(X) Ξᵀ', () => {
    const rows = slice(data.x, { start: 0, stop: 50 });
    const ref = matmul(
      polynomialLibrary({ degree: 2 }).transform(rows),
      transpose(model.coefficients),
    );
    const pred = model.predict(rows).dataSync();
    ref.dataSync().forEach((v, e) => {
      expect(pred[e]).toBeCloseTo(v, 9);
    });
  });

  it('scores R² ≈ 1 against the true derivatives and a small mean squared error', () => {
    expect(model.score(data.x, { xDot: data.dxdt })).toBeGreaterThan(1 - 1e-8);
    expect(model.score(data.x, { t: DT })).toBeGreaterThan(1 - 1e-6);
    expect(model.score(data.x, { xDot: data.dxdt, metric: 'mse' })).toBeLessThan(1e-4);
  });

  it('simulates the discovered equations close to the true trajectory over one time unit', () => {
    const n = 501;
    const t = Float64Array.from({ length: n }, (_, i) => data.t[i]!);
    const sim = model.simulate(data.x.dataSync().subarray(0, 3), t);
    expect(sim.shape).toEqual([n, 3]);
    const err = model.rolloutError(slice(data.x, { start: 0, stop: n }), t);
    expect(err).toBeLessThan(1e-4);
  });

  it('exposes its right-hand side for solveIVP and matches the true Lorenz field', () => {
    const lorenz = new Lorenz63();
    const state = Float64Array.of(1.5, -2, 20);
    const exact = new Float64Array(3);
    lorenz.rhs(0, state, exact);
    const viaRhs = model.rhs(state);
    const viaOde = new Float64Array(3);
    model.odeRhs()(0, state, viaOde);
    exact.forEach((v, i) => {
      expect(viaRhs[i]).toBeCloseTo(v, 3);
      expect(viaOde[i]).toBe(viaRhs[i]);
    });
  });

  it('rejects use before fit and mismatched input', () => {
    const fresh = new SINDy();
    expect(() => fresh.coefficients).toThrow(ValueError);
    expect(() => fresh.equations()).toThrow(ValueError);
    expect(String(fresh)).toContain('not fitted');
    expect(() => new SINDy().fit(data.x, { t: DT, featureNames: ['a', 'b'] })).toThrow(ValueError);
    expect(() => model.predict(slice(data.x, null, { start: 0, stop: 2 }))).toThrow(ShapeError);
    expect(() => model.rhs([1, 2])).toThrow(ShapeError);
    expect(() => model.score(data.x, {})).toThrow(ValueError);
    expect(() =>
      new SINDy().fit(data.x, { t: DT, xDot: slice(data.x, { start: 0, stop: 10 }) }),
    ).toThrow(ShapeError);
  });
});
