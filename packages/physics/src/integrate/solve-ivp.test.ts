import { NotFiniteError, ShapeError, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { Lorenz63 } from '../systems/lorenz63.js';
import { solveIVP } from './solve-ivp.js';

/** y'' = −y as a system: y = (cos t, −sin t) from (1, 0). */
const oscillator = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -y[0];
};

describe('solveIVP', () => {
  it('solves exponential decay to its tolerance, returning SciPy-shaped results', () => {
    const r = solveIVP(
      (_t, y, dy) => {
        dy[0] = -2 * y[0];
      },
      [0, 1],
      [3],
      { rtol: 1e-8, atol: 1e-12 },
    );
    expect(r.status).toBe(0);
    expect(r.success).toBe(true);
    expect(r.y.shape).toEqual([1, r.t.length]);
    expect(r.t[0]).toBe(0);
    expect(r.t[r.t.length - 1]).toBe(1);
    for (let j = 0; j < r.t.length; j++) {
      expect(Math.abs(r.y.get(0, j) - 3 * Math.exp(-2 * r.t[j]))).toBeLessThan(1e-8 * 3);
    }
    // FSAL: 6 new evaluations per step, plus f(t0) and the initial-step probe
    expect(r.nfev).toBe(6 * (r.nsteps + r.nrejected) + 2);
  });

  it('accepts a returning right-hand side and a 1-D NDArray-like y0', () => {
    const r = solveIVP((_t, y) => [y[1], -y[0]], [0, Math.PI], [1, 0], {
      rtol: 1e-10,
      atol: 1e-12,
    });
    const last = r.t.length - 1;
    expect(r.y.get(0, last)).toBeCloseTo(-1, 8);
    expect(r.y.get(1, last)).toBeCloseTo(0, 8);
  });

  it('evaluates tEval from the dense output to the tolerance', () => {
    const tEval = Array.from({ length: 101 }, (_, i) => (i * 2 * Math.PI) / 100);
    for (const method of ['RK45', 'Tsit5', 'Rosenbrock23'] as const) {
      // the second-order Rosenbrock pair needs ~3000 steps at 1e-9: test it at 1e-7
      const rtol = method === 'Rosenbrock23' ? 1e-7 : 1e-9;
      const r = solveIVP(oscillator, [0, 2 * Math.PI], [1, 0], {
        method,
        rtol,
        atol: 1e-12,
        tEval,
      });
      expect(Array.from(r.t)).toEqual(tEval);
      let worst = 0;
      for (let j = 0; j < tEval.length; j++) {
        worst = Math.max(
          worst,
          Math.abs(r.y.get(0, j) - Math.cos(tEval[j])),
          Math.abs(r.y.get(1, j) + Math.sin(tEval[j])),
        );
      }
      expect(worst, method).toBeLessThan(method === 'Rosenbrock23' ? 1e-4 : 1e-8);
    }
  });

  it('integrates backwards in time', () => {
    const r = solveIVP(oscillator, [Math.PI, 0], [-1, 0], { rtol: 1e-10, atol: 1e-12 });
    const last = r.t.length - 1;
    expect(r.t[last]).toBe(0);
    expect(r.y.get(0, last)).toBeCloseTo(1, 8);
  });

  it('integrates Lorenz-63 consistently across methods over a short horizon', () => {
    const sys = new Lorenz63();
    const ref = solveIVP(sys.rhs, [0, 2], [1, 1, 1], { rtol: 1e-12, atol: 1e-12, tEval: [2] });
    const tsit = solveIVP(sys.rhs, [0, 2], [1, 1, 1], {
      method: 'Tsit5',
      rtol: 1e-12,
      atol: 1e-12,
      tEval: [2],
    });
    const rk4 = solveIVP(sys.rhs, [0, 2], [1, 1, 1], { method: 'RK4', dt: 1e-3, tEval: [2] });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(tsit.y.get(i, 0) - ref.y.get(i, 0))).toBeLessThan(1e-8);
      expect(Math.abs(rk4.y.get(i, 0) - ref.y.get(i, 0))).toBeLessThan(1e-6);
    }
  });

  it('reports failure with status −1 instead of NaN', () => {
    // y' = y², y(0) = 1 blows up at t = 1
    const r = solveIVP(
      (_t, y, dy) => {
        dy[0] = y[0] * y[0];
      },
      [0, 2],
      [1],
    );
    expect(r.status).toBe(-1);
    expect(r.success).toBe(false);
    expect(r.t[r.t.length - 1]).toBeLessThan(1);
    expect(Number.isFinite(r.y.get(0, r.t.length - 1))).toBe(true);
    // a right-hand side that returns NaN from the start terminates with a message, for every method
    for (const method of ['RK45', 'Tsit5', 'Rosenbrock23'] as const) {
      const nan = solveIVP((_t, y) => [Math.sqrt(-1 - y[0])], [0, 1], [1], { method });
      expect(nan.status, method).toBe(-1);
      expect(nan.message).toMatch(/not finite|step size/);
    }
    const capped = solveIVP(oscillator, [0, 100], [1, 0], { maxSteps: 5 });
    expect(capped.status).toBe(-1);
    expect(capped.message).toMatch(/maxSteps/);
    const fixed = solveIVP(
      (_t, y, dy) => {
        dy[0] = y[0] * y[0];
      },
      [0, 3],
      [1],
      { method: 'Euler', dt: 0.1 },
    );
    expect(fixed.status).toBe(-1);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => solveIVP(oscillator, [0, 1], [1, Number.NaN])).toThrow(NotFiniteError);
    expect(() => solveIVP((_t, _y) => [1, 2, 3], [0, 1], [1, 0])).toThrow(ShapeError);
    expect(() => solveIVP(oscillator, [0, 1], [1, 0], { method: 'RK4' })).toThrow(ValueError);
    expect(() => solveIVP(oscillator, [0, 1], [1, 0], { tEval: [2] })).toThrow(ValueError);
    expect(() => solveIVP(oscillator, [1, 1], [1, 0])).toThrow(ValueError);
    expect(() => solveIVP(oscillator, [0, 1], [1, 0], { atol: [1] })).toThrow(ShapeError);
    // biome-ignore lint/suspicious/noExplicitAny: testing a JS caller's typo
    expect(() => solveIVP(oscillator, [0, 1], [1, 0], { method: 'RK5' as any })).toThrow(
      ValueError,
    );
  });
});
