import { describe, expect, it } from 'vitest';
import { KVAERNO5 } from '../methods/kvaerno5.js';
import {
  RADAU5_A,
  RADAU5_C,
  RADAU5_MU_COMPLEX,
  RADAU5_MU_REAL,
  RADAU5_T,
  RADAU5_TI,
  radau5Interpolate,
} from '../methods/radau5.js';
import { solveIVP } from '../solve-ivp.js';

type M = number[][];
const mat = (a: readonly (readonly number[])[]): M => a.map((r) => [...r]);
const mm = (a: M, b: M): M =>
  a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));

/** Inverse of a 3×3 matrix by cofactors. */
function inv3(a: M): M {
  const [[a00, a01, a02], [a10, a11, a12], [a20, a21, a22]] = a;
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  return [
    [c00 / det, (a02 * a21 - a01 * a22) / det, (a01 * a12 - a02 * a11) / det],
    [c01 / det, (a00 * a22 - a02 * a20) / det, (a02 * a10 - a00 * a12) / det],
    [c02 / det, (a01 * a20 - a00 * a21) / det, (a00 * a11 - a01 * a10) / det],
  ];
}

describe('Radau IIA order 5: coefficients', () => {
  it('satisfies the collocation conditions C(3): Σⱼ aᵢⱼ cⱼ^(k−1) = cᵢᵏ/k, and B(5) for b = last row', () => {
    for (let i = 0; i < 3; i++) {
      for (let k = 1; k <= 3; k++) {
        const lhs = RADAU5_A[i].reduce((s, a, j) => s + a * RADAU5_C[j] ** (k - 1), 0);
        expect(lhs).toBeCloseTo(RADAU5_C[i] ** k / k, 15);
      }
    }
    // quadrature of order 2s − 1 = 5
    for (let k = 1; k <= 5; k++) {
      const q = RADAU5_A[2].reduce((s, b, j) => s + b * RADAU5_C[j] ** (k - 1), 0);
      expect(q).toBeCloseTo(1 / k, 14);
    }
  });

  it('T diagonalises A⁻¹ into γ̂ and the block of α̂ ∓ iβ̂ the iteration uses; TI = T⁻¹', () => {
    const T = mat(RADAU5_T);
    const TI = mat(RADAU5_TI);
    const I = mm(TI, T);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(I[i][j]).toBeCloseTo(i === j ? 1 : 0, 14);
    const L = mm(mm(TI, inv3(mat(RADAU5_A))), T);
    expect(L[0][0]).toBeCloseTo(RADAU5_MU_REAL, 12);
    expect(L[1][1]).toBeCloseTo(RADAU5_MU_COMPLEX.re, 12);
    expect(L[2][2]).toBeCloseTo(RADAU5_MU_COMPLEX.re, 12);
    // (w1 + i w2) ↦ μ (w1 + i w2) with μ = re + i·im is the block [[re, −im], [im, re]]
    expect(L[1][2]).toBeCloseTo(-RADAU5_MU_COMPLEX.im, 12);
    expect(L[2][1]).toBeCloseTo(RADAU5_MU_COMPLEX.im, 12);
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 0],
      [2, 0],
    ] as const)
      expect(L[i][j]).toBeCloseTo(0, 12);
  });

  it('the dense-output polynomial passes through the stage increments at the nodes', () => {
    const z = Float64Array.from([0.3, -1.2, 2.5, 0.7, 1.9, -0.4]);
    const y0 = Float64Array.from([1, 2]);
    const out = new Float64Array(2);
    for (let i = 0; i < 3; i++) {
      radau5Interpolate(RADAU5_C[i], y0, z, out);
      expect(out[0]).toBeCloseTo(1 + z[2 * i], 13);
      expect(out[1]).toBeCloseTo(2 + z[2 * i + 1], 13);
    }
  });
});

describe('Kværnø 5(4) ESDIRK: coefficients', () => {
  const { A, b, bHat, c, gamma } = KVAERNO5;
  it('rows of A sum to c, the diagonal is γ, and both solutions are stiffly accurate', () => {
    A.forEach((row, i) => {
      expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(c[i], 14);
      if (i > 0) expect(row[i]).toBe(gamma);
    });
    expect([...b]).toEqual([...A[6]]);
    expect(bHat.slice(0, 6)).toEqual([...A[5]]);
  });

  it('b meets the order conditions through order 5 and b̂ through order 4 (bushy and tall trees)', () => {
    const full = (i: number, j: number) => A[i][j] ?? 0;
    const Ac = (w: readonly number[]) =>
      c.map((_, i) => c.reduce((s, _c, j) => s + full(i, j) * w[j], 0));
    const dot = (u: readonly number[], v: readonly number[]) =>
      u.reduce((s, x, i) => s + x * v[i], 0);
    const ck = (k: number) => c.map((x) => x ** k);
    for (const [w, order] of [
      [b, 5],
      [bHat, 4],
    ] as const) {
      // bushy trees: Σ bᵢ cᵢ^(k−1) = 1/k
      for (let k = 1; k <= order; k++) expect(dot(w, ck(k - 1))).toBeCloseTo(1 / k, 13);
      // tall trees: Σ bᵢ (A c)ᵢ = 1/6, Σ bᵢ (A A c)ᵢ = 1/24, Σ b (A A A c) = 1/120
      expect(dot(w, Ac(c))).toBeCloseTo(1 / 6, 13);
      expect(dot(w, Ac(Ac(c)))).toBeCloseTo(1 / 24, 13);
      if (order === 5) expect(dot(w, Ac(Ac(Ac(c))))).toBeCloseTo(1 / 120, 13);
      // Σ bᵢ cᵢ (A c)ᵢ = 1/8
      expect(
        dot(
          w,
          c.map((ci, i) => ci * Ac(c)[i]),
        ),
      ).toBeCloseTo(1 / 8, 13);
    }
  });
});

/** Harmonic oscillator with its (exact, constant) Jacobian: Newton then solves the stage equations exactly. */
const oscillator = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -y[0];
};
const oscJac = (_t: number, _y: Float64Array, J: Float64Array): void => J.set([0, 1, -1, 0]);

describe('measured order of convergence of the implicit methods', () => {
  it.each([
    ['Radau', 5],
    ['Kvaerno5', 5],
  ] as const)('%s converges with order %i on the oscillator', (method, order) => {
    const T = 2;
    const steps = [0.2, 0.1, 0.05];
    const errs = steps.map((h) => {
      const r = solveIVP(oscillator, [0, T], [1, 0], {
        method,
        jac: oscJac,
        firstStep: h,
        maxStep: h,
        rtol: 1e3,
        atol: 1e3,
      });
      expect(r.nsteps).toBe(Math.round(T / h));
      const last = r.t.length - 1;
      return Math.hypot(r.y.get(0, last) - Math.cos(T), r.y.get(1, last) + Math.sin(T));
    });
    const slopes = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    for (const p of slopes) expect(Math.abs(p - order), `slopes ${slopes}`).toBeLessThan(0.3);
  });
});

/** Robertson's chemical kinetics (Hairer–Wanner II, §IV.1 eq. 1.4) with its Jacobian. */
const robertson = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
  dy[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
  dy[2] = 3e7 * y[1] * y[1];
};
const robertsonJac = (_t: number, y: Float64Array, J: Float64Array): void => {
  J.set([
    -0.04,
    1e4 * y[2],
    1e4 * y[1],
    0.04,
    -1e4 * y[2] - 6e7 * y[1],
    -1e4 * y[1],
    0,
    6e7 * y[1],
    0,
  ]);
};
/**
 * Robertson at t = 1, 100, 1e5 (rows: components) from SciPy 1.17 `solve_ivp(method='Radau', rtol=1e-13,
 * atol=1e-17)` with the analytic Jacobian: an independent reference three decades tighter than the tests.
 */
const ROBERTSON_REF = [
  [0.9664597373330064, 0.6172348823960949, 0.017865921142114667],
  [3.0746265785786805e-5, 6.153591274639236e-6, 7.274751468442603e-8],
  [0.03350951640121088, 0.38275896401263076, 0.9821340061103729],
];

/** Largest error in units of the requested tolerance, atol + rtol·|ref|. */
function robertsonError(
  y: { get(i: number, j: number): number },
  rtol: number,
  atol: number,
): number {
  let worst = 0;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const ref = ROBERTSON_REF[i][j];
      worst = Math.max(worst, Math.abs(y.get(i, j) - ref) / (atol + rtol * Math.abs(ref)));
    }
  return worst;
}

describe('stiff benchmarks', () => {
  it('Radau meets rtol 1e-10, atol 1e-14 on Robertson to t = 1e5 (error ≤ 30× tolerance; ~1800 steps)', () => {
    const r = solveIVP(robertson, [0, 1e5], [1, 0, 0], {
      method: 'Radau',
      rtol: 1e-10,
      atol: 1e-14,
      jac: robertsonJac,
      tEval: [1, 100, 1e5],
    });
    expect(r.status).toBe(0);
    expect(robertsonError(r.y, 1e-10, 1e-14)).toBeLessThan(30);
    // measured: 1776 accepted steps, 4 rejected (SciPy's Radau: 13001 f-evaluations, ours 13497 with FD J)
    expect(r.nsteps).toBeLessThan(2500);
  });

  it('Radau with finite-difference Jacobians and Kvaerno5 reach rtol 1e-6 accuracy on Robertson', () => {
    for (const method of ['Radau', 'Kvaerno5'] as const) {
      const r = solveIVP(robertson, [0, 1e5], [1, 0, 0], {
        method,
        rtol: 1e-6,
        atol: 1e-10,
        tEval: [1, 100, 1e5],
      });
      expect(r.status, method).toBe(0);
      // measured: Radau 0.4×, Kvaerno5 57× the tolerance (its cubic Hermite dense output serves tEval)
      expect(robertsonError(r.y, 1e-6, 1e-10), method).toBeLessThan(method === 'Radau' ? 30 : 100);
      expect(r.nsteps, method).toBeLessThan(400);
    }
  });

  it('Van der Pol μ = 1000 on [0, 3000] (MATLAB vdp1000): Radau at rtol 1e-6 in < 1500 steps, against SciPy at 1e-12', () => {
    const mu = 1000;
    const vdp = (_t: number, y: Float64Array, dy: Float64Array): void => {
      dy[0] = y[1];
      dy[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0];
    };
    // SciPy 1.17 Radau, rtol = atol = 1e-12, analytic Jacobian: y(1000) and y(3000)
    const ref = [
      [-1.863646254810873, -1.5106069367598571],
      [0.0007535430865407942, 0.0011783800006900187],
    ];
    const r = solveIVP(vdp, [0, 3000], [2, 0], {
      method: 'Radau',
      rtol: 1e-6,
      atol: 1e-6,
      tEval: [1000, 3000],
    });
    expect(r.status).toBe(0);
    expect(r.nsteps).toBeLessThan(1500);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        expect(Math.abs(r.y.get(i, j) - ref[i][j]) / Math.abs(ref[i][j])).toBeLessThan(30e-6);
  });
});
