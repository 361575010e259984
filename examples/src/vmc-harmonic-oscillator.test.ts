import { describe, expect, it } from 'vitest';
import { alphaScan, gaussianEnergy, gaussianVariance } from './vmc-harmonic-oscillator.js';

describe('VMC of the harmonic oscillator', () => {
  it('⟨E⟩(α) = α/2 + 1/(8α) within 4 blocking errors, and zero variance at α = ½', () => {
    for (const r of alphaScan([0.35, 0.5, 0.7], 4000, 1)) {
      expect(Math.abs(r.energy - gaussianEnergy(r.alpha))).toBeLessThan(4 * r.error + 1e-12);
      if (r.alpha === 0.5) {
        expect(r.energy).toBeCloseTo(0.5, 12);
        expect(r.variance).toBeLessThan(1e-20);
      } else
        expect(
          Math.abs(r.variance - gaussianVariance(r.alpha)) / gaussianVariance(r.alpha),
        ).toBeLessThan(0.5);
    }
  });
});
