import { describe, expect, it } from 'vitest';
import { exactIsing } from '../test-utils/ising-exact.js';
import { exactIsingObservables } from './ising-exact.js';

describe('exactIsingObservables', () => {
  for (const L of [2, 3, 4]) {
    it(`equals the brute-force sum over all 2^${L * L} states for L = ${L} (to its rounding)`, () => {
      for (const T of [0.8, 1.5, 2.27, 3.5, 10]) {
        const got = exactIsingObservables(L, T);
        const want = exactIsing(L, T);
        expect(got.absMagnetization).toBeCloseTo(want.absMagnetization, 10);
        expect(got.energy).toBeCloseTo(want.energy, 10);
      }
    });
  }

  it('reaches the ordered and the disordered limits without overflow', () => {
    // T = 0.2 on 6 × 6: e^{72/T} = e^{360} would overflow unscaled weights; the lowest excitation costs ΔE = 8
    const cold = exactIsingObservables(6, 0.2);
    expect(1 - cold.absMagnetization).toBeLessThan(1e-15);
    expect(cold.energy + 2).toBeLessThan(1e-15);
    // high T: ⟨E⟩/N = −2 tanh(1/T) + O(T⁻³), and ⟨|m|⟩ tends to that of independent spins
    const hot = exactIsingObservables(5, 1e4);
    expect(hot.energy).toBeCloseTo(-2 * Math.tanh(1e-4), 9);
  });

  it('gives the L = 8 values that the Ising RBM test compares against, agreeing with long Wolff chains', () => {
    // the Ising RBM test's earlier reference, 2^15 Wolff sweeps with blocking errors: 0.7764 ± 0.0014, −1.4907 ± 0.0022
    const t227 = exactIsingObservables(8, 2.27);
    expect(Math.abs(t227.absMagnetization - 0.7764)).toBeLessThan(3 * 0.0014);
    expect(Math.abs(t227.energy + 1.4907)).toBeLessThan(3 * 0.0022);
    // and 0.2506 ± 0.0010, −0.6659 ± 0.0014 at T = 3.5
    const t35 = exactIsingObservables(8, 3.5);
    expect(Math.abs(t35.absMagnetization - 0.2506)).toBeLessThan(3 * 0.001);
    expect(Math.abs(t35.energy + 0.6659)).toBeLessThan(3 * 0.0014);
  });

  it('refuses lattices it cannot sum and non-physical temperatures', () => {
    expect(() => exactIsingObservables(11, 2)).toThrow(/exactIsingObservables.*\[2, 10\]/);
    expect(() => exactIsingObservables(1, 2)).toThrow(/exactIsingObservables/);
    expect(() => exactIsingObservables(4, 0)).toThrow(/temperature must be positive/);
    expect(() => exactIsingObservables(4, Number.NaN)).toThrow(/temperature/);
  });
});
