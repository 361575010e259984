import { describe, expect, it } from 'vitest';
import { solveIVP } from './solve-ivp.js';

/**
 * Robertson's chemical kinetics (H. H. Robertson 1966; Hairer–Wanner II, §IV.1, eq. 1.4): rate constants
 * spanning nine decades make it the standard stiff test.
 */
const robertson = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
  dy[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
  dy[2] = 3e7 * y[1] * y[1];
};
const robertsonJac = (_t: number, y: Float64Array, J: Float64Array): void => {
  J.set([
    -0.04,
    1e4 * y[2],
    1e4 * y[1],
    0.04,
    -1e4 * y[2] - 6e7 * y[1],
    -1e4 * y[1],
    0,
    6e7 * y[1],
    0,
  ]);
};
const atol = [1e-8, 1e-12, 1e-8];

describe('stiff problems', () => {
  it('Rosenbrock23 solves Robertson to t = 40 in ≥ 100× fewer steps than Dormand–Prince', () => {
    const stiff = solveIVP(robertson, [0, 40], [1, 0, 0], {
      method: 'Rosenbrock23',
      rtol: 1e-4,
      atol,
    });
    const explicit = solveIVP(robertson, [0, 40], [1, 0, 0], {
      method: 'RK45',
      rtol: 1e-4,
      atol,
      maxSteps: 1e5,
    });
    expect(stiff.status).toBe(0);
    const last = stiff.t.length - 1;
    // reference values at t = 40 (Hairer–Wanner II, §IV.10; SciPy's Radau at rtol 1e-10)
    expect(stiff.y.get(0, last)).toBeCloseTo(0.7158270687, 4);
    expect(stiff.y.get(1, last) / 9.185534765e-6).toBeCloseTo(1, 3);
    expect(stiff.y.get(2, last)).toBeCloseTo(0.2841637457, 4);
    // mass conservation: y1 + y2 + y3 = 1
    expect(stiff.y.get(0, last) + stiff.y.get(1, last) + stiff.y.get(2, last)).toBeCloseTo(1, 10);
    expect(explicit.nsteps).toBeGreaterThanOrEqual(100 * stiff.nsteps);
  });

  it('reaches t = 1e5 in a few hundred steps, and the explicit method gives up within 5e4 steps', () => {
    const stiff = solveIVP(robertson, [0, 1e5], [1, 0, 0], {
      method: 'Rosenbrock23',
      rtol: 1e-4,
      atol,
      jac: robertsonJac,
    });
    expect(stiff.status).toBe(0);
    expect(stiff.nsteps).toBeLessThan(1000);
    // one Jacobian per step, kept through rejected attempts (as ode23s)
    expect(stiff.njev).toBe(stiff.nsteps);
    const last = stiff.t.length - 1;
    expect(stiff.y.get(0, last)).toBeCloseTo(0.01786, 3);
    const explicit = solveIVP(robertson, [0, 1e5], [1, 0, 0], {
      method: 'RK45',
      rtol: 1e-4,
      atol,
      maxSteps: 5e4,
    });
    expect(explicit.status).toBe(-1);
  });

  it('the finite-difference Jacobian and the analytic one give the same solution', () => {
    const a = solveIVP(robertson, [0, 1], [1, 0, 0], {
      method: 'Rosenbrock23',
      rtol: 1e-6,
      atol,
      tEval: [1],
    });
    const b = solveIVP(robertson, [0, 1], [1, 0, 0], {
      method: 'Rosenbrock23',
      rtol: 1e-6,
      atol,
      tEval: [1],
      jac: robertsonJac,
    });
    for (let i = 0; i < 3; i++) expect(a.y.get(i, 0)).toBeCloseTo(b.y.get(i, 0), 6);
    expect(b.nfev).toBeLessThan(a.nfev);
    expect(a.njev).toBeGreaterThan(0);
  });
});
