import { describe, expect, it } from 'vitest';
import { chi2Quantile2, fQuantile2, linearCoverage, nonlinearCoverage } from './confidence-sets.js';

describe('confidence sets', () => {
  it('closed-form χ²₂ and F₂,ν quantiles invert their CDFs, and F → χ²/2 as ν → ∞', () => {
    expect(chi2Quantile2(0.95)).toBeCloseTo(5.991464547107979, 12); // tables: 5.991
    expect(fQuantile2(0.95, 18)).toBeCloseTo(3.554557, 5); // tables: F(2, 18; 0.95) = 3.5546
    const x = fQuantile2(0.9, 7);
    expect(1 - (1 + (2 * x) / 7) ** (-7 / 2)).toBeCloseTo(0.9, 12);
    expect(fQuantile2(0.95, 1e7)).toBeCloseTo(chi2Quantile2(0.95) / 2, 5);
  });

  it('linear ellipsoids cover the true β 95 % of the time (σ known and estimated)', () => {
    const r = linearCoverage({ replications: 1500, seed: 7 });
    const se = Math.sqrt((0.95 * 0.05) / 1500); // 0.0056
    expect(Math.abs(r.coverageKnown - 0.95)).toBeLessThan(3.5 * se);
    expect(Math.abs(r.coverageEstimated - 0.95)).toBeLessThan(3.5 * se);
  });

  it('the linearised Gauss–Newton set of an exponential fit covers about 95 %', () => {
    const r = nonlinearCoverage({ replications: 120, seed: 3 });
    expect(r.failed).toBe(0);
    expect(Math.abs(r.coverage - 0.95)).toBeLessThan(3.5 * Math.sqrt((0.95 * 0.05) / 120));
  });
});
