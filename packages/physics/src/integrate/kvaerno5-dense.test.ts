import { describe, expect, it } from 'vitest';
import { solveIVP } from './solve-ivp.js';

const oscillator = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -y[0];
};

/** Max |y₀(t) − cos t| over the given output times (or the steps when none are given). */
function worstError(rtol: number, tEval?: number[]): number {
  const r = solveIVP(oscillator, [0, 10], [1, 0], { method: 'Kvaerno5', rtol, atol: rtol, tEval });
  let worst = 0;
  for (let j = 0; j < r.t.length; j++)
    worst = Math.max(worst, Math.abs(r.y.get(0, j) - Math.cos(r.t[j])));
  return worst;
}

describe("Kvaerno5's Hermite dense output (documented accuracy)", () => {
  const tEval = Array.from({ length: 1001 }, (_, i) => i * 0.01);
  it.each([
    // rtol, measured error at the steps, measured error between the steps (cubic Hermite)
    [1e-6, 1.55e-5, 4.4e-5],
    [1e-10, 1.45e-9, 1.7e-8],
  ])('rtol %d: error at the steps and on the interpolant as documented', (rtol, atSteps, dense) => {
    const steps = worstError(rtol);
    const between = worstError(rtol, tEval);
    expect(steps).toBeLessThan(2 * atSteps);
    expect(between).toBeLessThan(2 * dense);
    // the interpolant, not the steps, limits the accuracy of tEval — more so at tight tolerances
    expect(between).toBeGreaterThan(2 * steps);
  });
});
