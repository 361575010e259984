// The stiff steppers' Jacobian stored in band storage under `jacBand`: n·(l + u + 1) numbers instead of n²,
// the same entries as the dense finite differences, and the same J·v and spectral radius (Radau's stiffness
// estimate) — checked against the dense store and the closed-form spectrum of the discrete Laplacian.
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from '../fd-jacobian.js';
import { JacobianStore } from './jacobian-store.js';
import { RadauStepper } from './radau-stepper.js';
import type { OdeRhsInPlace } from '../types.js';

// u_t = u_xx on (0, 1), u = 0 at both ends, N interior points: tridiagonal J = tridiag(1, −2, 1)/dx²
const N = 120;
const dx = 1 / (N + 1);
const heat: OdeRhsInPlace = (_t, u, du) => {
  for (let i = 0; i < N; i++) {
    const l = i > 0 ? u[i - 1] : 0;
    const r = i < N - 1 ? u[i + 1] : 0;
    du[i] = (l - 2 * u[i] + r) / (dx * dx);
  }
};
const u0 = Float64Array.from(
  { length: N },
  (_, i) => Math.sin(Math.PI * (i + 1) * dx) + 0.1 * i * dx,
);
const f0 = new Float64Array(N);
heat(0, u0, f0);
const band = { lband: 1, uband: 1 };

describe('JacobianStore', () => {
  it('banded: 3N numbers holding the dense finite differences entry for entry, from 3 evaluations', () => {
    const store = new JacobianStore(N, band);
    expect(store.band).toEqual([1, 1]);
    expect(store.data.length).toBe(3 * N);
    expect(store.evaluate(heat, undefined, 0, Float64Array.from(u0), f0, new Float64Array(N))).toBe(
      3,
    );
    const dense = new Float64Array(N * N);
    finiteDifferenceJacobian(heat, 0, Float64Array.from(u0), f0, dense);
    const got = Array.from({ length: N * N }, (_, k) => store.get(Math.floor(k / N), k % N));
    expect(got).toEqual(Array.from(dense));
  });

  it('an analytic Jacobian is kept in the band; J·v and ρ(J) equal the dense store’s and the closed form', () => {
    const jac = (_t: number, _y: Float64Array, J: Float64Array) => {
      J.fill(0);
      for (let i = 0; i < N; i++) {
        J[i * N + i] = -2 / (dx * dx);
        if (i > 0) J[i * N + i - 1] = 1 / (dx * dx);
        if (i < N - 1) J[i * N + i + 1] = 1 / (dx * dx);
      }
    };
    const banded = new JacobianStore(N, band);
    const dense = new JacobianStore(N, undefined);
    const scratch = new Float64Array(N);
    expect(banded.evaluate(heat, jac, 0, u0, f0, scratch)).toBe(0);
    dense.evaluate(heat, jac, 0, u0, f0, scratch);
    const a = new Float64Array(N);
    const b = new Float64Array(N);
    banded.matvec(u0, a);
    dense.matvec(u0, b);
    // the same nonzero products summed in the same order
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(banded.spectralRadius()).toBe(dense.spectralRadius());
    // eigenvalues −(4/dx²) sin²(kπ dx/2): ρ = (4/dx²) sin²(Nπ dx/2); 30 power steps on a nearly double top
    // eigenvalue land within a few per cent of it
    const rho = (4 / (dx * dx)) * Math.sin((N * Math.PI * dx) / 2) ** 2;
    expect(Math.abs(banded.spectralRadius() - rho) / rho).toBeLessThan(0.05);
  });

  it('a band as wide as the matrix is stored dense', () => {
    expect(new JacobianStore(4, { lband: 2, uband: 1 }).band).toBeUndefined();
    expect(new JacobianStore(4, { lband: 2, uband: 1 }).data.length).toBe(16);
  });

  it("Radau's stiffness estimate is the same with the banded store as with the dense one", () => {
    const tol = { rtol: 1e-6, atol: new Float64Array(N).fill(1e-9) };
    const run = (jacBand?: typeof band) => {
      const s = new RadauStepper(heat, undefined, 0, u0, 0.01, { tol, maxStep: Infinity, jacBand });
      for (let k = 0; k < 3; k++) expect(s.step()).toBeNull();
      return s.stiffnessEstimate();
    };
    const dense = run();
    expect(dense).toBeGreaterThan(0);
    expect(Math.abs(run(band) - dense) / dense).toBeLessThan(1e-12);
  });
});
