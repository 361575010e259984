import { describe, expect, it } from 'vitest';
import { differenceAdjoint, matrixPullbacks, odeAdjoint } from './pullbacks.js';

describe('pullbacks', () => {
  it('X⁻¹: pullback −X⁻ᵀȲX⁻ᵀ, Jacobian −(X⁻ᵀ ⊗ X⁻¹); JVPs give columns, VJPs rows; ∇tr(MᵀX) = M', () => {
    const m = matrixPullbacks(3, 4);
    expect(m.inversePullback).toBeLessThan(1e-12);
    expect(m.inverseJacobian).toBeLessThan(1e-12);
    expect(m.columns).toBeLessThan(1e-12);
    expect(m.rows).toBeLessThan(1e-12);
    expect(m.traceGradient).toBeLessThan(1e-14);
  });

  it('the central difference with zero boundary values is skew: (d/dx)ᵀ = −d/dx', () => {
    const d = differenceAdjoint(30);
    expect(d.adjointGap).toBe(0);
    expect(Math.abs(d.innerLeft)).toBeGreaterThan(1e-3); // a non-trivial pairing
    expect(d.innerLeft).toBeCloseTo(d.innerRight, 12);
  });

  it('the ODE adjoint gradient equals central differences', () => {
    const o = odeAdjoint({ outputs: 6, fit: false });
    expect(o.relGap).toBeLessThan(1e-5);
  });
});
