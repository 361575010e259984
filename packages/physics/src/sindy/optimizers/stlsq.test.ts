import {
  type NDArray,
  ShapeError,
  SingularMatrixError,
  array,
  concat,
  matmul,
  qr,
  solveTriangular,
  svdvals,
  transpose,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { stlsq } from './stlsq.js';
import { sparseProblem } from './test-utils/problems.js';

const XI = [
  [0, 1.5, 0, -2, 0, 0],
  [0.7, 0, 0, 0, 0, 3],
];

const flat = (a: NDArray) => Array.from(a.dataSync());

/** Ridge solution by QR of the augmented system [Θ; √α I] ξ = [y; 0], independent of the normal equations. */
function ridgeByQR(theta: NDArray, y: NDArray, alpha: number): number[] {
  const p = theta.shape[1]!;
  const I = array(
    Array.from({ length: p }, (_, i) =>
      Array.from({ length: p }, (_, j) => (i === j ? Math.sqrt(alpha) : 0)),
    ),
  );
  const A = concat([theta, I], { axis: 0 });
  const b = concat([y, array(Array.from({ length: p }, () => Array(y.shape[1]!).fill(0)))], {
    axis: 0,
  });
  const { Q, R } = qr(A);
  return flat(transpose(solveTriangular(R, matmul(transpose(Q), b), { lower: false })));
}

describe('stlsq', () => {
  it('recovers a sparse Ξ exactly from noise-free data', () => {
    const { theta, y } = sparseProblem(200, XI);
    const r = stlsq({ threshold: 0.1 }).fit(theta, y);
    expect(r.coefficients.shape).toEqual([2, 6]);
    flat(r.coefficients).forEach((v, e) => {
      expect(v).toBeCloseTo(XI[Math.floor(e / 6)]![e % 6]!, 10);
    });
    expect(r.converged).toBe(true);
  });

  it('without unbiasing and threshold 0 it is ridge regression', () => {
    const { theta, y } = sparseProblem(50, XI, { noise: 0.3 });
    for (const alpha of [0, 0.5, 20]) {
      const r = stlsq({ threshold: 0, alpha, unbias: false }).fit(theta, y);
      const ref = ridgeByQR(theta, y, alpha);
      flat(r.coefficients).forEach((v, e) => {
        expect(v).toBeCloseTo(ref[e]!, 10);
      });
    }
  });

  it('drops terms below the threshold and refits the rest by least squares', () => {
    const xi = [[2, 0.05, -1, 0]];
    const { theta, y } = sparseProblem(300, xi);
    const r = flat(stlsq({ threshold: 0.1 }).fit(theta, y).coefficients);
    expect(r[1]).toBe(0);
    expect(r[3]).toBe(0);
    // The small term's contribution is now unexplained, so the refit equals least squares on columns 0 and 2.
    const cols = transpose(
      array((transpose(theta).toNested() as number[][]).filter((_, j) => j === 0 || j === 2)),
    );
    const ref = ridgeByQR(cols, y, 0);
    expect(r[0]).toBeCloseTo(ref[0]!, 10);
    expect(r[2]).toBeCloseTo(ref[1]!, 10);
  });

  it('normalizeColumns makes the threshold independent of feature scale', () => {
    const { theta, y } = sparseProblem(200, [[1, 0, 0.5]], { noise: 0.01 });
    const scaled = matmul(
      theta,
      array([
        [1000, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    );
    const plain = flat(stlsq({ threshold: 0.1 }).fit(scaled, y).coefficients);
    expect(plain[0]).toBe(0); // 1/1000 falls below an absolute threshold
    const normed = flat(
      stlsq({ threshold: 0.1, normalizeColumns: true }).fit(scaled, y).coefficients,
    );
    expect(normed[0]).toBeCloseTo(1 / 1000, 5);
    expect(normed[1]).toBe(0);
    expect(normed[2]).toBeCloseTo(0.5, 2);
  });

  it('solves nearly dependent libraries stably, without forming the normal equations', () => {
    // Θ = [a, b, a + 1e-8·c]·diag(scale, 1, scale): cond(Θ) ≈ 2e8, so cond(ΘᵀΘ) ≈ 4e16 is past float64
    // and a Cholesky of the normal equations breaks down; least squares on Θ itself keeps ~8 digits.
    const { theta: abc } = sparseProblem(200, [[0, 0, 0]]);
    const d = abc.dataSync();
    for (const [scale, alpha] of [
      [1, 0],
      [1e6, 0.05],
    ] as const) {
      const theta = array(
        Array.from({ length: 200 }, (_, i) => [
          d[3 * i]! * scale,
          d[3 * i + 1]!,
          (d[3 * i]! + 1e-8 * d[3 * i + 2]!) * scale,
        ]),
      );
      const y = matmul(theta, array([[1], [2], [0.5]]));
      const s = svdvals(theta).dataSync();
      const tol = 100 * (s[0]! / s[2]!) * Number.EPSILON; // backward-stable solvers: error ≲ cond·ε
      const r = flat(stlsq({ threshold: 0, alpha, unbias: false }).fit(theta, y).coefficients);
      const ref = ridgeByQR(theta, y, alpha);
      r.forEach((v, j) => {
        expect(Math.abs(v - ref[j]!)).toBeLessThan(tol * Math.max(1, Math.abs(ref[j]!)));
      });
    }
  });

  it('reports dependent features and mismatched shapes', () => {
    const { theta, y } = sparseProblem(40, [[1, 2]]);
    const dup = concat([theta, theta], { axis: 1 });
    expect(() => stlsq({ threshold: 0.01, alpha: 0 }).fit(dup, y)).toThrow(SingularMatrixError);
    expect(() => stlsq().fit(theta, array([[1], [2]]))).toThrow(ShapeError);
  });
});
