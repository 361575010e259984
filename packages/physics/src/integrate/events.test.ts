import { NotFiniteError, array, mul, slice, stack } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkEventNumber, crosses, eventValue, illinois } from './events.js';
import { odeintEvents } from './odeint-events.js';
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

describe('event errors name the caller', () => {
  const nanEvent = { g: () => Number.NaN, terminal: false, direction: 0 as const };
  it('eventValue carries the op it is given, not always solveIVP', () => {
    const y = new Float64Array([1]);
    for (const op of ['solveIVP', 'odeintEvents', 'myIntegrator']) {
      expect(() => eventValue(op, nanEvent, 2, 0.5, y)).toThrow(NotFiniteError);
      expect(() => eventValue(op, nanEvent, 2, 0.5, y)).toThrow(
        new RegExp(`^${op}: event 2 returned NaN at t = 0.5;`),
      );
    }
    expect(() => checkEventNumber('odeintEvents', undefined, 0, 1)).toThrow(
      /^odeintEvents: event 0 returned undefined at t = 1;/,
    );
    // ±Infinity is a sign and passes through
    expect(eventValue('solveIVP', { ...nanEvent, g: () => -Infinity }, 0, 0, y)).toBe(-Infinity);
  });

  it('each public entry point reports a NaN event under its own name', () => {
    const decay = (_t: number, y: Float64Array, d: Float64Array) => {
      d[0] = -y[0];
    };
    expect(() => solveIVP(decay, [0, 1], [1], { events: () => Number.NaN })).toThrow(
      /^solveIVP: event 0 returned NaN/,
    );
    expect(() =>
      odeintEvents((_t, y) => mul(y, -1), array([1]), [0, 1], array([0]), {
        events: (_t, y) => mul(slice(y, 0), Number.NaN),
      }),
    ).toThrow(/^odeintEvents: event 0 returned NaN/);
    // and a shape error of odeintEvents' own NDArray events is its own, too
    expect(() =>
      odeintEvents((_t, y) => mul(y, -1), array([1, 2]), [0, 1], array([0]), {
        events: (_t, y) => stack([slice(y, 0), slice(y, 1)]),
      }),
    ).toThrow(/^odeintEvents: event 0 returned shape \[2\]/);
  });
});
