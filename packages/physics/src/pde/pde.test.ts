import { ValueError, svdvals } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { burgers1D, burgersRhs } from './burgers.js';
import { burgersColeHopfPeriodic, burgersReference } from './burgers-reference.js';
import { grid1D } from './grid.js';
import { heatEquation1D, heatRhs } from './heat.js';

const maxAbs = (f: (i: number) => number, n: number) => {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(f(i)));
  return m;
};

/** Central-difference check of an in-place Jacobian of F at u. */
function checkJacobian(
  rhs: (t: number, u: Float64Array, du: Float64Array) => void,
  jac: (t: number, u: Float64Array, J: Float64Array) => void,
  u: Float64Array,
) {
  const n = u.length;
  const J = new Float64Array(n * n);
  jac(0, u, J);
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const up = Float64Array.from(u);
    const um = Float64Array.from(u);
    up[j] += 1e-6;
    um[j] -= 1e-6;
    rhs(0, up, fp);
    rhs(0, um, fm);
    for (let i = 0; i < n; i++)
      expect(Math.abs(J[i * n + j] - (fp[i] - fm[i]) / 2e-6)).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(J[i * n + j])),
      );
  }
}

describe('grids', () => {
  it('periodic grids exclude the right end; Dirichlet grids hold the interior points', () => {
    const p = grid1D(4, [0, 1]);
    expect(Array.from(p.x)).toEqual([0, 0.25, 0.5, 0.75]);
    const d = grid1D(3, [0, 1], 'dirichlet', [1, 2]);
    expect(Array.from(d.x)).toEqual([0.25, 0.5, 0.75]);
    expect(d.boundaryValues).toEqual([1, 2]);
    expect(() => grid1D(2, [0, 1])).toThrow(ValueError);
    expect(() => grid1D(8, [1, 0])).toThrow(ValueError);
  });
});

describe('heat equation (method of lines)', () => {
  it('a Fourier mode decays as the semi-discrete rate exactly and as e^(−νk²t) with spatial order 2', () => {
    const nu = 0.1;
    const k = 2;
    const errs = [16, 32, 64].map((nx) => {
      const s = heatEquation1D({
        nu,
        nx,
        u0: (x) => Math.sin(k * x),
        tSpan: [0, 1],
        tEval: [0, 1],
        rtol: 1e-10,
        atol: 1e-12,
      });
      expect(s.u.shape).toEqual([nx, 2]);
      const dx = (2 * Math.PI) / nx;
      const discreteRate = nu * (4 / dx ** 2) * Math.sin((k * dx) / 2) ** 2;
      expect(
        maxAbs((i) => s.u.get(i, 1) - Math.exp(-discreteRate) * Math.sin(k * s.x[i]), nx),
      ).toBeLessThan(1e-9);
      return maxAbs((i) => s.u.get(i, 1) - Math.exp(-nu * k * k) * Math.sin(k * s.x[i]), nx);
    });
    expect(Math.log2(errs[0] / errs[1])).toBeCloseTo(2, 1);
    expect(Math.log2(errs[1] / errs[2])).toBeCloseTo(2, 1);
  });

  it('Dirichlet: sin(πx) on [0, 1] decays as e^(−νπ²t); fixed ends relax to the linear profile', () => {
    const s = heatEquation1D({
      nu: 0.5,
      nx: 99,
      domain: [0, 1],
      bc: 'dirichlet',
      u0: (x) => Math.sin(Math.PI * x),
      tSpan: [0, 0.2],
      tEval: [0.2],
    });
    expect(
      maxAbs(
        (i) => s.u.get(i, 0) - Math.exp(-0.5 * Math.PI ** 2 * 0.2) * Math.sin(Math.PI * s.x[i]),
        99,
      ),
    ).toBeLessThan(2e-4);
    const steady = heatEquation1D({
      nu: 1,
      nx: 19,
      domain: [0, 1],
      bc: 'dirichlet',
      boundaryValues: [1, 3],
      u0: () => 0,
      tSpan: [0, 5],
      tEval: [5],
      method: 'Rosenbrock23',
    });
    expect(maxAbs((i) => steady.u.get(i, 0) - (1 + 2 * steady.x[i]), 19)).toBeLessThan(1e-5);
  });

  it('on a fine grid the stiff method takes far fewer steps than Dormand–Prince', () => {
    const opts = {
      nu: 1,
      nx: 200,
      u0: Math.sin,
      tSpan: [0, 1] as const,
      tEval: [1],
      rtol: 1e-5,
      atol: 1e-8,
    };
    const explicit = heatEquation1D(opts);
    const stiff = heatEquation1D({ ...opts, method: 'Rosenbrock23' });
    expect(stiff.u.get(50, 0)).toBeCloseTo(explicit.u.get(50, 0), 4);
    expect(stiff.nsteps * 10).toBeLessThan(explicit.nsteps);
  });

  it('the snapshot matrix (nx × nt) of two decaying modes has rank 2 (POD)', () => {
    const s = heatEquation1D({
      nu: 0.05,
      nx: 64,
      u0: (x) => Math.sin(x) + 0.5 * Math.sin(3 * x),
      tSpan: [0, 2],
      rtol: 1e-10,
      atol: 1e-12,
    });
    expect(s.u.shape).toEqual([64, 101]);
    const sv = svdvals(s.u).dataSync();
    expect(sv[1] / sv[0]).toBeGreaterThan(0.05);
    expect(sv[2] / sv[0]).toBeLessThan(1e-9);
  });

  it('heatRhs: the tridiagonal Jacobian matches differences, periodic and Dirichlet', () => {
    const u = Float64Array.from({ length: 6 }, (_, i) => Math.cos(i));
    for (const bc of ['periodic', 'dirichlet'] as const) {
      const { rhs, jacobian } = heatRhs(grid1D(6, [0, 1], bc, [0.5, -1]), 0.3);
      checkJacobian(rhs, jacobian, u);
    }
    expect(() => heatRhs(grid1D(6, [0, 1]), -1)).toThrow(ValueError);
  });
});

describe('viscous Burgers (method of lines)', () => {
  const nu = 0.1;
  it('periodic: converges with order 2 to the Cole–Hopf closed form and conserves Σu dx', () => {
    const errs = [32, 64, 128].map((nx) => {
      const s = burgers1D({
        nu,
        nx,
        domain: [0, 2 * Math.PI],
        u0: (x) => 1 + burgersColeHopfPeriodic(x, 0, nu),
        tSpan: [0, 2],
        tEval: [0, 2],
        rtol: 1e-10,
        atol: 1e-12,
      });
      const mass = (j: number) => {
        let m = 0;
        for (let i = 0; i < nx; i++) m += s.u.get(i, j);
        return m;
      };
      expect(mass(1)).toBeCloseTo(mass(0), 9);
      // u = 1 + w(x − t, t): Galilean shift of the Cole–Hopf solution w
      return maxAbs((i) => s.u.get(i, 1) - 1 - burgersColeHopfPeriodic(s.x[i] - 2, 2, nu), nx);
    });
    expect(Math.log2(errs[0] / errs[1])).toBeCloseTo(2, 0);
    expect(Math.log2(errs[1] / errs[2])).toBeCloseTo(2, 0);
    expect(errs[2]).toBeLessThan(5e-4);
  });

  it('Dirichlet: matches the Cole–Hopf reference of the PINN problem before the front forms', () => {
    const nuPinn = 0.01 / Math.PI;
    const s = burgers1D({
      nu: nuPinn,
      nx: 255,
      bc: 'dirichlet',
      u0: (x) => -Math.sin(Math.PI * x),
      tSpan: [0, 0.25],
      tEval: [0.25],
    });
    const ref = burgersReference(s.x, [0.25], nuPinn);
    expect(maxAbs((i) => s.u.get(i, 0) - ref.get(i, 0), 255)).toBeLessThan(2e-3);
    // the Rusanov flux is first order but stays close too
    const rus = burgers1D({
      nu: nuPinn,
      nx: 255,
      bc: 'dirichlet',
      flux: 'rusanov',
      u0: (x) => -Math.sin(Math.PI * x),
      tSpan: [0, 0.25],
      tEval: [0.25],
    });
    expect(maxAbs((i) => rus.u.get(i, 0) - ref.get(i, 0), 255)).toBeLessThan(5e-2);
  });

  it('burgersRhs: the central-flux Jacobian matches differences', () => {
    const u = Float64Array.from({ length: 7 }, (_, i) => Math.sin(i + 0.3));
    for (const bc of ['periodic', 'dirichlet'] as const) {
      const { rhs, jacobian } = burgersRhs(grid1D(7, [0, 1], bc, [0.2, -0.4]), 0.05);
      checkJacobian(rhs, jacobian!, u);
    }
    expect(burgersRhs(grid1D(7, [0, 1]), 0.05, 'rusanov').jacobian).toBeUndefined();
    expect(() => burgersRhs(grid1D(7, [0, 1]), 0.05, 'upwind' as 'central')).toThrow(ValueError);
  });
});

describe('Burgers reference solution (Cole–Hopf)', () => {
  const nu = 0.01 / Math.PI;
  it("reproduces Basdevant et al.'s maximum slope |u_x| = 152.00516 at x = 0, t = 1.6037/π", () => {
    const h = 1e-6;
    const r = burgersReference([-h, h], [1.6037 / Math.PI], nu);
    expect((r.get(1, 0) - r.get(0, 0)) / (2 * h)).toBeCloseTo(-152.00516, 3);
  });

  it('is odd in x, equals −sin(πx) at t = 0, and vanishes at x = ±1', () => {
    const r = burgersReference([-0.5, 0.5, -1, 1, 0.3], [0, 0.4], nu);
    expect(r.get(0, 0)).toBeCloseTo(1, 15);
    expect(r.get(4, 0)).toBeCloseTo(-Math.sin(0.3 * Math.PI), 15);
    expect(r.get(0, 1)).toBeCloseTo(-r.get(1, 1), 12);
    expect(Math.abs(r.get(2, 1))).toBeLessThan(1e-10);
    expect(Math.abs(r.get(3, 1))).toBeLessThan(1e-10);
    expect(() => burgersReference([0], [-1], nu)).toThrow(ValueError);
  });
});
