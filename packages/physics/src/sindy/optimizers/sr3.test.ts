import {
  Generator,
  type NDArray,
  ValueError,
  fromTypedArray,
  matmul,
  qr,
  transpose,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { sr3 } from './sr3.js';
import { sparseProblem } from './test-utils/problems.js';

const flat = (a: NDArray) => Array.from(a.dataSync());

/** Θ with orthonormal columns (ΘᵀΘ = I), so SR3's fixed point has a closed form. */
function orthonormal(m: number, p: number): NDArray {
  const rng = new Generator(5);
  return qr(rng.normal([m, p])).Q;
}

describe('sr3', () => {
  it('recovers a sparse Ξ exactly from noise-free data', () => {
    const xi = [
      [0, 2, 0, 0, -0.5],
      [1, 0, 0, 1, 0],
    ];
    const { theta, y } = sparseProblem(150, xi);
    const r = sr3({ threshold: 0.2 }).fit(theta, y);
    flat(r.coefficients).forEach((v, e) => {
      expect(v).toBeCloseTo(xi[Math.floor(e / 5)]![e % 5]!, 10);
    });
    expect(r.converged).toBe(true);
  });

  it('with l1 and orthonormal Θ converges to soft thresholding of Θᵀy by τ(1 + ν)/ν', () => {
    const theta = orthonormal(40, 6);
    const b = [3, -0.2, 1.1, -2.5, 0.6, 0.05];
    const y = matmul(theta, fromTypedArray(Float64Array.from(b), [6, 1]));
    const tau = 0.3;
    const nu = 2;
    const r = sr3({
      threshold: tau,
      nu,
      thresholder: 'l1',
      unbias: false,
      maxIter: 500,
      tol: 1e-14,
    }).fit(theta, y);
    const shrink = (tau * (1 + nu)) / nu;
    flat(r.coefficients).forEach((v, j) => {
      expect(v).toBeCloseTo(Math.sign(b[j]!) * Math.max(Math.abs(b[j]!) - shrink, 0), 10);
    });
  });

  it('with l0 and orthonormal Θ keeps large entries of Θᵀy unchanged and zeroes small ones', () => {
    const theta = orthonormal(30, 4);
    const b = [2, 0.1, -1.5, 0.05];
    const y = matmul(theta, fromTypedArray(Float64Array.from(b), [4, 1]));
    const r = sr3({ threshold: 0.4, nu: 1, unbias: false, maxIter: 200, tol: 1e-14 }).fit(theta, y);
    flat(r.coefficients).forEach((v, j) => {
      expect(v).toBeCloseTo(Math.abs(b[j]!) > 0.5 ? b[j]! : 0, 10);
    });
    // Θᵀ(y − Θ w) vanishes on the kept features: the relaxed problem's optimality.
    const resid = flat(matmul(transpose(theta), y)).map((v, j) => v - flat(r.coefficients)[j]!);
    expect(Math.abs(resid[0]!)).toBeLessThan(1e-10);
  });

  it('rejects bad options', () => {
    expect(() => sr3({ nu: 0 })).toThrow(ValueError);
    expect(() => sr3({ thresholder: 'l2' as 'l1' })).toThrow(ValueError);
  });
});
