import { ConvergenceError, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { Lorenz63 } from '../systems/lorenz63.js';
import { LotkaVolterra } from '../systems/lotka-volterra.js';
import { DampedPendulum } from '../systems/pendulum.js';
import { findFixedPoint, fixedPointStability } from './fixed-points.js';

const sorted = (a: Float64Array) => Array.from(a).sort((x, y) => x - y);

describe('fixed points and their eigenvalues', () => {
  const sys = new Lorenz63();
  const { sigma: s, rho: r, beta: b } = sys;

  it('Lorenz-63 origin: eigenvalues −β and (−(σ+1) ± √((σ+1)² + 4σ(ρ−1)))/2, a saddle', () => {
    const st = fixedPointStability(sys.rhs, sys.fixedPoints()[0], { jac: sys.jacobian });
    const disc = Math.sqrt((s + 1) ** 2 + 4 * s * (r - 1));
    const want = [(-(s + 1) - disc) / 2, -b, (-(s + 1) + disc) / 2];
    sorted(st.eigenvaluesRe).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 10);
    });
    for (const v of st.eigenvaluesIm) expect(v).toBe(0);
    expect(st.classification).toBe('saddle');
  });

  it('Lorenz-63 C±: eigenvalues are roots of λ³ + (σ+β+1)λ² + β(σ+ρ)λ + 2σβ(ρ−1); Hopf at ρ_H = σ(σ+β+3)/(σ−β−1)', () => {
    for (const rho of [20, 28]) {
      const L = new Lorenz63({ rho });
      for (const p of L.fixedPoints().slice(1)) {
        const st = fixedPointStability(L.rhs, p, { jac: L.jacobian });
        for (let i = 0; i < 3; i++) {
          // evaluate the characteristic polynomial at the complex root (x + iy)
          const x = st.eigenvaluesRe[i];
          const y = st.eigenvaluesIm[i];
          const c2 = s + b + 1;
          const c1 = b * (s + rho);
          const c0 = 2 * s * b * (rho - 1);
          const re = x ** 3 - 3 * x * y * y + c2 * (x * x - y * y) + c1 * x + c0;
          const im = 3 * x * x * y - y ** 3 + c2 * 2 * x * y + c1 * y;
          expect(Math.hypot(re, im)).toBeLessThan(1e-8 * c0);
        }
        // ρ_H = 24.74: C± are stable spirals below it, unstable (a saddle-focus) above
        expect(st.classification).toBe(rho < 24.74 ? 'stable' : 'saddle');
      }
    }
  });

  it('Newton finds C+ from a nearby guess and the pendulum equilibria', () => {
    const cPlus = findFixedPoint(sys.rhs, [8, 8, 25], { jac: sys.jacobian });
    expect(cPlus[0]).toBeCloseTo(Math.sqrt(b * (r - 1)), 10);
    expect(cPlus[2]).toBeCloseTo(r - 1, 10);
    const pend = new DampedPendulum();
    const top = findFixedPoint(pend.rhs, [3, 0]);
    expect(top[0]).toBeCloseTo(Math.PI, 10);
    expect(fixedPointStability(pend.rhs, top).classification).toBe('saddle');
    expect(fixedPointStability(pend.rhs, [0, 0]).classification).toBe('stable');
    // the undamped pendulum's bottom is a centre: purely imaginary eigenvalues
    expect(fixedPointStability(new DampedPendulum({ damping: 0 }).rhs, [0, 0]).classification).toBe(
      'marginal',
    );
    expect(() => findFixedPoint((_t, y) => [y[0] * y[0] + 1], [1], { maxIter: 5 })).toThrow(
      ConvergenceError,
    );
  });

  it('Lotka–Volterra coexistence point is a centre (±i√(αγ)); maps are judged by |λ| < 1', () => {
    const lv = new LotkaVolterra();
    const st = fixedPointStability(lv.rhs, lv.fixedPoint(), { jac: lv.jacobian });
    expect(st.classification).toBe('marginal');
    expect(Math.max(...st.eigenvaluesIm)).toBeCloseTo(Math.sqrt(1.5 * 3), 10);
    // the linear map u ↦ diag(0.5, 2) u: a saddle; diag(0.5, −0.9): stable
    expect(
      fixedPointStability((_t, u) => [0.5 * u[0], 2 * u[1]], [0, 0], { kind: 'map' })
        .classification,
    ).toBe('saddle');
    expect(
      fixedPointStability((_t, u) => [0.5 * u[0], -0.9 * u[1]], [0, 0], { kind: 'map' })
        .classification,
    ).toBe('stable');
    expect(() => fixedPointStability(lv.rhs, [3, 1.5], { kind: 'orbit' as 'map' })).toThrow(
      ValueError,
    );
  });
});
