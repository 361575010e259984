import { describe, expect, it } from 'vitest';
import { nonlinearCoverage } from './confidence-sets.js';

describe('confidence sets (slow)', () => {
  it('linearised set of θ₀e^(−θ₁t): coverage 0.95 within 3.5 Monte Carlo standard errors over 1000 fits', () => {
    const r = nonlinearCoverage({ replications: 1000, seed: 11 });
    expect(Math.abs(r.coverage - 0.95)).toBeLessThan(3.5 * Math.sqrt((0.95 * 0.05) / 1000));
  });
});
