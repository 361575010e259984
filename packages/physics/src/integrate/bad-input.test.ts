// Runaway loops and silent non-events in solveIVP (issue 26), as one table, plus the behaviour that
// replaces them: every run bounded, every stop explained.
import { NotFiniteError, ValueError } from '@sciml/linalg';
import { type BadInputRow, describeBadInputs } from '@sciml/config/test-helpers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS } from './budget.js';
import { solveIVP } from './solve-ivp.js';

const decay = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = -y[0]!;
};
// y' = −sign(y) from y = 0.1: y reaches 0 at t = 0.1, then the right-hand side switches at every step
const chatter = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[0]! > 0 ? -1 : 1;
};

const BAD_INPUTS: BadInputRow[] = [
  // before: accepted, and asked for 10³⁰⁰ steps
  [
    'RK4 with dt = 1e-300',
    () => solveIVP(decay, [0, 1], [1], { method: 'RK4', dt: 1e-300 }),
    ValueError,
    /^solveIVP: dt = 1e-300 needs at least 1\.00e\+300 steps .* more than maxSteps = 1000000: the step is too small/,
  ],
  [
    'RK45 with maxStep = 1e-300',
    () => solveIVP(decay, [0, 1], [1], { maxStep: 1e-300 }),
    ValueError,
    /^solveIVP: maxStep = 1e-300 needs at least 1\.00e\+300 steps/,
  ],
  [
    'maxSteps Infinity',
    () => solveIVP(decay, [0, 1], [1], { maxSteps: Number.POSITIVE_INFINITY }),
    ValueError,
    /maxSteps must be a finite integer ≥ 1, got Infinity/,
  ],
  // before: the event never fired and the solve reported success
  [
    'an event returning NaN',
    () => solveIVP(decay, [0, 1], [1], { events: () => Number.NaN }),
    NotFiniteError,
    /^solveIVP: event 0 returned NaN at t = 0; .*never fires/,
  ],
  [
    'an event turning NaN on the way',
    () =>
      solveIVP(decay, [0, 1], [1], { events: [(t) => t - 2, (t) => (t > 0.5 ? Number.NaN : 1)] }),
    NotFiniteError,
    /^solveIVP: event 1 returned NaN at t = 0\.[5-9]/,
  ],
  [
    'an event returning undefined',
    () => solveIVP(decay, [0, 1], [1], { events: (() => undefined) as never }),
    NotFiniteError,
    /event 0 returned undefined/,
  ],
];

describeBadInputs('bad input to solveIVP: a typed error naming the cause', BAD_INPUTS);

describe('every integration is bounded and says why it stopped', () => {
  it('a discontinuous right-hand side at rtol 1e-10 stops near t = 0.1 naming the likely cause', () => {
    // before: steps of ~1e-12 near t = 0.1, about 10¹² of them to reach t = 1
    const sol = solveIVP(chatter, [0, 1], [0.1], { rtol: 1e-10, atol: 1e-12 });
    expect(sol.success).toBe(false);
    expect(sol.status).toBe(-1);
    expect(sol.message).toMatch(/^the integration stalled near t = 0\.1/);
    expect(sol.message).toMatch(/discontinuous/);
    expect(sol.nsteps + sol.nrejected).toBeLessThan(DEFAULT_MAX_STEPS);
    // the solution is right up to the stall: y = 0.1 − t before it
    const before = Array.from(sol.t).findIndex((v) => v > 0.05);
    expect(sol.y.get(0, before)).toBeCloseTo(0.1 - sol.t[before]!, 8);
  });

  it('an exhausted budget names maxSteps and the likely causes', () => {
    const sol = solveIVP(chatter, [0, 1], [0.1], { rtol: 1e-10, atol: 1e-12, maxSteps: 500 });
    expect(sol.success).toBe(false);
    expect(sol.message).toMatch(
      /^reached maxSteps = 500 before t1 = 1 .*discontinuous.*raise maxSteps/,
    );
  });

  it('an honest problem runs as before, and a big explicit maxSteps is honoured', () => {
    const sol = solveIVP(decay, [0, 1], [1], { rtol: 1e-10, atol: 1e-12, maxSteps: 5_000_000 });
    expect(sol.success).toBe(true);
    expect(sol.y.get(0, sol.t.length - 1)).toBeCloseTo(Math.exp(-1), 9);
    const fine = solveIVP(decay, [0, 1], [1], { method: 'RK4', dt: 1e-6 });
    expect(fine.success).toBe(true);
  });

  it('an event that is finite fires as before', () => {
    const sol = solveIVP(decay, [0, 1], [1], {
      events: (_t, y) => y[0]! - 0.5,
      rtol: 1e-10,
      atol: 1e-12,
    });
    expect(sol.tEvents[0]![0]).toBeCloseTo(Math.LN2, 8);
  });
});
