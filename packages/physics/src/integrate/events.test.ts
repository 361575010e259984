import { describe, expect, it } from 'vitest';
import { crosses, illinois } from './events.js';
import { solveIVP } from './solve-ivp.js';

/** Free fall from height 10 with g = 9.81: h(t) = 10 − g t²/2, lands at t* = √(20/g). */
const fall = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -9.81;
};
const tLand = Math.sqrt(20 / 9.81);

describe('events', () => {
  it('Illinois finds a root to rounding and keeps inside the bracket', () => {
    const r = illinois((x) => x ** 3 - 2, 0, 2, -2, 6);
    expect(r).toBeCloseTo(Math.cbrt(2), 14);
    expect(illinois((x) => Math.cos(x), 0, 3, 1, Math.cos(3))).toBeCloseTo(Math.PI / 2, 14);
  });

  it('crossing directions follow SciPy (a zero start is not a new crossing)', () => {
    expect(crosses(-1, 1, 1)).toBe(true);
    expect(crosses(-1, 1, -1)).toBe(false);
    expect(crosses(1, -1, -1)).toBe(true);
    expect(crosses(1, -1, 0)).toBe(true);
    expect(crosses(0, 1, 0)).toBe(false);
    expect(crosses(1, 0, 0)).toBe(true);
  });

  it.each(['RK45', 'Tsit5', 'Rosenbrock23', 'RK4', 'Radau', 'Kvaerno5'] as const)(
    '%s: a terminal event stops the integration at the landing time',
    (method) => {
      const r = solveIVP(fall, [0, 10], [10, 0], {
        method,
        dt: 0.1,
        rtol: 1e-10,
        atol: 1e-12,
        events: { g: (_t, y) => y[0], terminal: true, direction: -1 },
      });
      expect(r.status).toBe(1);
      expect(r.tEvents[0].length).toBe(1);
      // the solution is a quadratic, which every method's dense output reproduces exactly
      expect(r.tEvents[0][0]).toBeCloseTo(tLand, 10);
      expect(r.yEvents[0].shape).toEqual([1, 2]);
      expect(r.yEvents[0].get(0, 0)).toBeCloseTo(0, 9);
      expect(r.yEvents[0].get(0, 1)).toBeCloseTo(-9.81 * tLand, 9);
      expect(r.t[r.t.length - 1]).toBe(r.tEvents[0][0]);
    },
  );

  it('non-terminal events record every crossing, filtered by direction', () => {
    // x = cos t crosses zero at π/2 + kπ; downward at π/2, 5π/2, ...; upward at 3π/2, 7π/2, ...
    const osc = (_t: number, y: Float64Array, dy: Float64Array): void => {
      dy[0] = y[1];
      dy[1] = -y[0];
    };
    const r = solveIVP(osc, [0, 4 * Math.PI], [1, 0], {
      rtol: 1e-10,
      atol: 1e-12,
      events: [
        (_t, y) => y[0],
        { g: (_t, y) => y[0], direction: 1 },
        { g: (_t, y) => y[0], direction: -1 },
      ],
    });
    expect(r.status).toBe(0);
    const expectTimes = (got: Float64Array, want: number[]) => {
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 8);
    };
    const h = Math.PI / 2;
    expectTimes(r.tEvents[0], [h, 3 * h, 5 * h, 7 * h]);
    expectTimes(r.tEvents[1], [3 * h, 7 * h]);
    expectTimes(r.tEvents[2], [h, 5 * h]);
  });

  it('tEval points after a terminal event are not produced', () => {
    const r = solveIVP(fall, [0, 3], [10, 0], {
      tEval: [0, 0.5, 1, 1.5, 2, 2.5],
      events: { g: (_t, y) => y[0], terminal: true },
    });
    expect(Array.from(r.t)).toEqual([0, 0.5, 1]);
    expect(r.status).toBe(1);
  });
});

describe('dense output', () => {
  it('sol(t) interpolates the whole interval to the tolerance', () => {
    const r = solveIVP(
      (t, y, dy) => {
        dy[0] = y[0] * Math.cos(t);
      },
      [0, 10],
      [1],
      { rtol: 1e-10, atol: 1e-12, denseOutput: true },
    );
    let worst = 0;
    for (let t = 0; t <= 10; t += 0.0137)
      worst = Math.max(worst, Math.abs(r.sol!(t)[0] - Math.exp(Math.sin(t))));
    expect(worst).toBeLessThan(1e-8);
    expect(r.sol!(10)[0]).toBeCloseTo(Math.exp(Math.sin(10)), 9);
    expect(() => r.sol!(11)).toThrow();
  });
});
