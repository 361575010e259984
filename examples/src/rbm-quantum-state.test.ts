import { describe, expect, it } from 'vitest';
import { rbmGroundState } from './rbm-quantum-state.js';

describe('RBM quantum state', () => {
  it('stochastic reconfiguration brings two particles in a 2-D trap to E = 2', () => {
    const r = rbmGroundState({ iterations: 30, samples: 600, seed: 2 });
    expect(r.energies[0]!).toBeGreaterThan(r.energy); // variational: the start lies above
    expect(Math.abs(r.energy - 2)).toBeLessThan(0.01);
  });
});

describe('RBM quantum state with Coulomb repulsion', () => {
  it("stays variational above Taut's exact E = 3 and within 5 % of it", () => {
    const r = rbmGroundState({ coulomb: true, iterations: 60, samples: 1500, seed: 1 });
    expect(r.energy).toBeGreaterThan(3 - 4 * r.error);
    expect(r.energy).toBeLessThan(3.15);
  });
});
