import { valueAndGrad } from '@sciml/autodiff';
import {
  type NDArray,
  NotFiniteError,
  add,
  ShapeError,
  ValueError,
  array,
  cholesky,
  eye,
  fromTypedArray,
  matmul,
  mul,
  square,
  sub,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { rosenbrock } from '../problems.js';
import { minimize } from './minimize.js';
import { type BfgsUpdate, updateScaling } from './self-scaling.js';

const UPDATES: BfgsUpdate[] = ['bfgs', 'self-scaled-bfgs', 'self-scaled-broyden'];

// f = ½xᵀAx − bᵀx with ∇²f = A, minimiser A⁻¹b and inverse Hessian A⁻¹ (all closed form below)
const A = [
  [4, 1, 0.5],
  [1, 3, -0.2],
  [0.5, -0.2, 2],
];
const bVec = [1, -2, 0.5];
const Amat = array(A);
const quad = (x: NDArray) => sub(mul(0.5, sum(mul(x, matmul(Amat, x)))), sum(mul(array(bVec), x)));
// A⁻¹ by the adjugate of the 3 × 3 matrix
function inverse3(m: number[][]): number[][] {
  const [a, b, c, d, e, f, g, h, i] = m.flat() as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}
const Ainv = inverse3(A);
const xStar = Ainv.map((row) => row.reduce((s, v, j) => s + v * bVec[j]!, 0));
const x0 = [2, 2, -1];

describe("minimize('bfgs') with self-scaled updates (Urbán, Stefanou & Pons 2025)", () => {
  it.each(UPDATES)(
    '%s: a start at the exact inverse Hessian takes the Newton step and keeps H = A⁻¹',
    (u) => {
      const res = minimize(quad, array(x0), {
        method: 'bfgs',
        bfgsUpdate: u,
        hessInv0: array(Ainv),
        gtol: 1e-12,
      });
      // the Newton step from any start lands on the minimiser of a quadratic, and every update of the
      // self-scaled Broyden class leaves H = A⁻¹ fixed there (b = h = 1, so τ = φ = 1 and v = 0)
      expect(res.nit).toBe(1);
      const x = res.x.dataSync();
      for (let i = 0; i < 3; i++) expect(x[i]).toBeCloseTo(xStar[i]!, 12);
      const H = res.hessInv!.dataSync();
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) expect(H[3 * i + j]).toBeCloseTo(Ainv[i]![j]!, 12);
    },
  );

  it.each(UPDATES)(
    '%s: the updated H satisfies the secant equation H y = s on a quadratic',
    (u) => {
      // same start, 3 and 4 iterations: s = x₄ − x₃, y = A s, and H₄ from the longer run
      const run = (k: number) =>
        minimize(quad, array(x0), { method: 'bfgs', bfgsUpdate: u, maxIter: k, gtol: 0 });
      const r3 = run(3);
      const r4 = run(4);
      expect(r4.nit).toBe(4);
      const x3 = r3.x.dataSync();
      const x4 = r4.x.dataSync();
      const s = [0, 1, 2].map((i) => x4[i]! - x3[i]!);
      const y = A.map((row) => row.reduce((acc, v, j) => acc + v * s[j]!, 0));
      const H = r4.hessInv!.dataSync();
      const scale = Math.max(...s.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-8);
      for (let i = 0; i < 3; i++) {
        const Hy = H[3 * i]! * y[0]! + H[3 * i + 1]! * y[1]! + H[3 * i + 2]! * y[2]!;
        expect(Math.abs(Hy - s[i]!)).toBeLessThan(1e-10 * scale);
      }
      // and stays symmetric positive definite (Cholesky succeeds)
      expect(() => cholesky(r4.hessInv!)).not.toThrow();
    },
  );

  // iteration counts measured with gtol 1e-8 (bfgs / self-scaled-bfgs / self-scaled-broyden):
  // Rosenbrock-2 38 / 36 / 26, Rosenbrock-10 84 / 81 / 92; bounds ~1.5× those
  it.each([
    [2, 'bfgs', 60],
    [2, 'self-scaled-bfgs', 55],
    [2, 'self-scaled-broyden', 40],
    [10, 'bfgs', 130],
    [10, 'self-scaled-bfgs', 125],
    [10, 'self-scaled-broyden', 140],
  ] as const)('Rosenbrock-%i with %s reaches x* = 1 within %i iterations', (n, u, maxNit) => {
    const p = rosenbrock(n);
    const res = minimize(p.f, array(p.x0), {
      method: 'bfgs',
      jac: p.grad,
      bfgsUpdate: u,
      gtol: 1e-8,
    });
    expect(res.success).toBe(true);
    expect(res.nit).toBeLessThanOrEqual(maxNit);
    expect(res.nit).toBeGreaterThan(5);
    for (const v of res.x.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
  });

  it('τ and φ: BFGS is τ = φ = 1; Al-Baali τ = min(1, 1/b); SSBroyden keeps σ > 0 and the Broyden φ', () => {
    expect(updateScaling('bfgs', 3, 2, 10)).toEqual({ tau: 1, phi: 1 });
    expect(updateScaling('self-scaled-bfgs', 4, 2, 10)).toEqual({ tau: 0.25, phi: 1 });
    expect(updateScaling('self-scaled-bfgs', 0.5, 2, 10)).toEqual({ tau: 1, phi: 1 });
    // b = 2, h = 1: a = 1, ρ⁻ = min(1, 1 − √½), θ⁻ = ρ⁻ − 1 = −√½, θ⁺ = 1/ρ⁻, (1 − b)/b = −½ → θ = −½,
    // σ = ½, ρ = ½: τ = min(½·½^{−1/9}, ½) = ½, φ = (1 + ½)/½ = 3
    const { tau, phi } = updateScaling('self-scaled-broyden', 2, 1, 10);
    expect(tau).toBeCloseTo(0.5, 14);
    expect(phi).toBeCloseTo(3, 14);
    // b = ½, h = 4: a = 1, θ = min(θ⁺, 1) with θ⁺ = 1/min(1, 4(1 − √½)) = 1 → θ = 1, σ = 2, ρ = 1:
    // τ = min(2^{−1/9}, 1) = 2^{−1/9}, φ = (1 − θ)/σ = 0: the DFP member of the class
    const s2 = updateScaling('self-scaled-broyden', 0.5, 4, 10);
    expect(s2.tau).toBeCloseTo(2 ** (-1 / 9), 14);
    expect(s2.phi).toBeCloseTo(0, 14);
  });

  it('warm start: a run continued from its hessInv retraces the uninterrupted run', () => {
    const p = rosenbrock(4);
    const opts = {
      method: 'bfgs',
      jac: p.grad,
      bfgsUpdate: 'self-scaled-broyden',
      gtol: 0,
    } as const;
    const whole = minimize(p.f, array(p.x0), { ...opts, maxIter: 20 });
    const half = minimize(p.f, array(p.x0), { ...opts, maxIter: 10 });
    const rest = minimize(p.f, half.x, { ...opts, maxIter: 10, hessInv0: half.hessInv! });
    const a = whole.x.dataSync();
    const b = rest.x.dataSync();
    for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i]!, 12);
    expect(rest.fun).toBeLessThan(half.fun);
  });

  it('a pytree of parameters: the tree comes back, with nit and the (n, n) inverse Hessian', () => {
    const target = [0.5, -1, 2, 3, -0.25];
    const loss = (q: { w: NDArray; c: NDArray }) =>
      add(
        sum(square(sub(q.w, array(target.slice(0, 3))))),
        sum(square(sub(q.c, array(target.slice(3))))),
      );
    const res = minimize(
      loss,
      { w: array([0, 0, 0]), c: array([0, 0]) },
      {
        method: 'bfgs',
        bfgsUpdate: 'self-scaled-broyden',
        valueAndGrad: valueAndGrad(loss) as never,
      },
    );
    expect(res.success).toBe(true);
    expect(res.nit).toBeGreaterThan(0);
    expect(res.hessInv!.shape).toEqual([5, 5]);
    expect(Array.from(res.x.w.dataSync())).toEqual(
      target.slice(0, 3).map((v) => expect.closeTo(v, 8)),
    );
    expect(Array.from(res.x.c.dataSync())).toEqual(
      target.slice(3).map((v) => expect.closeTo(v, 8)),
    );
  });

  it('rejects a malformed hessInv0 or update by name', () => {
    const run = (extra: object) => () => minimize(quad, array(x0), { method: 'bfgs', ...extra });
    expect(run({ hessInv0: eye(2) })).toThrow(ShapeError);
    expect(
      run({
        hessInv0: array([
          [1, 0.5, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
      }),
    ).toThrow(/symmetric/);
    expect(
      run({
        hessInv0: array([
          [1, 0, 0],
          [0, -1, 0],
          [0, 0, 1],
        ]),
      }),
    ).toThrow(ValueError);
    expect(
      run({
        hessInv0: fromTypedArray(new Float64Array([1, 0, 0, 0, Number.NaN, 0, 0, 0, 1]), [3, 3]),
      }),
    ).toThrow(NotFiniteError);
    expect(run({ bfgsUpdate: 'ssbfgs' })).toThrow(/unknown bfgsUpdate 'ssbfgs'/);
  });
});
