import { describe, expect, it } from 'vitest';
import { solveIVP } from './solve-ivp.js';
import type { OdeMethod } from './types.js';
import { logLogSlope } from './test-utils/log-slope.js';

/** y' = y cos t, y(0) = 1: y = exp(sin t). Non-autonomous, so the nodes c matter too. */
const expSin = (t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[0] * Math.cos(t);
};

/** Harmonic oscillator: (cos t, −sin t). */
const oscillator = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -y[0];
};

/** Error at t = 2 of a run with constant step h (adaptive methods pinned by firstStep = maxStep = h and loose tolerances). */
function errorWithStep(method: OdeMethod, h: number): number {
  const T = 2;
  const opts =
    method === 'Euler' || method === 'RK4'
      ? { method, dt: h }
      : { method, firstStep: h, maxStep: h, rtol: 1e3, atol: 1e3 };
  const r = solveIVP(expSin, [0, T], [1], opts);
  expect(r.nsteps).toBe(Math.round(T / h));
  return Math.abs(r.y.get(0, r.t.length - 1) - Math.exp(Math.sin(T)));
}

/** Least-squares slope of log(error) against log(h): the measured order of convergence. */
function measuredOrder(method: OdeMethod, steps: number[]): number {
  return logLogSlope(
    steps,
    steps.map((h) => errorWithStep(method, h)),
  );
}

const halvings = (h0: number, k: number) => Array.from({ length: k }, (_, i) => h0 / 2 ** i);

describe('measured order of convergence on y = exp(sin t)', () => {
  it.each([
    ['Euler', 1, halvings(0.02, 5)],
    ['RK4', 4, halvings(0.1, 5)],
    // 5th order: steps 0.05 … 0.0125, above rounding (errors 1e-10 … 1e-14); Tsitouras' pair, built with
    // small leading error terms, is still pre-asymptotic there (local slopes 5.6 → 5.1), hence the wider band
    ['RK45', 5, halvings(0.05, 3)],
    ['Tsit5', 5, halvings(0.05, 3)],
    ['Rosenbrock23', 2, halvings(0.05, 5)],
    // 8th order: steps 0.4 … 0.1 keep the errors (≈ 1e-8 … 1e-12) above rounding
    ['DOP853', 8, halvings(0.4, 3)],
  ] as const)('%s converges with order %i', (method, order, steps) => {
    const p = measuredOrder(method, [...steps]);
    expect(Math.abs(p - order), `measured ${p.toFixed(3)}`).toBeLessThan(order >= 5 ? 0.4 : 0.15);
  });
});

describe('adaptive methods meet their tolerance', () => {
  const tEval = Array.from({ length: 201 }, (_, i) => i * 0.05);
  const rtols = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10];
  // global error over t ∈ [0, 10] stays within a modest multiple of the local tolerance (measured ≤ 15×
  // for Dormand–Prince, ≤ 18× for Tsit5), and the number of steps grows like rtol^(−1/5)
  it.each(['RK45', 'Tsit5'] as const)(
    '%s: max error over [0, 10] ≤ 20 rtol for rtol = 1e-3 … 1e-10',
    (method) => {
      let prevSteps = 0;
      for (const rtol of rtols) {
        const a = solveIVP(oscillator, [0, 10], [1, 0], { method, rtol, atol: rtol, tEval });
        const b = solveIVP(expSin, [0, 10], [1], { method, rtol, atol: rtol, tEval });
        let ea = 0;
        let eb = 0;
        for (let j = 0; j < tEval.length; j++) {
          const t = tEval[j];
          ea = Math.max(
            ea,
            Math.abs(a.y.get(0, j) - Math.cos(t)),
            Math.abs(a.y.get(1, j) + Math.sin(t)),
          );
          eb = Math.max(
            eb,
            Math.abs(b.y.get(0, j) - Math.exp(Math.sin(t))) / Math.exp(Math.sin(t)),
          );
        }
        expect(ea, `oscillator rtol=${rtol}`).toBeLessThan(20 * rtol);
        expect(eb, `exp(sin t) rtol=${rtol}`).toBeLessThan(20 * rtol);
        expect(a.nsteps).toBeGreaterThan(prevSteps);
        prevSteps = a.nsteps;
      }
      // ten decades of tolerance cost about 10^(7/5) ≈ 25× more steps for a 5th-order method
      const loose = solveIVP(oscillator, [0, 10], [1, 0], {
        method,
        rtol: 1e-3,
        atol: 1e-3,
      }).nsteps;
      expect(prevSteps / loose).toBeGreaterThan(10);
      expect(prevSteps / loose).toBeLessThan(40);
    },
  );

  it('Rosenbrock23: global error shrinks with the tolerance (≈ rtol^(2/3) for an error-per-step 2(3) pair)', () => {
    const errs = [1e-3, 1e-5, 1e-7].map((rtol) => {
      const r = solveIVP(expSin, [0, 10], [1], { method: 'Rosenbrock23', rtol, atol: rtol, tEval });
      let e = 0;
      for (let j = 0; j < tEval.length; j++)
        e = Math.max(e, Math.abs(r.y.get(0, j) - Math.exp(Math.sin(tEval[j]))));
      return e;
    });
    // two decades of tolerance: error down by ~10^(4/3) ≈ 21
    expect(errs[0] / errs[1]).toBeGreaterThan(10);
    expect(errs[1] / errs[2]).toBeGreaterThan(10);
    expect(errs[2]).toBeLessThan(1e-4);
  });
});
