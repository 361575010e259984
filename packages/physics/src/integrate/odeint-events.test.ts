import { grad } from '@sciml/autodiff';
import {
  type NDArray,
  ShapeError,
  ValueError,
  array,
  mul,
  neg,
  reshape,
  slice,
  stack,
  sub,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeintEvents } from './odeint-events.js';
import { solveIVP } from './solve-ivp.js';

const tight = { rtol: 1e-12, atol: 1e-12 };
// a ball dropped from height h under gravity g: lands at t* = √(2h/g) with velocity −√(2hg)
const fall = (_t: number, y: NDArray, g: NDArray) => stack([slice(y, 1), neg(reshape(g, []))]);
const ground = {
  g: (_t: number, y: NDArray) => slice(y, 0),
  terminal: true,
  direction: -1 as const,
};

describe('odeintEvents', () => {
  it('stops at a terminal event: landing time and velocity of a dropped ball match the closed form', () => {
    const r = odeintEvents(fall, array([2, 0]), [0, 0.25, 0.5, 1, 2], array([9.81]), {
      ...tight,
      events: ground,
    });
    const tStar = Math.sqrt((2 * 2) / 9.81);
    expect(r.terminated).toBe(true);
    expect(r.tEvents.shape).toEqual([1]);
    expect(r.tEvents.get(0)).toBeCloseTo(tStar, 11);
    expect(r.yEvents.get(0, 1)).toBeCloseTo(-Math.sqrt(2 * 2 * 9.81), 10);
    expect(Math.abs(r.yEvents.get(0, 0))).toBeLessThan(1e-11);
    // the rows before the landing are kept, the ones after it dropped
    expect(Array.from(r.t)).toEqual([0, 0.25, 0.5]);
    expect(r.ys.shape).toEqual([3, 2]);
    expect(r.ys.get(2, 0)).toBeCloseTo(2 - 0.5 * 9.81 * 0.25, 11);
  });

  it('event time and state are differentiable (implicit function theorem) in every gradient mode', () => {
    const h = 2;
    const g = 9.81;
    // closed forms: t* = √(2h/g), v* = −√(2hg)
    const dtdh = 1 / Math.sqrt(2 * h * g);
    const dtdg = -0.5 * Math.sqrt(2 * h) * g ** -1.5;
    const dvdh = -Math.sqrt(g / (2 * h));
    const dvdg = -0.5 * Math.sqrt((2 * h) / g);
    const modes = [
      { gradient: 'direct' },
      { gradient: 'adjoint' },
      { gradient: 'checkpoint' },
      { gradient: 'checkpoint', method: 'Radau', rtol: 1e-10, atol: 1e-10 },
    ] as const;
    for (const mode of modes) {
      const opts = { ...tight, ...mode, events: ground };
      const tLand = (y0: NDArray, gg: NDArray) =>
        sum(odeintEvents(fall, y0, [0, 5], gg, opts).tEvents);
      const [dy0, dg] = grad(tLand, { argnums: [0, 1] })(array([h, 0]), array([g]));
      expect(dy0.get(0)).toBeCloseTo(dtdh, 8);
      expect(dg.get(0)).toBeCloseTo(dtdg, 8);
      const vLand = (y0: NDArray, gg: NDArray) =>
        sum(slice(odeintEvents(fall, y0, [0, 5], gg, opts).yEvents, 0, 1));
      const [vy0, vg] = grad(vLand, { argnums: [0, 1] })(array([h, 0]), array([g]));
      expect(vy0.get(0)).toBeCloseTo(dvdh, 7);
      expect(vg.get(0)).toBeCloseTo(dvdg, 7);
    }
  });

  it('an event function with its own parameter: t* = ln(y0/c)/k for y′ = −k y crossing y = c', () => {
    type P = { k: NDArray; c: NDArray };
    const decay = (_t: number, y: NDArray, p: P) => mul(neg(p.k), y);
    const level = { g: (_t: number, y: NDArray, p: P) => sub(sum(y), sum(p.c)), terminal: true };
    const k = 1.5;
    const c = 0.2;
    const tStar = (p: P) =>
      sum(odeintEvents(decay, array([1]), [0, 10], p, { ...tight, events: level }).tEvents);
    const dp = grad(tStar)({ k: array([k]), c: array([c]) });
    const t = Math.log(1 / c) / k;
    expect(tStar({ k: array([k]), c: array([c]) }).item()).toBeCloseTo(t, 10);
    expect(dp.k.get(0)).toBeCloseTo(-t / k, 8);
    expect(dp.c.get(0)).toBeCloseTo(-1 / (c * k), 8);
  });

  it('non-terminal events with direction on the harmonic oscillator: cos t crosses 0 at π/2 + mπ', () => {
    const osc = (_t: number, y: NDArray) => stack([slice(y, 1), neg(slice(y, 0))]);
    const both = odeintEvents(osc, array([1, 0]), [0, 5, 10], array([0]), {
      ...tight,
      events: (_t, y) => slice(y, 0),
    });
    expect(both.terminated).toBe(false);
    expect(both.ys.shape).toEqual([3, 2]);
    expect(both.ys.get(2, 0)).toBeCloseTo(Math.cos(10), 10);
    expect(
      Array.from(both.tEvents.dataSync() as ArrayLike<number>).map((t) => +t.toFixed(10)),
    ).toEqual([0.5, 1.5, 2.5].map((m) => +(m * Math.PI).toFixed(10)));
    // only upward crossings (cos t from − to +), and a second event counted separately
    const up = odeintEvents(osc, array([1, 0]), [0, 10], array([0]), {
      ...tight,
      events: [{ g: (_t, y) => slice(y, 0), direction: 1 }, (_t, y) => slice(y, 1)],
    });
    expect(Array.from(up.eventIndex)).toEqual([1, 0, 1, 1]);
    // −sin t = 0 at π, 2π, 3π; cos t upward at 3π/2
    const te = Array.from(up.tEvents.dataSync() as ArrayLike<number>);
    [Math.PI, 1.5 * Math.PI, 2 * Math.PI, 3 * Math.PI].forEach((t, i) => {
      expect(te[i]).toBeCloseTo(t, 10);
    });
    expect(up.yEvents.get(1, 1)).toBeCloseTo(1, 10);
  });

  it('gradient of a nonlinear event time (Lotka–Volterra prey threshold) matches central finite differences', () => {
    const lv = (_t: number, y: NDArray, p: NDArray) => {
      const x = slice(y, 0);
      const z = slice(y, 1);
      const [a, b, c, d] = [0, 1, 2, 3].map((i) => slice(p, i));
      return stack([sub(mul(a, x), mul(mul(b, x), z)), sub(mul(mul(d, x), z), mul(c, z))]);
    };
    const opts = {
      ...tight,
      method: 'DOP853' as const,
      events: {
        g: (_t: number, y: NDArray) => sub(slice(y, 0), 2.5),
        terminal: true,
        direction: 1 as const,
      },
    };
    const loss = (y0: NDArray, p: NDArray) => {
      const r = odeintEvents(lv, y0, [0, 20], p, opts);
      return sum(mul(r.tEvents, r.tEvents));
    };
    const y0 = [1, 0.5];
    const p = [1.1, 0.4, 0.4, 0.1];
    // the crossing itself against solveIVP's event location on the same problem
    const ref = solveIVP(
      (_t, y, dy) => {
        dy[0] = p[0] * y[0] - p[1] * y[0] * y[1];
        dy[1] = p[3] * y[0] * y[1] - p[2] * y[1];
      },
      [0, 20],
      y0,
      { ...tight, events: { g: (_t, y) => y[0] - 2.5, terminal: true, direction: 1 } },
    );
    const r = odeintEvents(lv, array(y0), [0, 20], array(p), opts);
    expect(r.tEvents.shape).toEqual([1]);
    expect(r.tEvents.get(0)).toBeCloseTo(ref.tEvents[0][0], 9);
    expect(r.yEvents.get(0, 1)).toBeCloseTo(ref.yEvents[0].get(0, 1), 9);
    const [gy, gp] = grad(loss, { argnums: [0, 1] })(array(y0), array(p));
    const eps = 1e-6;
    const fd = (v: number[], i: number, at: (w: number[]) => number) => {
      const up = [...v];
      const dn = [...v];
      up[i] += eps;
      dn[i] -= eps;
      return (at(up) - at(dn)) / (2 * eps);
    };
    const lossAt = (yy: number[], pp: number[]) => loss(array(yy), array(pp)).item();
    for (let i = 0; i < 2; i++) {
      const ref = fd(y0, i, (w) => lossAt(w, p));
      expect(Math.abs(gy.get(i) - ref)).toBeLessThan(1e-6 * Math.abs(ref) + 1e-8);
    }
    for (let i = 0; i < 4; i++) {
      const ref = fd(p, i, (w) => lossAt(y0, w));
      expect(Math.abs(gp.get(i) - ref)).toBeLessThan(1e-6 * Math.abs(ref) + 1e-8);
    }
  });

  it('rejects no events and an event function that does not return one value', () => {
    expect(() => odeintEvents(fall, array([2, 0]), [0, 1], array([9.81]), { events: [] })).toThrow(
      ValueError,
    );
    expect(() =>
      odeintEvents(fall, array([2, 0]), [0, 1], array([9.81]), { events: (_t, y) => y }),
    ).toThrow(ShapeError);
  });
});
