import { describe, expect, it } from 'vitest';
import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { lstsq } from '../decomp/lstsq.js';
import { solve } from '../decomp/lu.js';
import { array, eye, fromTypedArray } from '../ops/creation.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { matmul, norm } from '../ops/linear.js';
import { transpose } from '../ops/shape.js';
import { Generator } from '../random/generator.js';
import { landweber } from './landweber.js';
import { differenceOperator } from './operators.js';
import { discrepancyPrinciple, gcv, lCurve, logGrid } from './parameter-choice.js';
import { filteredSolution, landweberFilterFactors, svdSystem, tsvdSolve } from './svd-filter.js';
import { resolutionMatrix, ridge, tikhonov } from './tikhonov.js';

/** 1-D Gaussian blur (a discretised first-kind integral equation) with a smooth true model and 1% noise. */
function blurProblem(n = 48, seed = 1) {
  const h = 1 / n;
  const width = 0.05;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = (i - j) * h;
      A[i * n + j] =
        (h * Math.exp(-(d * d) / (2 * width * width))) / (width * Math.sqrt(2 * Math.PI));
    }
  }
  const xTrue = Float64Array.from({ length: n }, (_, j) => {
    const t = (j + 0.5) * h;
    return Math.exp(-((t - 0.3) ** 2) / 0.005) + 0.6 * Math.exp(-((t - 0.7) ** 2) / 0.01);
  });
  const Am = fromTypedArray(A, [n, n]);
  const clean = matmul(Am, fromTypedArray(xTrue)).dataSync();
  const rng = new Generator(seed);
  const sigma = 0.01 * Math.max(...clean);
  const noise = Float64Array.from(clean, () => sigma * rng.nextNormal());
  const b = fromTypedArray(Float64Array.from(clean, (v, i) => v + noise[i]!));
  const noiseNorm = Math.sqrt(noise.reduce((s, v) => s + v * v, 0));
  return { A: Am, b, xTrue: fromTypedArray(xTrue), noiseNorm, n };
}

const relDiff = (x: NDArray, y: NDArray) => norm(sub(x, y)).item() / norm(y).item();

describe('Tikhonov regularisation', () => {
  const { A, b, n } = blurProblem();
  const At = transpose(A);

  it('ridge (SVD filtering) equals the normal equations (AᵀA + α²I)x = Aᵀb', () => {
    const alpha = 1e-2;
    const normal = solve(add(matmul(At, A), mul(eye(n), alpha * alpha)), matmul(At, b));
    expect(relDiff(ridge(A, b, alpha), normal)).toBeLessThan(1e-10);
  });

  it('the augmented least-squares path agrees with SVD filtering when L = I', () => {
    const alpha = 3e-3;
    expect(relDiff(tikhonov(A, b, alpha, { L: eye(n) }), tikhonov(A, b, alpha))).toBeLessThan(
      1e-10,
    );
  });

  it('higher-order Tikhonov equals (AᵀA + α²LᵀL)x = Aᵀb', () => {
    const L = differenceOperator(n, 2);
    const alpha = 0.05;
    const normal = solve(
      add(matmul(At, A), mul(matmul(transpose(L), L), alpha * alpha)),
      matmul(At, b),
    );
    expect(relDiff(tikhonov(A, b, alpha, { L }), normal)).toBeLessThan(1e-9);
  });

  it('difference operators have the textbook stencils', () => {
    expect(differenceOperator(4, 1).toNested()).toEqual([
      [-1, 1, 0, 0],
      [0, -1, 1, 0],
      [0, 0, -1, 1],
    ]);
    expect(differenceOperator(4, 2).toNested()).toEqual([
      [1, -2, 1, 0],
      [0, 1, -2, 1],
    ]);
    expect(() => differenceOperator(2, 2)).toThrow(ValueError);
  });

  it('the resolution matrix equals (AᵀA + α²I)⁻¹AᵀA and tends to I as α → 0', () => {
    const alpha = 0.02;
    const R = resolutionMatrix(A, alpha);
    const ref = solve(add(matmul(At, A), mul(eye(n), alpha * alpha)), matmul(At, A));
    expect(norm(sub(R, ref)).item()).toBeLessThan(1e-9 * n);
    const small = array([
      [2, 1],
      [1, 3],
      [0, 1],
    ]);
    expect(norm(sub(resolutionMatrix(small, 0), eye(2))).item()).toBeLessThan(1e-14);
  });

  it('TSVD with all singular values is the least-squares solution', () => {
    const M = new Generator(2).normal([10, 4]);
    const y = new Generator(3).normal([10]);
    expect(relDiff(tsvdSolve(M, y, 4), lstsq(M, y).x)).toBeLessThan(1e-12);
  });
});

describe('parameter choice', () => {
  const { A, b, noiseNorm, n } = blurProblem();

  it('GCV scores equal m‖r‖²/trace(I − H)² with the influence matrix H formed explicitly', () => {
    const alphas = [1e-3, 1e-2, 1e-1];
    const { scores } = gcv(A, b, { alphas });
    const At = transpose(A);
    alphas.forEach((alpha, k) => {
      const H = matmul(A, solve(add(matmul(At, A), mul(eye(n), alpha ** 2)), At));
      const r = sub(matmul(H, b), b);
      const h = H.dataSync();
      let trace = n;
      for (let i = 0; i < n; i++) trace -= h[i * n + i]!;
      const ref = (n * norm(r).item() ** 2) / trace ** 2;
      expect(Math.abs(scores[k]! - ref) / ref).toBeLessThan(1e-8);
    });
  });

  it('the discrepancy principle hits ‖Ax − b‖ = δ', () => {
    const { alpha, residualNorm } = discrepancyPrinciple(A, b, noiseNorm);
    expect(Math.abs(residualNorm - noiseNorm) / noiseNorm).toBeLessThan(1e-8);
    expect(norm(sub(matmul(A, tikhonov(A, b, alpha)), b)).item()).toBeCloseTo(residualNorm, 10);
    // an overdetermined system keeps a least-squares residual no α can go below
    const M = new Generator(4).normal([30, 5]);
    const y = new Generator(5).normal([30]);
    expect(() => discrepancyPrinciple(M, y, 1e-3)).toThrow(/noise norm is too small/);
  });

  it('GCV, the L-curve corner and the discrepancy principle all regularise far better than plain least squares', () => {
    // n = 96: on smaller grids GCV's minimum is flat and it under-regularises (a known failure mode)
    const big = blurProblem(96, 1);
    const naive = relDiff(lstsq(big.A, big.b).x, big.xTrue);
    const grid = logGrid(1e-5, 1, 80);
    const best = Math.min(...grid.map((a) => relDiff(tikhonov(big.A, big.b, a), big.xTrue)));
    const chosen = {
      gcv: gcv(big.A, big.b, { alphas: grid }).alpha,
      lCurve: lCurve(big.A, big.b, { alphas: grid }).corner,
      discrepancy: discrepancyPrinciple(big.A, big.b, big.noiseNorm).alpha,
    };
    for (const [name, alpha] of Object.entries(chosen)) {
      const e = relDiff(tikhonov(big.A, big.b, alpha), big.xTrue);
      expect(e, name).toBeLessThan(naive / 10);
      // the L-curve corner is known to over-smooth somewhat; the others land near the optimum
      expect(e, name).toBeLessThan((name === 'lCurve' ? 4 : 2.5) * best);
    }
  });

  it('the L-curve turns at its corner: steep to the left, flat to the right', () => {
    const grid = logGrid(1e-5, 1, 200);
    const lc = lCurve(A, b, { alphas: grid });
    const k = grid.indexOf(lc.corner);
    const slope = (i: number, j: number) =>
      Math.abs(
        Math.log(lc.solutionNorms[j]! / lc.solutionNorms[i]!) /
          Math.log(lc.residualNorms[j]! / lc.residualNorms[i]!),
      );
    // a decade below the corner the solution norm explodes while the residual barely moves, a decade above the reverse
    expect(slope(k - 40, k - 30)).toBeGreaterThan(5);
    expect(slope(k + 30, k + 40)).toBeLessThan(0.5);
    expect(lc.curvature[k]!).toBeGreaterThan(0);
  });
});

describe('Landweber iteration', () => {
  const { A, b, xTrue, noiseNorm } = blurProblem();

  it('its k-th iterate is the SVD filter with fᵢ = 1 − (1 − ωσᵢ²)ᵏ', () => {
    const res = landweber(A, b, { iterations: 40 });
    const sys = svdSystem(A, b);
    const ref = filteredSolution(sys, landweberFilterFactors(sys.s, res.omega, 40));
    // both sides accumulate rounding over 40 steps on a matrix with κ ≈ 1e12 in its tail
    expect(relDiff(res.x, ref)).toBeLessThan(1e-8);
  });

  it('stops by the discrepancy principle with a small error (semi-convergence)', () => {
    const res = landweber(A, b, { iterations: 100_000, noiseNorm });
    expect(res.iterations).toBeLessThan(100_000);
    expect(res.residualNorms.at(-1)!).toBeLessThanOrEqual(1.01 * noiseNorm);
    expect(relDiff(res.x, xTrue)).toBeLessThan(relDiff(lstsq(A, b).x, xTrue) / 10);
    expect(() => landweber(A, b, { omega: 1e9 })).toThrow(ValueError);
  });
});
