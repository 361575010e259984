import { Generator, type NDArray, ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lorenz63, sampleTrajectory } from '../../systems/index.js';
import { polynomialLibrary } from '../library/polynomial.js';
import { stlsq } from '../optimizers/stlsq.js';
import { SINDy } from '../sindy.js';
import { weakForm } from './weak-form.js';

// Lorenz-63 in the degree-2 library 1, x, y, z, x², xy, xz, y², yz, z².
const TRUE_XI = [
  [0, -10, 10, 0, 0, 0, 0, 0, 0, 0],
  [0, 28, -1, 0, 0, 0, -1, 0, 0, 0],
  [0, 0, 0, -8 / 3, 0, 1, 0, 0, 0, 0],
];

/** Largest relative error over the true terms, and the number of spurious terms kept. */
function coefficientError(coefficients: NDArray): { worst: number; spurious: number } {
  const c = coefficients.dataSync();
  let worst = 0;
  let spurious = 0;
  TRUE_XI.forEach((row, i) => {
    row.forEach((truth, j) => {
      const v = c[i * 10 + j]!;
      if (truth === 0) spurious += v !== 0 ? 1 : 0;
      else worst = Math.max(worst, Math.abs(v - truth) / Math.abs(truth));
    });
  });
  return { worst, spurious };
}

describe('weak-form SINDy', () => {
  const dt = 0.002;
  let noisy: NDArray;
  beforeAll(() => {
    // 20 time units on the attractor; 5 % noise: each variable gets Gaussian noise of 5 % of its own std
    const data = sampleTrajectory(new Lorenz63(), {
      dt,
      samples: 10_000,
      transient: 1,
      y0: [-8, 8, 27],
    });
    const x = data.x.dataSync() as Float64Array;
    const m = data.x.shape[0]!;
    const std = [0, 1, 2].map((j) => {
      let mean = 0;
      for (let i = 0; i < m; i++) mean += x[i * 3 + j]! / m;
      let v = 0;
      for (let i = 0; i < m; i++) v += (x[i * 3 + j]! - mean) ** 2 / m;
      return Math.sqrt(v);
    });
    const rng = new Generator(7);
    noisy = fromTypedArray(
      Float64Array.from(x, (v, e) => v + 0.05 * std[e % 3]! * rng.nextNormal()),
      data.x.shape,
    );
  });

  it('recovers Lorenz-63 at 5 % noise within 5 % where the strong form does not', () => {
    const optimizer = stlsq({ threshold: 0.5 });
    const strong = new SINDy({ optimizer }).fit(noisy, { t: dt });
    const weak = new SINDy({
      optimizer,
      weakForm: weakForm({ testFunctions: 400, halfWidth: 50 }),
    }).fit(noisy, { t: dt });
    const s = coefficientError(strong.coefficients);
    const w = coefficientError(weak.coefficients);
    // measured: strong (finite differences) 39 % (y' = 26.7 x − 0.61 y − 0.97 xz), weak 1.4 %
    expect(s.worst).toBeGreaterThan(0.2);
    expect(w.worst).toBeLessThan(0.05);
    expect(w.spurious).toBe(0);
    expect(weak.equations()[2]).toBe("z' = -2.672 z + 1.001 x y");
  });

  it('integrates by parts exactly: x = e^{-t} gives G ξ = b with ξ = −1 to round-off', () => {
    const m = 401;
    const t = Float64Array.from({ length: m }, (_, i) => (i * 2) / (m - 1));
    const x = { rows: m, cols: 1, data: Float64Array.from(t, (s) => Math.exp(-s)) };
    const w = weakForm({ testFunctions: 20, halfWidth: 60, power: 6 }).build(
      'test',
      polynomialLibrary({ degree: 1, includeBias: false }),
      x,
      x,
      t,
    );
    for (let k = 0; k < w.theta.rows; k++) {
      // ∫φ ẋ = −∫φ x, so b_k = −G_k exactly in the continuum; the trapezoid sums agree to ~1e-9
      expect(w.target.data[k]! / w.theta.data[k]!).toBeCloseTo(-1, 7);
    }
  });

  it('rejects too-short data, derivatives with the weak form, and bad options', () => {
    const short = fromTypedArray(new Float64Array(30 * 3).fill(1), [30, 3]);
    expect(() =>
      new SINDy({ weakForm: weakForm({ halfWidth: 20 }) }).fit(short, { t: 0.1 }),
    ).toThrow(ShapeError);
    expect(() => new SINDy({ weakForm: weakForm() }).fit(noisy, { t: dt, xDot: noisy })).toThrow(
      ValueError,
    );
    expect(() => weakForm({ power: 0 })).toThrow(ValueError);
    expect(() => weakForm({ testFunctions: 2.5 })).toThrow(ValueError);
  });
});
