import { ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from './fd-jacobian.js';
import { solveIVP } from './solve-ivp.js';
import type { OdeRhsInPlace } from './types.js';

// u_t = u_xx on (0, 1), u = 0 at both ends, N interior points: a tridiagonal (lband = uband = 1) stiff system
const N = 200;
const dx = 1 / (N + 1);
const heat: OdeRhsInPlace = (_t, u, du) => {
  for (let i = 0; i < N; i++) {
    const l = i > 0 ? u[i - 1] : 0;
    const r = i < N - 1 ? u[i + 1] : 0;
    du[i] = (l - 2 * u[i] + r) / (dx * dx);
  }
};
const u0 = Float64Array.from({ length: N }, (_, i) => Math.sin(Math.PI * (i + 1) * dx));

// Brusselator in one space dimension (Hairer–Wanner II, §IV.1), interleaved (u₁, v₁, u₂, v₂, …): band 2
const M = 100;
const bdx = 1 / (M + 1);
const ALPHA = 1 / 50;
const brusselator: OdeRhsInPlace = (_t, y, dy) => {
  const c = ALPHA / (bdx * bdx);
  for (let i = 0; i < M; i++) {
    const u = y[2 * i];
    const v = y[2 * i + 1];
    const ul = i > 0 ? y[2 * i - 2] : 1;
    const ur = i < M - 1 ? y[2 * i + 2] : 1;
    const vl = i > 0 ? y[2 * i - 1] : 3;
    const vr = i < M - 1 ? y[2 * i + 3] : 3;
    dy[2 * i] = 1 + u * u * v - 4 * u + c * (ul - 2 * u + ur);
    dy[2 * i + 1] = 3 * u - u * u * v + c * (vl - 2 * v + vr);
  }
};
const b0 = Float64Array.from({ length: 2 * M }, (_, k) =>
  k % 2 === 0 ? 1 + Math.sin(2 * Math.PI * (k / 2 + 1) * bdx) : 3,
);

describe('banded finite-difference Jacobian (Curtis–Powell–Reid column grouping)', () => {
  it('equals the dense differences entry for entry, from lband + uband + 1 evaluations of f', () => {
    const f0 = new Float64Array(2 * M);
    brusselator(0, b0, f0);
    const dense = new Float64Array(4 * M * M);
    const banded = new Float64Array(4 * M * M);
    expect(finiteDifferenceJacobian(brusselator, 0, b0, f0, dense)).toBe(2 * M);
    expect(
      finiteDifferenceJacobian(brusselator, 0, b0, f0, banded, undefined, { lband: 2, uband: 2 }),
    ).toBe(5);
    expect(Array.from(banded)).toEqual(Array.from(dense));
  });

  it('heat equation, N = 200, Radau: the same solution as the dense path, N/3 × fewer f-evaluations per Jacobian', () => {
    const opts = { method: 'Radau' as const, rtol: 1e-8, atol: 1e-10, tEval: [0.05, 0.1] };
    const dense = solveIVP(heat, [0, 0.1], u0, opts);
    const band = solveIVP(heat, [0, 0.1], u0, { ...opts, jacBand: { lband: 1, uband: 1 } });
    expect(Array.from(band.y.dataSync() as ArrayLike<number>)).toEqual(
      Array.from(dense.y.dataSync() as ArrayLike<number>),
    );
    expect(band.njev).toBe(dense.njev);
    expect(dense.nfev - band.nfev).toBe(dense.njev * (N - 3));
    // the semi-discrete solution: e^{−λt} sin(πx), λ = (4/Δx²) sin²(πΔx/2)
    const lambda = (4 / (dx * dx)) * Math.sin((Math.PI * dx) / 2) ** 2;
    let err = 0;
    for (let i = 0; i < N; i++)
      err = Math.max(err, Math.abs(band.y.get(i, 1) - Math.exp(-lambda * 0.1) * u0[i]));
    expect(err).toBeLessThan(1e-7);
  });

  it('Brusselator, 200 unknowns: Kvaerno5 and Rosenbrock23 give the dense path’s solution with fewer f-evaluations', () => {
    for (const method of ['Kvaerno5', 'Rosenbrock23'] as const) {
      const opts = { method, rtol: 1e-6, atol: 1e-8, tEval: [1, 2] };
      const dense = solveIVP(brusselator, [0, 2], b0, opts);
      const band = solveIVP(brusselator, [0, 2], b0, { ...opts, jacBand: { lband: 2, uband: 2 } });
      expect(Array.from(band.y.dataSync() as ArrayLike<number>)).toEqual(
        Array.from(dense.y.dataSync() as ArrayLike<number>),
      );
      expect(dense.nfev - band.nfev).toBe(dense.njev * (2 * M - 5));
    }
  });

  it('rejects a malformed band', () => {
    expect(() =>
      solveIVP(heat, [0, 0.1], u0, { method: 'Radau', jacBand: { lband: -1, uband: 1 } }),
    ).toThrow(ValueError);
    expect(() =>
      solveIVP(heat, [0, 0.1], u0, { method: 'Radau', jacBand: { lband: 1.5, uband: 1 } }),
    ).toThrow(ValueError);
  });
});
