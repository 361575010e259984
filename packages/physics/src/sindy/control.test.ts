import { ShapeError, ValueError, fromTypedArray } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { solveIVP } from '../integrate/index.js';
import { polynomialLibrary } from './library/polynomial.js';
import { stlsq } from './optimizers/stlsq.js';
import { SINDy } from './sindy.js';

// A forced Lorenz-63 (pysindy's SINDYc example): x' = σ(y − x) + u, y' = x(ρ − z) − y, z' = xy − βz − u.
const forcing = (t: number) => Math.sin(3 * t) + 0.5 * Math.cos(7 * t);

function forcedLorenz(dt: number, samples: number) {
  const rhs = (t: number, s: Float64Array, d: Float64Array) => {
    const u = forcing(t);
    d[0] = 10 * (s[1]! - s[0]!) + u;
    d[1] = s[0]! * (28 - s[2]!) - s[1]!;
    d[2] = s[0]! * s[1]! - (8 / 3) * s[2]! - u;
  };
  const t = Float64Array.from({ length: samples }, (_, j) => j * dt);
  const sol = solveIVP(rhs, [0, t[samples - 1]!], [-8, 8, 27], {
    tEval: t,
    rtol: 1e-11,
    atol: 1e-11,
  });
  const y = sol.y.dataSync();
  const x = new Float64Array(samples * 3);
  for (let j = 0; j < samples; j++) for (let i = 0; i < 3; i++) x[j * 3 + i] = y[i * samples + j]!;
  return {
    t,
    x: fromTypedArray(x, [samples, 3]),
    u: fromTypedArray(Float64Array.from(t, forcing), [samples, 1]),
  };
}

describe('SINDy with control (SINDYc)', () => {
  const dt = 0.002;
  const data = forcedLorenz(dt, 4000);
  const model = new SINDy({
    library: polynomialLibrary({ degree: 2 }),
    optimizer: stlsq({ threshold: 0.2 }),
  }).fit(data.x, { t: dt, u: data.u });

  it('recovers the forced system, input terms included', () => {
    expect(model.controlNames).toEqual(['u0']);
    expect(model.termNames).toHaveLength(15); // degree 2 in (x, y, z, u0)
    // measured to two decimals: x' = −10.00 x + 10.00 y + 1.00 u0, y' = 27.99 x − 1.00 y − 1.00 xz
    const eq = model.equations(1);
    expect(eq[0]).toBe("x' = -10.0 x + 10.0 y + 1.0 u0");
    expect(eq[1]).toBe("y' = 28.0 x - 1.0 y - 1.0 x z");
    expect(eq[2]).toBe("z' = -2.7 z - 1.0 u0 + 1.0 x y");
    const c = model.coefficients.dataSync();
    const terms = model.termNames;
    expect(c[terms.indexOf('u0')]).toBeCloseTo(1, 2);
    expect(c[2 * terms.length + terms.indexOf('u0')]).toBeCloseTo(-1, 2);
  });

  it('predicts and simulates with the input given as a function or as samples', () => {
    const n = 500;
    const t = Array.from(data.t.subarray(0, n));
    const truth = data.x.dataSync().subarray(0, n * 3);
    const x0 = truth.subarray(0, 3);
    const simF = model.simulate(x0, t, { u: (s) => [forcing(s)] }).dataSync();
    const uRows = Array.from({ length: n }, (_, j) => [forcing(t[j]!)]);
    const simM = model.simulate(x0, t, { u: uRows }).dataSync();
    let errF = 0;
    let errM = 0;
    let norm = 0;
    for (let e = 0; e < n * 3; e++) {
      errF += (simF[e]! - truth[e]!) ** 2;
      errM += (simM[e]! - truth[e]!) ** 2;
      norm += truth[e]! ** 2;
    }
    // one time unit; the linear interpolation of u between samples costs O(dt²)
    expect(Math.sqrt(errF / norm)).toBeLessThan(1e-2);
    expect(Math.sqrt(errM / norm)).toBeLessThan(1e-2);
    const d = model.rhs([1, 2, 3], undefined, [0.5]);
    expect(d[0]).toBeCloseTo(10 * (2 - 1) + 0.5, 1);
  });

  it('asks for the input when it is missing or the wrong size', () => {
    expect(() => model.rhs([1, 2, 3])).toThrow(ShapeError);
    expect(() => model.odeRhs()).toThrow(ValueError);
    expect(() => model.predict(data.x)).toThrow(ShapeError);
    expect(() =>
      new SINDy().fit(data.x, { t: dt, u: fromTypedArray(new Float64Array(10), [10, 1]) }),
    ).toThrow(ShapeError);
  });
});
