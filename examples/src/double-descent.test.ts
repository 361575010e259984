import { describe, expect, it } from 'vitest';
import { asymptoticRisk, doubleDescent, exactRisk } from './double-descent.js';

describe('double descent', () => {
  it('uses the corrected risk: positive below γ = 1 and the exact finite-n risk tends to it', () => {
    expect(asymptoticRisk(0.5, 1, 1)).toBeCloseTo(1, 14); // σ²γ/(1−γ), not the notes' −1
    expect(asymptoticRisk(2, 0.25, 1)).toBeCloseTo(0.5 + 0.25, 14);
    expect(exactRisk(4000, 2000, 1, 1)).toBeCloseTo(asymptoticRisk(0.5, 1, 1), 2);
    expect(exactRisk(2000, 4000, 0.25, 1)).toBeCloseTo(asymptoticRisk(2, 0.25, 1), 2);
  });

  it('Monte Carlo risk of min-norm least squares matches the exact formula, and the cosine curve peaks at γ = 1', () => {
    const r = doubleDescent({ n: 20, ps: [10, 20, 40], trials: 150, seed: 1 });
    const s2 = r.sigma ** 2;
    // γ = 0.5: σ²p/(n−p−1) = 0.2778; γ = 2: ‖θ‖²/2 + σ²n/(p−n−1) = 0.7632 (MC error of 150 draws ≈ 5 %)
    expect(r.gaussianRisk[0]).toBeGreaterThan(0.8 * exactRisk(20, 10, s2, 1));
    expect(r.gaussianRisk[0]).toBeLessThan(1.2 * exactRisk(20, 10, s2, 1));
    expect(r.gaussianRisk[2]).toBeGreaterThan(0.9 * exactRisk(20, 40, s2, 1));
    expect(r.gaussianRisk[2]).toBeLessThan(1.1 * exactRisk(20, 40, s2, 1));
    // at γ = 1 the risk is infinite in expectation: far above both sides
    expect(r.gaussianRisk[1]).toBeGreaterThan(5 * r.gaussianRisk[2]!);
    const [below, at, above] = r.cosineTestError;
    expect(at).toBeGreaterThan(3 * below!);
    expect(at).toBeGreaterThan(3 * above!);
  });
});
