import { describe, expect, it } from 'vitest';
import { odeAdjoint } from './pullbacks.js';

describe('pullbacks (slow)', () => {
  it('L-BFGS on adjoint gradients learns the damping and stiffness of the oscillator within 1 %', () => {
    const o = odeAdjoint();
    expect(o.relGap).toBeLessThan(1e-5);
    expect(Math.abs(o.fitted[0]! - 0.3) / 0.3).toBeLessThan(0.01);
    expect(Math.abs(o.fitted[1]! - 4) / 4).toBeLessThan(0.01);
  });
});
