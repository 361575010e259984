import { describe, expect, it } from 'vitest';
import { DOP853, DOP853_D, DOP853_E3, DOP853_E5 } from './methods/dop853.js';
import { DOPRI5, DOPRI5_DENSE } from './methods/dopri5.js';
import { EULER } from './methods/euler.js';
import { RK4 } from './methods/rk4.js';
import { TSIT5, TSIT5_DENSE } from './methods/tsit5.js';
import { orderOf, trees } from './test-utils/order-conditions.js';

describe('Butcher tableaux', () => {
  it('enumerates the 1, 1, 2, 4, 9, 20 rooted trees of orders 1–6', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => trees(n).length)).toEqual([1, 1, 2, 4, 9, 20]);
  });

  const all = [EULER, RK4, DOPRI5, TSIT5, DOP853];
  it.each(all.map((t) => [t.name, t] as const))(
    '%s: Σb = 1 and the rows of A sum to c',
    (_name, tab) => {
      expect(tab.b.length).toBe(tab.stages);
      expect(tab.c.length).toBe(tab.stages);
      expect(tab.b.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      for (let i = 0; i < tab.stages; i++) {
        expect(tab.A[i].length).toBe(i);
        expect(tab.A[i].reduce((s, v) => s + v, 0)).toBeCloseTo(tab.c[i], 13);
      }
      if (tab.bHat) {
        expect(tab.bHat.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
        expect(tab.E!.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 14);
      }
    },
  );

  it.each(all.map((t) => [t.name, t] as const))(
    '%s satisfies exactly the order conditions of its order',
    (_name, tab) => {
      // Tsitouras' coefficients are published to ~16 digits, so its conditions hold to ~1e-13 only; DOP853's
      // (coefficients up to ~60 in size) to ~1e-12. Checked one order past the method's: it must fail there.
      expect(orderOf(tab, tab.b, 1e-11, Math.max(6, tab.order + 1))).toBe(tab.order);
      if (tab.bHat) expect(orderOf(tab, tab.bHat, 1e-12)).toBe(tab.embeddedOrder);
    },
  );

  it('FSAL pairs: the last row of A is b and the last node is 1', () => {
    for (const tab of [DOPRI5, TSIT5, DOP853]) {
      expect(tab.fsal).toBe(true);
      expect(tab.c[tab.stages - 1]).toBe(1);
      expect([...tab.A[tab.stages - 1], 0]).toEqual([...tab.b]);
    }
  });

  it('the dense-output weights reproduce b at θ = 1', () => {
    // Tsit5: bᵢ(1) = Σₚ R[i][p]
    TSIT5_DENSE.forEach((r, i) => {
      expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(TSIT5.b[i], 12);
    });
    // Dormand–Prince: Hairer's d-row sums to zero (the quintic correction vanishes on constants)
    expect(DOPRI5_DENSE.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    // DOP853: the d-rows of the degree-4…7 terms vanish on constants too
    for (const row of DOP853_D) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 11);
  });

  it('DOP853: both error estimators vanish on constants and E3 is b minus a 3rd-order quadrature', () => {
    expect(DOP853_E5.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 13);
    expect(DOP853_E3.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 13);
    // b − E3 = b̂₃ integrates polynomials up to degree 2 exactly: Σ b̂ c^k = 1/(k+1)
    const bHat3 = DOP853.b.map((bi, i) => bi - DOP853_E3[i]);
    for (let k = 0; k <= 2; k++) {
      expect(bHat3.reduce((s, v, i) => s + v * DOP853.c[i] ** k, 0)).toBeCloseTo(1 / (k + 1), 12);
    }
  });
});
