import { ShapeError, ValueError, fromTypedArray, zeros } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { burgers1D } from '../../pde/index.js';
import { gridDerivative } from './grid-derivatives.js';
import { kdvTwoSoliton } from './kdv-two-soliton.js';
import { pdeFind } from './pde-find.js';

/** Relative error of a recovered coefficient. */
const rel = (got: number, truth: number) => Math.abs(got - truth) / Math.abs(truth);

describe('PDE-FIND', () => {
  it("recovers Burgers' u_t = −u u_x + ν u_xx (ν = 0.1) from a method-of-lines simulation", () => {
    // Rudy et al. 2017's setting: x ∈ [−8, 8], 256 points, u0 = exp(−(x + 2)²)
    const dt = 0.05;
    const tEval = Array.from({ length: 101 }, (_, j) => j * dt);
    const sol = burgers1D({
      nu: 0.1,
      nx: 256,
      domain: [-8, 8],
      u0: (x) => Math.exp(-((x + 2) ** 2)),
      tSpan: [0, 5],
      tEval,
      rtol: 1e-10,
      atol: 1e-12,
    });
    const r = pdeFind(sol.u, { dx: sol.grid.dx, dt });
    // measured: u_t = 0.1001 u_xx − 0.9964 u u_x, nothing else
    expect(r.equation(4)).toBe('u_t = 0.1001 u_xx - 0.9964 u u_x');
    expect(rel(r.coefficient('u u_x'), -1)).toBeLessThan(0.05);
    expect(rel(r.coefficient('u_xx'), 0.1)).toBeLessThan(0.05);
    expect(r.termNames).toHaveLength(12);
  });

  it('recovers KdV u_t = −6 u u_x − u_xxx from the two-soliton solution', () => {
    const nx = 256;
    const nt = 81;
    const L = 30;
    const dx = (2 * L) / nx;
    const dt = 0.025;
    const u = new Float64Array(nx * nt);
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < nt; j++) u[i * nt + j] = kdvTwoSoliton(-L + i * dx, -1 + j * dt, 1.6, 1);
    const r = pdeFind(fromTypedArray(u, [nx, nt]), { dx, dt, periodic: false });
    // measured: u_t = −1.0008 u_xxx − 6.0013 u u_x
    expect(rel(r.coefficient('u u_x'), -6)).toBeLessThan(0.05);
    expect(rel(r.coefficient('u_xxx'), -1)).toBeLessThan(0.05);
    expect(r.coefficients.filter((c) => c !== 0)).toHaveLength(2);
  });

  it('differentiates sin on a periodic grid to the stencil order', () => {
    const n = 64;
    const h = (2 * Math.PI) / n;
    const data = Float64Array.from({ length: n }, (_, i) => Math.sin(i * h));
    const d3 = gridDerivative(data, n, 1, 0, 3, h, 9, true);
    for (let i = 0; i < n; i++) expect(d3[i]!).toBeCloseTo(-Math.cos(i * h), 6);
    // without wrapping, the points within reach of the ends are NaN
    const open = gridDerivative(data, n, 1, 0, 1, h, 5, false);
    expect(Number.isNaN(open[1]!)).toBe(true);
    expect(open[2]!).toBeCloseTo(Math.cos(2 * h), 4); // error h⁴/30 ≈ 3e-6
  });

  it('rejects bad input', () => {
    expect(() => pdeFind(zeros([10]), { dx: 0.1, dt: 0.1 })).toThrow(ShapeError);
    expect(() => pdeFind(zeros([10, 10]), { dx: 0, dt: 0.1 })).toThrow(ValueError);
    expect(() => pdeFind(zeros([10, 3]), { dx: 0.1, dt: 0.1 })).toThrow(ShapeError);
    expect(() => pdeFind(zeros([10, 10]), { dx: 0.1, dt: 0.1, stencil: { x: 4 } })).toThrow(
      ValueError,
    );
  });
});
