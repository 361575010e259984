import { describe, expect, it } from 'vitest';
import {
  digitsMosaic,
  eckartYoung,
  marchenkoPastur,
  marchenkoPasturDensity,
  rankAboveNoiseEdge,
} from './eckart-young.js';

describe('Eckart–Young–Mirsky', () => {
  it('‖A − A_k‖₂ = σₖ₊₁ and ‖A − A_k‖_F² = Σ_{i>k} σᵢ² on a digits mosaic', async () => {
    const image = await digitsMosaic(2, 3);
    expect(image.shape).toEqual([56, 84]);
    for (const r of eckartYoung(image, [1, 5, 10, 30])) {
      expect(Math.abs(r.spectral - r.sigmaNext) / r.sigmaNext).toBeLessThan(1e-10);
      expect(Math.abs(r.frobeniusSq - r.tailSumSq) / r.tailSumSq).toBeLessThan(1e-10);
      expect(r.energy).toBeGreaterThan(0);
      expect(r.energy).toBeLessThan(1);
    }
  });
});

describe('Marchenko–Pastur', () => {
  it('the MP density integrates to 1', () => {
    const beta = 0.25;
    const [lo, hi] = [(1 - 0.5) ** 2, (1 + 0.5) ** 2];
    const N = 100000;
    let s = 0;
    for (let i = 0; i < N; i++) s += marchenkoPasturDensity(lo + ((i + 0.5) * (hi - lo)) / N, beta);
    expect(s * ((hi - lo) / N)).toBeCloseTo(1, 4);
  });

  it('Gaussian noise singular values fill √n(1 ± √(m/n)) and follow the MP law', () => {
    const mp = marchenkoPastur(100, 400, 5);
    // edges √400·(1 ± 0.5) = 10, 30; finite-size Tracy–Widom fluctuations are O(n^(-2/3)) relative
    expect(Math.abs(mp.sigmaMax - 30) / 30).toBeLessThan(0.03);
    expect(Math.abs(mp.sigmaMin - 10) / 10).toBeLessThan(0.08);
    expect(mp.ks).toBeLessThan(0.05);
  });

  it('counting singular values above the noise edge recovers the rank of low-rank + noise', () => {
    expect(rankAboveNoiseEdge(60, 120, 4, 0.3).estimated).toBe(4);
  });
});
