import { describe, expect, it } from 'vitest';
import { NotFiniteError, ShapeError, ValueError } from '../core/errors.js';
import { choSolve, cholesky } from '../decomp/cholesky.js';
import { slogdet } from '../decomp/lu.js';
import { eye, fromTypedArray } from '../ops/creation.js';
import { add, mul } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { Generator } from '../random/generator.js';
import { BayesianLinearRegression } from './bayesian-linear-regression.js';

/** Polynomial features 1, x, …, x^M of the points xs. */
function vandermonde(xs: number[], M: number) {
  return fromTypedArray(
    Float64Array.from(xs.flatMap((x) => Array.from({ length: M + 1 }, (_, j) => x ** j))),
    [xs.length, M + 1],
  );
}

describe('BayesianLinearRegression', () => {
  const rng = new Generator(4);
  const xs = Array.from({ length: 25 }, (_, i) => -1 + (2 * i) / 24);
  const noise = rng.normal([25], { std: 0.2 }).dataSync();
  const t = fromTypedArray(
    Float64Array.from(xs, (x, i) => 0.5 - x + 2 * x ** 3 + noise[i]!),
    [25],
  );

  it('the log evidence equals log N(t; 0, β⁻¹I + α⁻¹ΦΦᵀ) and the posterior solves the normal equations', () => {
    const Phi = vandermonde(xs, 4);
    const [alpha, beta] = [0.5, 20];
    const model = new BayesianLinearRegression({ alpha, beta }).fit(Phi, t);
    const C = add(mul(eye(25), 1 / beta), mul(matmul(Phi, Phi, { transB: true }), 1 / alpha));
    const quad = sum(mul(t, choSolve(cholesky(C), t))).item();
    const direct = -0.5 * quad - 0.5 * slogdet(C).logabsdet.item() - 12.5 * Math.log(2 * Math.PI);
    expect(model.logEvidence).toBeCloseTo(direct, 9);
    // m_N = (αI/β + ΦᵀΦ)⁻¹Φᵀt and S_N (αI + βΦᵀΦ) = I
    const A = add(mul(eye(5), alpha / beta), matmul(Phi, Phi, { transA: true }));
    const m = choSolve(cholesky(A), matmul(Phi, t, { transA: true }));
    const mean = model.mean.dataSync();
    for (const [i, v] of Array.from(m.dataSync()).entries()) expect(mean[i]).toBeCloseTo(v, 10);
    const I = matmul(
      model.covariance,
      add(mul(eye(5), alpha), mul(matmul(Phi, Phi, { transA: true }), beta)),
    );
    for (const [k, v] of Array.from(I.dataSync()).entries())
      expect(v).toBeCloseTo(k % 6 === 0 ? 1 : 0, 10);
    // predictive variance 1/β + φᵀS_Nφ at a training row
    const pred = model.predict(vandermonde([0.3], 4));
    const phi = vandermonde([0.3], 4);
    const expected = 1 / beta + sum(mul(phi, matmul(phi, model.covariance))).item();
    expect(pred.variance.item()).toBeCloseTo(expected, 12);
  });

  it('evidence jumps at the true cubic and plateaus after it, and MacKay updates make α, β stationary', () => {
    const evidences = [0, 1, 2, 3, 4, 5, 6, 7].map(
      (M) =>
        new BayesianLinearRegression({ alpha: 1, beta: 25 }).fit(vandermonde(xs, M), t).logEvidence,
    );
    // a big jump to the true degree, then an Occam plateau: extra terms buy at most a few nats
    expect(evidences[3]! - evidences[2]!).toBeGreaterThan(20);
    expect(Math.max(...evidences.slice(4)) - evidences[3]!).toBeLessThan(3);
    const model = new BayesianLinearRegression();
    const best = model.optimize(vandermonde(xs, 3), t);
    expect(1 / Math.sqrt(model.beta)).toBeGreaterThan(0.12); // the noise standard deviation is 0.2
    expect(1 / Math.sqrt(model.beta)).toBeLessThan(0.3);
    for (const f of [0.9, 1.1]) {
      const a = new BayesianLinearRegression({ alpha: model.alpha * f, beta: model.beta }).fit(
        vandermonde(xs, 3),
        t,
      );
      const b = new BayesianLinearRegression({ alpha: model.alpha, beta: model.beta * f }).fit(
        vandermonde(xs, 3),
        t,
      );
      expect(a.logEvidence).toBeLessThan(best);
      expect(b.logEvidence).toBeLessThan(best);
    }
  });

  it('rejects bad precisions, mismatched shapes, non-finite data and use before fit', () => {
    expect(() => new BayesianLinearRegression({ alpha: 0 })).toThrow(ValueError);
    expect(() =>
      new BayesianLinearRegression().fit(vandermonde(xs, 2), fromTypedArray(new Float64Array(3))),
    ).toThrow(ShapeError);
    expect(() =>
      new BayesianLinearRegression().fit(
        vandermonde([Number.NaN], 1),
        fromTypedArray(new Float64Array(1)),
      ),
    ).toThrow(NotFiniteError);
    expect(() => new BayesianLinearRegression().logEvidence).toThrow(ValueError);
  });
});
