import { describe, expect, it } from 'vitest';
import { pagerankExperiment } from './pagerank.js';

describe('PageRank', () => {
  it('the sparse power method equals the direct solve and contracts at rate α', () => {
    const r = pagerankExperiment(300, 0.85, 40);
    expect(r.difference).toBeLessThan(1e-12);
    expect(r.sum).toBeCloseTo(1, 12);
    expect(Math.abs(r.rate - 0.85)).toBeLessThan(1e-3); // |λ₂(G)| = α: the closed 2-cycle 0 ⇄ 1
    expect(r.power.iterations).toBeLessThanOrEqual(Math.ceil(Math.log(1e-13 / 2) / Math.log(0.85)));
    for (let k = 0; k < r.errors.length; k++)
      expect(r.errors[k]!).toBeLessThanOrEqual(2 * 0.85 ** k + 1e-15);
  });
});
