import { Generator, type NDArray, ValueError, fromTypedArray, matmul, qr } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { lassoOptimizer } from './lasso.js';
import { sparseProblem } from './test-utils/problems.js';

const flat = (a: NDArray) => Array.from(a.dataSync());

describe('lassoOptimizer', () => {
  it('with orthonormal Θ is soft thresholding of Θᵀy at α·m (scikit-learn scaling)', () => {
    const m = 40;
    const theta = qr(new Generator(8).normal([m, 5])).Q;
    const b = [2, -0.3, 0.9, -1.4, 0.05];
    const y = matmul(theta, fromTypedArray(Float64Array.from(b), [5, 1]));
    const alpha = 0.01; // λ = α m = 0.4
    for (const solver of ['coordinate-descent', 'fista'] as const) {
      const r = lassoOptimizer({ alpha, unbias: false, solver, tol: 1e-12 }).fit(theta, y);
      flat(r.coefficients).forEach((v, j) => {
        expect(v).toBeCloseTo(Math.sign(b[j]!) * Math.max(Math.abs(b[j]!) - alpha * m, 0), 8);
      });
      expect(r.converged).toBe(true);
    }
  });

  it('recovers a sparse Ξ exactly after unbiasing', () => {
    const xi = [
      [0, 1.5, 0, -2, 0],
      [0.7, 0, 0, 0, 3],
    ];
    const { theta, y } = sparseProblem(200, xi);
    const r = lassoOptimizer({ alpha: 0.05 }).fit(theta, y);
    flat(r.coefficients).forEach((v, e) => {
      expect(v).toBeCloseTo(xi[Math.floor(e / 5)]![e % 5]!, 10);
    });
  });

  it('normalizeColumns penalises features alike whatever their scale', () => {
    const { theta, y } = sparseProblem(200, [[1, 0, 0.5]], { noise: 0.01 });
    const scaled = matmul(
      theta,
      fromTypedArray(Float64Array.of(1000, 0, 0, 0, 1, 0, 0, 0, 1), [3, 3]),
    );
    const r = flat(
      lassoOptimizer({ alpha: 0.01, normalizeColumns: true }).fit(scaled, y).coefficients,
    );
    expect(r[0]).toBeCloseTo(1 / 1000, 5);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(0.5, 2);
  });

  it('rejects bad options', () => {
    expect(() => lassoOptimizer({ alpha: -1 })).toThrow(ValueError);
    expect(() => lassoOptimizer({ solver: 'newton' as 'ista' })).toThrow(ValueError);
  });
});
