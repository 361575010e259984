import { describe, expect, it } from 'vitest';
import { depthVsWidth, hatExperiment } from './universal-approximation.js';

describe('universal approximation', () => {
  it('the hand-built ReLU network is the P1 interpolant, with error ≤ h²‖f″‖/8 and order 2', () => {
    const rows = hatExperiment([8, 16, 32], 801);
    for (const r of rows) {
      expect(r.netVsP1).toBeLessThan(1e-13);
      expect(r.error).toBeLessThanOrEqual(r.bound);
      expect(r.error).toBeGreaterThan(0.5 * r.bound); // the bound is nearly attained by sin(2πx)
    }
    expect(Math.log2(rows[1]!.error / rows[2]!.error)).toBeCloseTo(2, 1);
  });

  it('depth vs width: N_d ≈ 2 512 for d = 1000, d̃ = 2, r = 10, ε = 1e-2; shallow needs 10²⁰⁰', () => {
    const c = depthVsWidth(1000, 2, 10, 1e-2);
    expect(c.deep).toBeCloseTo(2511.886, 2);
    expect(Math.round(c.deep)).toBe(2512);
    expect(c.log10Shallow).toBeCloseTo(200, 12);
  });
});
