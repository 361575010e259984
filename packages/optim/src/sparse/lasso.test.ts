import { Generator, type NDArray, array, matmul, sub, transpose } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { elasticNet, lambdaMax, lasso, lassoPath } from './lasso.js';
import { softThreshold, softThresholdScalar } from './soft-threshold.js';

/** Sparse regression problem: 60 × 20 Gaussian design, 4 non-zero true coefficients, small noise. */
function problem() {
  const rng = new Generator(5);
  const A = rng.normal([60, 20]);
  const truth = new Float64Array(20);
  truth[1] = 3;
  truth[7] = -2;
  truth[12] = 1.5;
  truth[19] = -0.7;
  const b = matmul(A, array(truth));
  const noisy = array(Float64Array.from(b.dataSync(), (v) => v + 0.05 * rng.nextNormal()));
  return { A, b: noisy, truth };
}

/** Largest violation of the LASSO/elastic-net optimality conditions: Aᵀ(b − Ax) − μx ∈ λ ∂‖x‖₁. */
function kktViolation(A: NDArray, b: NDArray, x: NDArray, lambda: number, l2 = 0): number {
  const g = matmul(transpose(A), sub(b, matmul(A, x))).dataSync();
  const xv = x.dataSync();
  let worst = 0;
  xv.forEach((xi, j) => {
    const c = g[j]! - l2 * xi;
    worst = Math.max(
      worst,
      xi !== 0 ? Math.abs(c - lambda * Math.sign(xi)) : Math.max(0, Math.abs(c) - lambda),
    );
  });
  return worst;
}

describe('LASSO', () => {
  const { A, b, truth } = problem();
  const lambda = 5;

  it('all three solvers satisfy the KKT conditions to 1e-8 and agree', () => {
    const cd = lasso(A, b, { lambda, tol: 1e-14 });
    const fi = lasso(A, b, { lambda, solver: 'fista', tol: 1e-14, maxIter: 100_000 });
    const is = lasso(A, b, { lambda, solver: 'ista', tol: 1e-14, maxIter: 100_000 });
    for (const r of [cd, fi, is]) {
      expect(r.success).toBe(true);
      expect(kktViolation(A, b, r.x, lambda)).toBeLessThan(1e-8);
    }
    const d = (u: NDArray, v: NDArray) => Math.max(...Array.from(sub(u, v).dataSync(), Math.abs));
    expect(d(cd.x, fi.x)).toBeLessThan(1e-8);
    expect(d(cd.x, is.x)).toBeLessThan(1e-8);
    // the support is recovered
    const support = Array.from(cd.x.dataSync(), (v, j) => (v !== 0 ? j : -1)).filter((j) => j >= 0);
    expect(support).toEqual([1, 7, 12, 19].filter((j) => truth[j] !== 0));
  });

  it('FISTA needs fewer iterations than ISTA on an ill-conditioned design', () => {
    // strongly correlated columns a_j = z₀ + 0.2 z_j make AᵀA ill-conditioned, where acceleration pays
    const rng = new Generator(8);
    const z = rng.normal([60, 21]).dataSync();
    const data = new Float64Array(60 * 20);
    for (let i = 0; i < 60; i++)
      for (let j = 0; j < 20; j++) data[i * 20 + j] = z[i * 21]! + 0.2 * z[i * 21 + j + 1]!;
    const Ac = array(data, { shape: [60, 20] });
    const bc = matmul(Ac, array(truth));
    const fi = lasso(Ac, bc, { lambda: 0.1, solver: 'fista', tol: 1e-10, maxIter: 200_000 });
    const is = lasso(Ac, bc, { lambda: 0.1, solver: 'ista', tol: 1e-10, maxIter: 200_000 });
    expect(fi.success && is.success).toBe(true);
    expect(kktViolation(Ac, bc, fi.x, 0.1)).toBeLessThan(1e-6);
    expect(fi.nit).toBeLessThan(is.nit / 3);
  });

  it('the solution is zero exactly from λ_max on, and the path is warm-started from there', () => {
    const top = lambdaMax(A, b);
    expect(
      Array.from(lasso(A, b, { lambda: top * 1.0001 }).x.dataSync()).every((v) => v === 0),
    ).toBe(true);
    expect(Array.from(lasso(A, b, { lambda: top * 0.9 }).x.dataSync()).some((v) => v !== 0)).toBe(
      true,
    );
    const path = lassoPath(A, b, { numLambdas: 10 });
    expect(path.coefficients.shape).toEqual([10, 20]);
    expect(path.lambdas[0]).toBeCloseTo(top, 12);
    const nnz = (row: number) =>
      Array.from(path.coefficients.dataSync().subarray(row * 20, row * 20 + 20)).filter(
        (v) => v !== 0,
      ).length;
    expect(nnz(0)).toBe(0);
    expect(nnz(9)).toBeGreaterThanOrEqual(4);
  });

  it('elastic net satisfies its KKT conditions', () => {
    const r = elasticNet(A, b, { lambda: 2, l2: 3, tol: 1e-14 });
    expect(kktViolation(A, b, r.x, 2, 3)).toBeLessThan(1e-8);
    const rf = elasticNet(A, b, {
      lambda: 2,
      l2: 3,
      solver: 'fista',
      tol: 1e-14,
      maxIter: 100_000,
    });
    expect(kktViolation(A, b, rf.x, 2, 3)).toBeLessThan(1e-8);
  });
});

describe('soft thresholding', () => {
  it('is the prox of λ|·|', () => {
    expect([3, -3, 0.5, -0.5].map((v) => softThresholdScalar(v, 1))).toEqual([2, -2, 0, 0]);
    expect(softThreshold(array([3, -3, 0.5]), 1).toNested()).toEqual([2, -2, 0]);
  });
});
