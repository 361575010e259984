import { type NDArray, ValueError, array, fromTypedArray } from '@sciml/linalg';
import { CsrMatrix } from '@sciml/linalg/sparse';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';

const vec = (x: NDArray | undefined) => Array.from(x!.dataSync() as Float64Array);

// y = a·exp(−b·t) with a ≈ 5000 and b ≈ 0.002 over t ∈ [0, 1000]: variables five orders of magnitude apart
const t = Float64Array.from({ length: 40 }, (_, i) => 25 * i);
const y = Float64Array.from(
  t,
  (ti, i) => 5000 * Math.exp(-0.002 * ti) * (1 + 0.01 * Math.sin(3 * i)),
);
const residual = (x: NDArray) => {
  const [a, b] = x.dataSync() as Float64Array;
  return fromTypedArray(Float64Array.from(t, (ti, i) => a! * Math.exp(-b! * ti) - y[i]!));
};
const jac = (x: NDArray) => {
  const [a, b] = x.dataSync() as Float64Array;
  const J = new Float64Array(t.length * 2);
  t.forEach((ti, i) => {
    J[2 * i] = Math.exp(-b! * ti);
    J[2 * i + 1] = -a! * ti * Math.exp(-b! * ti);
  });
  return fromTypedArray(J, [t.length, 2]);
};

describe("leastSquares 'trf': xScale", () => {
  it('xScale = s is the same method as solving in the variables x/s (same iterates, same answer)', () => {
    const s = [1000, 0.001];
    const x0 = [3000, 0.004];
    const scaled = leastSquares(residual, x0, { method: 'trf', jac, xScale: s });
    // the reformulated problem in u = x/s with unit scale
    const ru = (u: NDArray) => {
      const [p, q] = u.dataSync() as Float64Array;
      return residual(array([p! * s[0]!, q! * s[1]!]));
    };
    const ju = (u: NDArray) => {
      const [p, q] = u.dataSync() as Float64Array;
      const J = jac(array([p! * s[0]!, q! * s[1]!])).dataSync() as Float64Array;
      return fromTypedArray(
        Float64Array.from(J, (v, k) => v * s[k % 2]!),
        [t.length, 2],
      );
    };
    const plain = leastSquares(ru, [x0[0]! / s[0]!, x0[1]! / s[1]!], { method: 'trf', jac: ju });
    expect(scaled.success).toBe(true);
    expect(scaled.nfev).toBe(plain.nfev);
    const [a, b] = vec(scaled.x);
    const [p, q] = vec(plain.x);
    expect(a).toBeCloseTo(p! * s[0]!, 6);
    expect(b! / (q! * s[1]!)).toBeCloseTo(1, 10);
  });

  it("'jac' scaling reaches the same fit as unscaled TRF with fewer evaluations on the badly scaled problem", () => {
    const x0 = [1000, 0.01];
    const none = leastSquares(residual, x0, { method: 'trf', jac });
    const byJac = leastSquares(residual, x0, { method: 'trf', jac, xScale: 'jac' });
    expect(byJac.success).toBe(true);
    expect(byJac.cost).toBeCloseTo(none.cost, 6);
    const [a, b] = vec(byJac.x);
    expect(a).toBeCloseTo(5000, -1);
    expect(b).toBeCloseTo(0.002, 5);
    expect(byJac.nfev).toBeLessThan(none.nfev);
  });

  it('bad xScale: typed errors', () => {
    expect(() => leastSquares(residual, [1, 1], { xScale: [1] })).toThrow(ValueError);
    expect(() => leastSquares(residual, [1, 1], { xScale: [1, -2] })).toThrow(/positive/);
    expect(() => leastSquares(residual, [1, 1], { method: 'lm', xScale: 'jac' })).toThrow(/trf/);
  });
});

describe('parameter covariance and standard errors (curve_fit: pcov = (JᵀJ)⁻¹ s²)', () => {
  // straight-line regression y = c₀ + c₁ t: closed form cov = s²(XᵀX)⁻¹ with s² = RSS/(m − 2)
  const m = 25;
  const tt = Float64Array.from({ length: m }, (_, i) => i / 4);
  const yy = Float64Array.from(tt, (ti, i) => 1.5 - 0.8 * ti + 0.3 * Math.sin(7 * i));
  const line = (x: NDArray) => {
    const [c0, c1] = x.dataSync() as Float64Array;
    return fromTypedArray(Float64Array.from(tt, (ti, i) => c0! + c1! * ti - yy[i]!));
  };
  const lineJac = () =>
    fromTypedArray(
      Float64Array.from({ length: 2 * m }, (_, k) => (k & 1 ? tt[k >> 1]! : 1)),
      [m, 2],
    );
  // closed form
  let St = 0;
  let Stt = 0;
  let Sy = 0;
  let Sty = 0;
  tt.forEach((ti, i) => {
    St += ti;
    Stt += ti * ti;
    Sy += yy[i]!;
    Sty += ti * yy[i]!;
  });
  const det = m * Stt - St * St;
  const c1 = (m * Sty - St * Sy) / det;
  const c0 = (Sy - c1 * St) / m;
  let rss = 0;
  tt.forEach((ti, i) => {
    rss += (c0 + c1 * ti - yy[i]!) ** 2;
  });
  const s2 = rss / (m - 2);
  const cov = [(s2 * Stt) / det, (-s2 * St) / det, (-s2 * St) / det, (s2 * m) / det];

  it.each(['trf', 'lm'] as const)(
    'method %s: covariance and standard errors equal the closed form',
    (method) => {
      const res = leastSquares(line, [0, 0], { method, jac: lineJac });
      const [f0, f1] = vec(res.x);
      expect(f0).toBeCloseTo(c0, 9);
      expect(f1).toBeCloseTo(c1, 9);
      const C = vec(res.covariance);
      for (const [k, v] of C.entries())
        expect(Math.abs(v - cov[k]!)).toBeLessThan(1e-9 * Math.abs(cov[k]!));
      const se = vec(res.standardErrors);
      expect(se[0]! / Math.sqrt(cov[0]!)).toBeCloseTo(1, 9);
      expect(se[1]! / Math.sqrt(cov[3]!)).toBeCloseTo(1, 9);
    },
  );

  it('a sparse Jacobian gives the same covariance; m ≤ n gives none', () => {
    const sparseJac = () =>
      CsrMatrix.fromTriplets(
        [m, 2],
        Array.from({ length: 2 * m }, (_, k) => k >> 1),
        Array.from({ length: 2 * m }, (_, k) => k & 1),
        Array.from({ length: 2 * m }, (_, k) => (k & 1 ? tt[k >> 1]! : 1)),
      );
    const res = leastSquares(line, [0, 0], { method: 'trf', jac: sparseJac });
    const C = vec(res.covariance);
    for (const [k, v] of C.entries())
      expect(Math.abs(v - cov[k]!)).toBeLessThan(1e-9 * Math.abs(cov[k]!));
    const exact = leastSquares((x: NDArray) => x, [1, 2], { method: 'trf' });
    expect(exact.covariance).toBeUndefined();
    expect(exact.standardErrors).toBeUndefined();
  });
});
