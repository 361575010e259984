import { describe, expect, it } from 'vitest';
import { ValueError } from '../../core/errors.js';
import { svd } from '../../decomp/svd.js';
import { baart, deriv2, gravity, heat, phillips, shaw } from './index.js';
import type { TestProblem } from './problem.js';

const norm = (v: ArrayLike<number>): number =>
  Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const singularValues = (p: TestProblem): Float64Array =>
  svd(p.A, { fullMatrices: false }).S.dataSync() as Float64Array;
/** ‖A x − bExact‖ / ‖bExact‖: zero for b = A x problems, the discretisation error for Galerkin ones. */
function consistency(p: TestProblem): number {
  const n = p.x.size;
  const A = p.A.dataSync();
  const x = p.x.dataSync();
  const b = p.bExact.dataSync();
  const r = Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
    return s - b[i]!;
  });
  return norm(r) / norm(b);
}
function maxAsymmetry(p: TestProblem): number {
  const n = p.x.size;
  const A = p.A.dataSync();
  let d = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) d = Math.max(d, Math.abs(A[i * n + j]! - A[j * n + i]!));
  return d;
}

describe("Hansen's test problems", () => {
  it('shaw: symmetric, b = A x, singular values at the rounding level by k = 20', () => {
    const p = shaw(64);
    expect(maxAsymmetry(p)).toBe(0);
    expect(consistency(p)).toBe(0);
    const s = singularValues(p);
    expect(s[0]).toBeCloseTo(2.99, 2);
    expect(s[19]! / s[0]!).toBeLessThan(1e-12);
    // the exact solution's peak 2·e^0 + e^{−2·1.3²} at t = 0.8 (the grid point nearest it)
    expect(Math.max(...p.x.dataSync())).toBeGreaterThan(2.0);
  });

  it("deriv2: σ_k ≈ 1/(kπ)², the Green's function's eigenvalues, and b is A x to rounding for f(t) = t", () => {
    const p = deriv2(64);
    expect(maxAsymmetry(p)).toBeLessThan(1e-18);
    const s = singularValues(p);
    for (let k = 1; k <= 5; k++)
      expect(Math.abs(s[k - 1]! * (k * Math.PI) ** 2 - 1)).toBeLessThan(0.01);
    expect(consistency(p)).toBeLessThan(1e-13);
    // examples 2 and 3: the Galerkin discretisation error is O(h²): a quarter when h halves
    for (const example of [2, 3] as const) {
      const coarse = consistency(deriv2(32, { example }));
      const fine = consistency(deriv2(64, { example }));
      expect(fine).toBeLessThan(1e-3);
      expect(coarse / fine).toBeGreaterThan(3.5);
    }
    // ‖f‖² = ∫₀¹ t² dt = 1/3 for example 1, to O(h²)
    expect(Math.abs(norm(p.x.dataSync()) ** 2 - 1 / 3)).toBeLessThan(1e-4);
  });

  it("phillips: Hansen's closed-form Toeplitz row, ‖f‖² = 3 and an O(h²) discretisation error", () => {
    const n = 64;
    const p = phillips(n);
    // Hansen's phillips.m: r1(k) = h + 9/(hπ²)(2c_k − c_{k−1} − c_{k+1}), c_k = cos(4πk/n), and half of it at k = n/4
    const h = 12 / n;
    const c = (k: number) => Math.cos((k * 4 * Math.PI) / n);
    const A = p.A.dataSync();
    for (let k = 0; k < n / 4; k++) {
      const hansen = h + (9 / (h * Math.PI ** 2)) * (2 * c(k) - c(k - 1) - c(k + 1));
      expect(Math.abs(A[k]! - hansen)).toBeLessThan(1e-13);
    }
    expect(Math.abs(A[n / 4]! - (h / 2 + (9 / (h * Math.PI ** 2)) * (c(1) - 1)))).toBeLessThan(
      1e-13,
    );
    expect(A[n / 4 + 1]).toBe(0);
    // ‖φ‖² = ∫(1 + cos(πt/3))² dt over (−3, 3) = 9, the box projection loses O(h²)
    expect(Math.abs(norm(p.x.dataSync()) ** 2 - 9)).toBeLessThan(0.01);
    const ratio = consistency(phillips(32)) / consistency(p);
    expect(consistency(p)).toBeLessThan(2e-3);
    expect(ratio).toBeGreaterThan(3.5);
  });

  it('baart: exponential singular value decay, ‖sin‖² = π/2, O(h²) consistency', () => {
    const p = baart(64);
    const s = singularValues(p);
    expect(s[9]! / s[0]!).toBeLessThan(1e-11);
    expect(Math.abs(norm(p.x.dataSync()) ** 2 - Math.PI / 2)).toBeLessThan(1e-3);
    expect(consistency(p)).toBeLessThan(1e-4);
    expect(consistency(baart(32)) / consistency(p)).toBeGreaterThan(3.5);
  });

  it('heat: lower-triangular Toeplitz with the heat kernel in its first column; b = A x', () => {
    const n = 64;
    const p = heat(n);
    const A = p.A.dataSync();
    for (let j = 1; j < n; j++) expect(A[j]).toBe(0);
    const h = 1 / n;
    const k = (t: number) => (h / (2 * Math.sqrt(Math.PI))) * t ** -1.5 * Math.exp(-1 / (4 * t));
    for (const i of [0, 5, 40]) expect(A[i * n]).toBeCloseTo(k((i + 0.5) * h), 15);
    expect(A[40 * n + 35]).toBe(A[5 * n]);
    expect(consistency(p)).toBe(0);
    expect(
      p.x
        .dataSync()
        .slice(n / 2)
        .every((v) => v === 0),
    ).toBe(true);
    // κ = 5 is far better conditioned than κ = 1
    const s1 = singularValues(p);
    const s5 = singularValues(heat(n, { kappa: 5 }));
    expect(s5[n - 1]! / s5[0]!).toBeGreaterThan(1e6 * (s1[n - 1]! / s1[0]!));
  });

  it('gravity: symmetric Toeplitz, h‖f‖² ≈ ∫(sin πt + ½ sin 2πt)² = 5/8', () => {
    const n = 64;
    const p = gravity(n);
    expect(maxAsymmetry(p)).toBe(0);
    expect(consistency(p)).toBe(0);
    expect(Math.abs(norm(p.x.dataSync()) ** 2 / n - 0.625)).toBeLessThan(1e-12);
  });

  it('adds seeded noise of exactly the requested relative norm', () => {
    const a = shaw(32, { noise: 0.01, rng: 7 });
    const b = shaw(32, { noise: 0.01, rng: 7 });
    const c = shaw(32, { noise: 0.01, rng: 8 });
    const e = Array.from(a.b.dataSync(), (v, i) => v - a.bExact.dataSync()[i]!);
    expect(norm(e) / norm(a.bExact.dataSync())).toBeCloseTo(0.01, 14);
    expect(a.noiseNorm).toBeCloseTo(norm(e), 14);
    expect(a.b.toNested()).toEqual(b.b.toNested());
    expect(a.b.toNested()).not.toEqual(c.b.toNested());
    expect(shaw(8).noiseNorm).toBe(0);
  });

  it('refuse bad sizes and options with the rule', () => {
    expect(() => shaw(7)).toThrow(/multiple of 2/);
    expect(() => phillips(30)).toThrow(/multiple of 4/);
    expect(() => baart(0)).toThrow(ValueError);
    expect(() => deriv2(8, { example: 4 as 1 })).toThrow(/example/);
    expect(() => gravity(8, { noise: -1 })).toThrow(/noise/);
    expect(() => gravity(8, { depth: 0 })).toThrow(/depth/);
  });
});
