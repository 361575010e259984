import { describe, expect, it } from 'vitest';
import { pinnBoundaryConditions } from './pinn-boundary-conditions.js';

describe('PINN hard vs soft boundary conditions', () => {
  it('the hard constraint holds exactly and is more accurate than the soft one at the same budget', () => {
    const r = pinnBoundaryConditions({ adamSteps: 150, lbfgsIterations: 100 });
    expect(r.hard.boundaryViolation).toBe(0);
    expect(r.soft.boundaryViolation).toBeGreaterThan(0);
    expect(r.hard.error).toBeLessThan(1e-2);
    expect(r.soft.error).toBeLessThan(0.2); // it does learn sin(πx) …
    expect(r.hard.error).toBeLessThan(r.soft.error); // … less well
  });
});
