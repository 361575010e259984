import { type NDArray, ValueError, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { Lorenz63 } from '../systems/lorenz63.js';
import { eulerStep, rk4Step, rollout, stackStates, step } from './rollout.js';
import { solveIVP } from './solve-ivp.js';

describe('fixed-step maps and rollouts', () => {
  it('rk4Step rollouts equal solveIVP RK4 on the same grid, bit for bit', () => {
    const sys = new Lorenz63();
    const { t, states } = rollout(rk4Step(sys.rhs), Float64Array.of(1, 1, 1), {
      steps: 500,
      dt: 0.01,
    });
    const ref = solveIVP(sys.rhs, [0, 5], [1, 1, 1], { method: 'RK4', dt: 0.01 });
    expect(states.length).toBe(501);
    expect(t[500]).toBeCloseTo(5, 12);
    const Y = stackStates(states);
    expect(Y.shape).toEqual([3, 501]);
    for (const j of [1, 100, 499]) {
      for (let i = 0; i < 3; i++) expect(Y.get(i, j)).toBe(ref.y.get(i, j));
    }
    // solveIVP's last step ends exactly on t1 = 5, so its h is 5 − 4.99 (not dt) and may differ in the last ulps
    for (let i = 0; i < 3; i++) expect(Y.get(i, 500)).toBeCloseTo(ref.y.get(i, 500), 10);
  });

  it('step: Euler and RK4 one-step errors scale as dt² and dt⁵', () => {
    const f = (_t: number, y: Float64Array) => [-y[0]];
    const err = (method: 'Euler' | 'RK4', dt: number) =>
      Math.abs(step(f, [1], 0, dt, { method })[0] - Math.exp(-dt));
    expect(Math.log2(err('Euler', 0.01) / err('Euler', 0.005))).toBeCloseTo(2, 1);
    expect(Math.log2(err('RK4', 0.1) / err('RK4', 0.05))).toBeCloseTo(5, 1);
    expect(eulerStep(f)(Float64Array.of(2), 0, 0.5)[0]).toBe(1);
    expect(() => step(f, [1], 0, 0.1, { method: 'RK45' as 'RK4' })).toThrow(ValueError);
  });

  it('rolls out any map, e.g. NDArray → NDArray, without touching the input', () => {
    const double = (u: NDArray) => array((u.toNested() as number[]).map((v) => 2 * v));
    const u0 = array([1, 2]);
    const r = rollout(double, u0, { steps: 3, dt: 1, t0: 10 });
    expect(Array.from(r.t)).toEqual([10, 11, 12, 13]);
    expect(r.states[3].toNested()).toEqual([8, 16]);
    expect(u0.toNested()).toEqual([1, 2]);
    expect(stackStates(r.states).toNested()).toEqual([
      [1, 2, 4, 8],
      [2, 4, 8, 16],
    ]);
    expect(() => rollout(double, u0, { steps: -1, dt: 1 })).toThrow(ValueError);
  });
});
