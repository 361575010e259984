import { describe, expect, it } from 'vitest';
import { Lorenz63 } from '../../systems/lorenz63.js';
import { solveIVP } from '../solve-ivp.js';
import { FixedStepper, OWN_KERNEL_MIN_STEPS, kernelFor } from './fixed.js';

const SIGMA = 10;
const RHO = 28;
const BETA = 8 / 3;

/**
 * Textbook RK4 with fresh arrays every stage (no shared buffers, no chunks): an independent reference doing
 * the same arithmetic as the stepper, y + (h/2)k and y + (h/6)(k₁ + 2(k₂ + k₃) + k₄).
 */
function rk4Reference(
  f: (t: number, y: Float64Array, d: Float64Array) => void,
  y0: number[],
  dt: number,
  steps: number,
): number[] {
  const F = (t: number, v: number[]) => {
    const d = new Float64Array(v.length);
    f(t, Float64Array.from(v), d);
    return Array.from(d);
  };
  const h2 = 0.5 * dt;
  const h6 = dt / 6;
  let y = [...y0];
  for (let i = 0; i < steps; i++) {
    const t = i * dt;
    const k1 = F(t, y);
    const k2 = F(
      t + h2,
      y.map((v, m) => v + h2 * k1[m]),
    );
    const k3 = F(
      t + h2,
      y.map((v, m) => v + h2 * k2[m]),
    );
    const k4 = F(
      t + dt,
      y.map((v, m) => v + dt * k3[m]),
    );
    y = y.map((v, m) => v + h6 * (k1[m] + 2 * (k2[m] + k3[m]) + k4[m]));
  }
  return y;
}

const run = (
  f: (t: number, y: Float64Array, d: Float64Array) => void,
  kind: 'Euler' | 'RK4',
  t1: number,
  dt: number,
  ownKernel: boolean,
  y0 = [1, 1, 1],
) => {
  const s = new FixedStepper(f, kind, 0, Float64Array.from(y0), t1, dt, { ownKernel });
  while (s.t !== t1) expect(s.advance(1000)).toBeNull();
  return { y: Array.from(s.y), nfev: s.nfev, nsteps: s.nsteps };
};

describe('fixed-step RK4 / Euler fast path', () => {
  it('matches a textbook RK4 reference bit for bit (dt = 2⁻⁷, 4096 steps: every h is exactly dt)', () => {
    const lorenz = new Lorenz63();
    const steps = 4096;
    const dt = 2 ** -7;
    expect(steps).toBeGreaterThanOrEqual(OWN_KERNEL_MIN_STEPS);
    const ref = rk4Reference(lorenz.rhs, [1, 1, 1], dt, steps);
    for (const ownKernel of [true, false]) {
      const r = run(lorenz.rhs, 'RK4', steps * dt, dt, ownKernel);
      expect(r.y).toEqual(ref);
      expect(r.nsteps).toBe(steps);
      expect(r.nfev).toBe(4 * steps + 1);
    }
    // and through solveIVP with output at t1 only
    const sol = solveIVP(lorenz.rhs, [0, steps * dt], [1, 1, 1], {
      method: 'RK4',
      dt,
      tEval: [steps * dt],
    });
    expect([0, 1, 2].map((i) => sol.y.get(i, 0))).toEqual(ref);
    // the returning form (wrapped per solve, so it runs through the shared loop) gives the same bits
    const returning = solveIVP(
      (_t, y) => [SIGMA * (y[1] - y[0]), y[0] * (RHO - y[2]) - y[1], y[0] * y[1] - BETA * y[2]],
      [0, steps * dt],
      [1, 1, 1],
      { method: 'RK4', dt, tEval: [steps * dt] },
    );
    expect([0, 1, 2].map((i) => returning.y.get(i, 0))).toEqual(ref);
  });

  it("a right-hand side's own kernel gives the same bits as the shared one, for RK4 and Euler and any chunking", () => {
    // several right-hand sides through the shared runner make its call site polymorphic, as in a real process
    const fields: [(t: number, y: Float64Array, d: Float64Array) => void, number[]][] = [
      [new Lorenz63().rhs, [1, 1, 1]],
      [new Lorenz63({ rho: 20 }).rhs, [1, 1, 1]],
      [
        (t, y, d) => {
          d[0] = -y[1] + Math.sin(t);
          d[1] = y[0];
        },
        [1, 0],
      ],
    ];
    for (const [f, y0] of fields) {
      for (const kind of ['RK4', 'Euler'] as const) {
        // t1 not a multiple of dt: the last step is shortened to land on t1
        const own = run(f, kind, 30.004, 0.01, true, y0);
        const shared = run(f, kind, 30.004, 0.01, false, y0);
        expect(own.y).toEqual(shared.y);
        expect(own.nsteps).toBe(3001);
        // single steps (the path solveIVP takes with per-step output) agree with chunks
        const s = new FixedStepper(f, kind, 0, Float64Array.from(y0), 30.004, 0.01);
        while (s.t !== 30.004) expect(s.step()).toBeNull();
        expect(Array.from(s.y)).toEqual(own.y);
      }
    }
  });

  it('kernels are cached per right-hand side and distinct between them', () => {
    const a = new Lorenz63().rhs;
    const b = new Lorenz63().rhs;
    expect(kernelFor(a, 'RK4')).toBe(kernelFor(a, 'RK4'));
    expect(kernelFor(a, 'RK4')).not.toBe(kernelFor(b, 'RK4'));
  });

  it('output at many times or only at t1 ends in the same state', () => {
    const lorenz = new Lorenz63();
    const only = solveIVP(lorenz.rhs, [0, 25], [1, 1, 1], {
      method: 'RK4',
      dt: 0.005,
      tEval: [25],
    });
    const many = solveIVP(lorenz.rhs, [0, 25], [1, 1, 1], {
      method: 'RK4',
      dt: 0.005,
      tEval: Array.from({ length: 101 }, (_, i) => i * 0.25),
    });
    const every = solveIVP(lorenz.rhs, [0, 25], [1, 1, 1], { method: 'RK4', dt: 0.005 });
    const end = (r: typeof only) => [0, 1, 2].map((i) => r.y.get(i, r.t.length - 1));
    expect(end(many)).toEqual(end(only));
    expect(end(every)).toEqual(end(only));
    expect(every.t.length).toBe(5001);
  });
});
