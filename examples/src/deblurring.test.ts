import { describe, expect, it } from 'vitest';
import { deblurring } from './deblurring.js';

describe('ill-posed deblurring', () => {
  const r = deblurring({ n: 60, sgdEpochs: 80 });

  it('the naive inverse explodes; every regulariser recovers the signal to a few per cent', () => {
    expect(r.naive).toBeGreaterThan(1e3);
    for (const o of r.tikhonovOrders) expect(o.oracle.error).toBeLessThan(0.1);
    expect(r.tsvd.error).toBeLessThan(0.1);
    expect(Math.abs(r.tsvd.check)).toBeLessThan(1e-12); // tsvdSolve = the TSVD filter
  });

  it('the discrepancy principle meets ‖Ax_α − b‖ = δ for Tikhonov of order 0, 1 and 2', () => {
    for (const o of r.tikhonovOrders)
      expect(Math.abs(o.discrepancy.residualNorm - r.problem.delta) / r.problem.delta).toBeLessThan(
        1e-8,
      );
  });

  it('Landweber iterates are the filter 1 − (1 − ωσ²)ᵏ and semi-converge; SGD semi-converges too', () => {
    expect(r.landweber.iterationVsFilter).toBeLessThan(1e-7);
    const best = Math.min(...r.landweber.errors);
    expect(best).toBeLessThan(0.5 * r.landweber.errors.at(-1)!);
    expect(r.landweber.kBest).toBeGreaterThan(1);
    expect(r.landweber.kBest).toBeLessThan(1e7);
    const sgdBest = Math.min(...r.sgd);
    expect(sgdBest).toBeLessThan(0.8 * r.sgd.at(-1)!);
    expect(r.sgd.indexOf(sgdBest)).toBeGreaterThan(0);
  });

  it('GCV lands near the oracle; trace of the resolution matrix is Σ σᵢ²/(σᵢ² + α²)', () => {
    expect(r.gcv.error / r.tikhonovOrders[0]!.oracle.error).toBeLessThan(2);
    expect(Math.abs(r.resolution.traceR - r.resolution.sumF)).toBeLessThan(
      1e-10 * r.resolution.sumF,
    );
    // the resolution matrix is symmetric with rows that peak on the diagonal
    const R = r.resolution.R;
    expect(Math.abs(R.get(10, 30) - R.get(30, 10))).toBeLessThan(1e-12);
    const row = Array.from({ length: 60 }, (_, j) => R.get(30, j));
    expect(row.indexOf(Math.max(...row))).toBe(30);
  });
});
