import { ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { rk4Step } from '../integrate/rollout.js';
import { Lorenz63 } from '../systems/lorenz63.js';
import { mapLyapunovExponent } from './map-lyapunov.js';

describe('Lyapunov exponent of a map', () => {
  it('logistic map x ↦ 4x(1 − x): ln 2 (exact, by conjugacy to the tent map)', () => {
    const r = mapLyapunovExponent((u) => [4 * u[0] * (1 - u[0])], [0.3], { steps: 100_000 });
    expect(r.exponent).toBeCloseTo(Math.LN2, 2);
  });

  it('Hénon map (a = 1.4, b = 0.3): ≈ 0.419 with the analytic Jacobian or differences', () => {
    const henon = (u: Float64Array) => [1 - 1.4 * u[0] * u[0] + u[1], 0.3 * u[0]];
    const exact = mapLyapunovExponent(henon, [0.1, 0.1], {
      steps: 50_000,
      jacobian: (u) => [-2.8 * u[0], 1, 0.3, 0],
    });
    const fd = mapLyapunovExponent(henon, [0.1, 0.1], { steps: 50_000 });
    expect(Math.abs(exact.exponent - 0.419)).toBeLessThan(0.01);
    expect(fd.exponent).toBeCloseTo(exact.exponent, 6);
  });

  it("the RK4 time-step map of Lorenz-63 divided by dt gives the flow's 0.906 ± 0.05", () => {
    const sys = new Lorenz63();
    const step = rk4Step(sys.rhs);
    const r = mapLyapunovExponent((u) => step(u, 0, 0.01), [1, 1, 1], {
      steps: 40_000,
      transient: 1000,
      dt: 0.01,
    });
    expect(Math.abs(r.exponent - 0.906)).toBeLessThan(0.05);
    expect(() => mapLyapunovExponent((u) => u, [1], { steps: 0 })).toThrow(ValueError);
  });
});
