import { valueAndGrad } from '@sciml/autodiff';
import {
  type NDArray,
  ValueError,
  fromTypedArray,
  matmul,
  mul,
  scalar,
  square,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceJacobian } from './fd-jacobian.js';
import { odeint } from './odeint.js';
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

/** max |a − b| / max |b| over two solution arrays. */
function maxRelDiff(a: { dataSync(): unknown }, b: { dataSync(): unknown }): number {
  const x = a.dataSync() as ArrayLike<number>;
  const y = b.dataSync() as ArrayLike<number>;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

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
    // banded and dense LU differ only in rounding: the same steps, the same solution to ~1e-12 (measured
    // 2e-14). The count of factorisations may differ by one reuse decision (the step-size ratio against 1.2).
    expect(maxRelDiff(band.y, dense.y)).toBeLessThan(1e-12);
    expect([band.nsteps, band.nrejected, band.njev]).toEqual([
      dense.nsteps,
      dense.nrejected,
      dense.njev,
    ]);
    expect(dense.nfev - band.nfev).toBe(dense.njev * (N - 3));
    // the semi-discrete solution: e^{−λt} sin(πx), λ = (4/Δx²) sin²(πΔx/2)
    const lambda = (4 / (dx * dx)) * Math.sin((Math.PI * dx) / 2) ** 2;
    let err = 0;
    for (let i = 0; i < N; i++)
      err = Math.max(err, Math.abs(band.y.get(i, 1) - Math.exp(-lambda * 0.1) * u0[i]));
    expect(err).toBeLessThan(1e-7);
  });

  it('Brusselator, 200 unknowns: Radau, Kvaerno5 and Rosenbrock23 give the dense path’s solution with fewer f-evaluations', () => {
    for (const method of ['Radau', 'Kvaerno5', 'Rosenbrock23'] as const) {
      const opts = { method, rtol: 1e-6, atol: 1e-8, tEval: [1, 2] };
      const dense = solveIVP(brusselator, [0, 2], b0, opts);
      const band = solveIVP(brusselator, [0, 2], b0, { ...opts, jacBand: { lband: 2, uband: 2 } });
      // rounding differences of the two LUs, carried through the Newton iterations (measured: Radau
      // 1.5e-15, Kvaerno5 5e-16, Rosenbrock23 1.6e-12)
      expect(maxRelDiff(band.y, dense.y)).toBeLessThan(5e-12);
      expect([band.nsteps, band.nrejected, band.njev]).toEqual([
        dense.nsteps,
        dense.nrejected,
        dense.njev,
      ]);
      expect(dense.nfev - band.nfev).toBe(dense.njev * (2 * M - 5));
    }
  });

  it('odeint, Radau and Kvaerno5 with NDArray state: the banded path’s values and κ-gradient are the dense path’s', () => {
    // u_t = κ u_xx with 40 points, as a matmul with the tridiagonal second-difference matrix
    const n = 40;
    const h = 1 / (n + 1);
    const lap = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      lap[i * n + i] = -2 / (h * h);
      if (i > 0) lap[i * n + i - 1] = 1 / (h * h);
      if (i < n - 1) lap[i * n + i + 1] = 1 / (h * h);
    }
    const L = fromTypedArray(lap, [n, n]);
    const field = (_t: number, u: NDArray, kappa: NDArray) => mul(kappa, matmul(L, u));
    const y0 = fromTypedArray(
      Float64Array.from({ length: n }, (_, i) => Math.sin(Math.PI * (i + 1) * h)),
    );
    for (const method of ['Radau', 'Kvaerno5'] as const) {
      const run = (band: boolean) =>
        valueAndGrad((kappa: NDArray) =>
          sum(
            square(
              odeint(field, y0, [0, 0.02, 0.05], kappa, {
                method,
                rtol: 1e-8,
                atol: 1e-10,
                gradient: 'checkpoint',
                ...(band ? { jacBand: { lband: 1, uband: 1 } } : {}),
              }),
            ),
          ),
        )(scalar(1));
      const [vDense, gDense] = run(false).map((a) => (a as NDArray).item());
      const [vBand, banded] = run(true).map((a) => (a as NDArray).item());
      // the loss agrees to rounding; the gradient to the adjoint's tolerance (its Newton iterations use the
      // band of the transposed Jacobian, without the quadrature rows' coupling)
      expect(Math.abs(vBand - vDense)).toBeLessThan(1e-12 * Math.abs(vDense));
      expect(Math.abs(banded - gDense)).toBeLessThan(1e-7 * Math.abs(gDense));
      // d/dκ Σ u² for the slowest mode alone, u = e^{−λκt} sin: Σ_t −2λt e^{−2λt} Σ sin² (λ the semi-discrete rate)
      const lambda = (4 / (h * h)) * Math.sin((Math.PI * h) / 2) ** 2;
      const s2 = (n + 1) / 2;
      const exact = [0.02, 0.05].reduce(
        (a, t) => a - 2 * lambda * t * Math.exp(-2 * lambda * t) * s2,
        0,
      );
      expect(Math.abs(banded - exact)).toBeLessThan(1e-5 * Math.abs(exact));
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
