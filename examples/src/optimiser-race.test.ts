import { describe, expect, it } from 'vitest';
import { lastRatio, measuredOrder, measuredRate, optimiserRace } from './optimiser-race.js';

describe('optimiser race', () => {
  const r = optimiserRace({ kappa: 100, n: 10, steps: 300 });

  it('GD, heavy ball and Nesterov contract at the theory rates on a κ = 100 quadratic', () => {
    expect(measuredRate(r.quadratic.GD)).toBeCloseTo(0.99, 10); // slowest mode exactly (1 − 1/κ)ᵏ
    // double roots at the spectrum's ends give k·ρᵏ: a 1 % bias over 150 steps
    expect(Math.abs(measuredRate(r.quadratic['heavy ball']) - 9 / 11)).toBeLessThan(0.01);
    expect(Math.abs(measuredRate(r.quadratic.Nesterov) - 0.9)).toBeLessThan(0.01);
    // the accelerated methods are the √κ-faster ones
    expect(r.quadratic.Nesterov[300]!).toBeLessThan(1e-8 * r.quadratic.GD[300]!);
  });

  it('Newton is quadratic, BFGS and LM superlinear, L-BFGS linear on Rosenbrock', () => {
    expect(measuredOrder(r.rosenbrock.Newton)).toBeGreaterThan(1.8);
    expect(measuredOrder(r.rosenbrock.Newton)).toBeLessThan(2.2);
    expect(measuredOrder(r.rosenbrock.BFGS)).toBeGreaterThan(1.3);
    expect(lastRatio(r.rosenbrock.BFGS)).toBeLessThan(1e-2);
    expect(lastRatio(r.rosenbrock.LM)).toBeLessThan(1e-2);
    for (const e of Object.values(r.rosenbrock)) expect(e[e.length - 1]!).toBeLessThan(1e-9);
  });
});
