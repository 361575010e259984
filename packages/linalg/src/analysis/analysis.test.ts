import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { inv, slogdet, solve } from '../decomp/lu.js';
import { eigh } from '../decomp/eigh.js';
import { svdvals } from '../decomp/svd.js';
import { array, eye, fromTypedArray } from '../ops/creation.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { matmul, norm } from '../ops/linear.js';
import { mean, sum } from '../ops/reduce.js';
import { transpose } from '../ops/shape.js';
import { Generator } from '../random/generator.js';
import { GaussianProcess } from './gaussian-process.js';
import { KernelRidge } from './kernel-ridge.js';
import { linearKernel, polynomialKernel, rbfKernel, squaredDistances } from './kernels.js';
import { lowRankApproximation } from './low-rank.js';
import { singularValueThresholding, softImpute } from './matrix-completion.js';
import {
  marchenkoPasturEdges,
  marchenkoPasturMedian,
  optimalHardThreshold,
} from './noise-floor.js';
import { PCA } from './pca.js';

const maxAbs = (x: NDArray) => Math.max(...Array.from(x.dataSync(), Math.abs));
const relErr = (x: NDArray, y: NDArray) => norm(sub(x, y)).item() / norm(y).item();

/** Correlated Gaussian data: N × 5 with a known covariance structure. */
function data(N = 200) {
  const rng = new Generator(11);
  const Z = rng.normal([N, 5]);
  const mix = array([
    [3, 0, 0, 0, 0],
    [1, 2, 0, 0, 0],
    [0.5, 0.3, 1, 0, 0],
    [0, 0, 0.2, 0.5, 0],
    [0.1, 0, 0, 0, 0.1],
  ]);
  return add(matmul(Z, mix), array([1, -2, 0.5, 3, 0]));
}

describe('PCA', () => {
  const X = data();
  const N = X.shape[0]!;

  it('explained variances are the eigenvalues of the sample covariance (via eigh)', () => {
    const pca = new PCA().fit(X);
    const Xc = sub(X, mean(X, { axis: 0 }));
    const C = mul(matmul(transpose(Xc), Xc), 1 / (N - 1));
    const w = Array.from(eigh(C).values.dataSync()).reverse();
    const ev = pca.explainedVariance.dataSync();
    w.forEach((v, i) => {
      expect(Math.abs(ev[i]! - v)).toBeLessThan(1e-10 * w[0]!);
    });
    expect(sum(pca.explainedVarianceRatio).item()).toBeCloseTo(1, 14);
    expect(pca.cumulativeEnergy.dataSync()[4]).toBeCloseTo(1, 14);
    // components are orthonormal rows
    expect(
      maxAbs(sub(matmul(pca.components, pca.components, { transB: true }), eye(5))),
    ).toBeLessThan(1e-13);
  });

  it('reconstruction error with k components is Σ_{i>k} σᵢ² (Eckart–Young)', () => {
    const full = new PCA().fit(X);
    expect(relErr(full.inverseTransform(full.transform(X)), X)).toBeLessThan(1e-13);
    const pca = new PCA({ nComponents: 2 }).fit(X);
    const err = norm(sub(pca.inverseTransform(pca.transform(X)), X)).item() ** 2;
    const s = full.singularValues.dataSync();
    expect(err).toBeCloseTo(s[2]! ** 2 + s[3]! ** 2 + s[4]! ** 2, 8);
    expect(() => new PCA({ nComponents: 9 }).fit(X)).toThrow(ValueError);
    expect(() => new PCA().transform(X)).toThrow(/call fit/);
  });

  it('lowRankApproximation reports the Eckart–Young errors', () => {
    const A = new Generator(2).normal([30, 20]);
    const r = lowRankApproximation(A, 5);
    const D = sub(A, r.approximation);
    expect(norm(D).item()).toBeCloseTo(r.frobeniusError, 10);
    expect(svdvals(D).dataSync()[0]).toBeCloseTo(r.spectralError, 10);
    expect(svdvals(r.approximation).dataSync()[5]).toBeLessThan(1e-12);
  });
});

describe('noise floor', () => {
  it('pure noise fills the Marchenko–Pastur bulk', () => {
    const [m, n] = [200, 400];
    const s = svdvals(new Generator(3).normal([m, n], { std: 0.5 })).dataSync();
    const { lower, upper } = marchenkoPasturEdges(m, n, 0.5);
    expect(Math.abs(s[0]! / upper - 1)).toBeLessThan(0.05);
    expect(Math.abs(s[m - 1]! / lower - 1)).toBeLessThan(0.1);
  });

  it('reproduces the published constant ω(1) ≈ 2.858 = λ*(1)/√μ₁ with λ*(1) = 4/√3', () => {
    // Gavish & Donoho 2014 give ω(β = 1) ≈ 2.858 for unknown noise; μ₁ is the Marchenko–Pastur median
    const mu = marchenkoPasturMedian(1);
    expect(4 / Math.sqrt(3) / Math.sqrt(mu)).toBeCloseTo(2.858, 3);
  });

  it('the optimal hard threshold keeps exactly the signal rank, with σ known or estimated', () => {
    const rng = new Generator(4);
    const [m, n, r] = [120, 80, 4];
    const signal = mul(matmul(rng.normal([m, r]), rng.normal([r, n])), 1.5);
    const sigma = 0.3;
    const Y = add(signal, rng.normal([m, n], { std: sigma }));
    expect(optimalHardThreshold(Y, { sigma }).rank).toBe(r);
    const est = optimalHardThreshold(Y);
    expect(est.rank).toBe(r);
    expect(Math.abs(est.sigma / sigma - 1)).toBeLessThan(0.1);
  });
});

describe('kernels, kernel ridge regression and Gaussian processes', () => {
  const rng = new Generator(5);
  const X = rng.uniform([25, 2], { low: -2, high: 2 });
  const y = array(
    Array.from(
      { length: 25 },
      (_, i) => Math.sin(X.get(i, 0)) + 0.5 * X.get(i, 1) + 0.05 * rng.nextNormal(),
    ),
  );

  it('kernel matrices match their definitions entry by entry', () => {
    const K = rbfKernel({ lengthScale: 0.7, variance: 2 })(X, X);
    const P = polynomialKernel({ degree: 2, gamma: 0.5, coef0: 1 })(X, X);
    const D = squaredDistances(X, X);
    for (const [i, j] of [
      [0, 0],
      [3, 7],
      [24, 1],
    ] as const) {
      const d2 = (X.get(i, 0) - X.get(j, 0)) ** 2 + (X.get(i, 1) - X.get(j, 1)) ** 2;
      const dot = X.get(i, 0) * X.get(j, 0) + X.get(i, 1) * X.get(j, 1);
      expect(D.get(i, j)).toBeCloseTo(d2, 12);
      expect(K.get(i, j)).toBeCloseTo(2 * Math.exp(-d2 / (2 * 0.49)), 12);
      expect(P.get(i, j)).toBeCloseTo((0.5 * dot + 1) ** 2, 12);
    }
  });

  it('kernel ridge with a linear kernel equals primal ridge regression (representer theorem)', () => {
    const lambda = 0.3;
    const krr = new KernelRidge(linearKernel(), lambda).fit(X, y);
    const w = solve(add(matmul(transpose(X), X), mul(eye(2), lambda)), matmul(transpose(X), y));
    const Xs = rng.normal([7, 2]);
    expect(relErr(krr.predict(Xs), matmul(Xs, w))).toBeLessThan(1e-12);
    expect(() => new KernelRidge(linearKernel(), 0)).toThrow(ValueError);
  });

  it('GP posterior and log marginal likelihood match the dense closed forms', () => {
    const h = { lengthScale: 0.8, signalVariance: 1.3, noiseVariance: 0.01 };
    const gp = new GaussianProcess(h).fit(X, y);
    const k = rbfKernel({ lengthScale: h.lengthScale, variance: h.signalVariance });
    const Ky = add(k(X, X), mul(eye(25), h.noiseVariance));
    const Kinv = inv(Ky);
    const Xs = rng.uniform([6, 2], { low: -2, high: 2 });
    const Ks = k(X, Xs);
    const { mean: mu, variance } = gp.predict(Xs);
    expect(relErr(mu, matmul(matmul(Ks, Kinv, { transA: true }), y))).toBeLessThan(1e-10);
    const varRef = sub(h.signalVariance, sum(mul(Ks, matmul(Kinv, Ks)), { axis: 0 }));
    expect(maxAbs(sub(variance, varRef))).toBeLessThan(1e-10);
    const lml = gp.logMarginalLikelihood(X, y).value;
    const ref =
      -0.5 * sum(mul(y, matmul(Kinv, y))).item() -
      0.5 * slogdet(Ky).logabsdet.item() -
      12.5 * Math.log(2 * Math.PI);
    expect(lml).toBeCloseTo(ref, 9);
  });

  it('the LML gradient matches central differences in log-hyperparameters', () => {
    const h = { lengthScale: 0.8, signalVariance: 1.3, noiseVariance: 0.02 };
    const gp = new GaussianProcess(h);
    const { gradient } = gp.logMarginalLikelihood(X, y, h);
    const keys = ['lengthScale', 'signalVariance', 'noiseVariance'] as const;
    keys.forEach((key, i) => {
      const e = 1e-5;
      const up = { ...h, [key]: h[key] * Math.exp(e) };
      const down = { ...h, [key]: h[key] * Math.exp(-e) };
      const fd =
        (gp.logMarginalLikelihood(X, y, up).value - gp.logMarginalLikelihood(X, y, down).value) /
        (2 * e);
      expect(Math.abs(fd - gradient[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    });
  });

  it('optimising the hyperparameters raises the LML to a stationary point and fits the data', () => {
    const gp = new GaussianProcess({ lengthScale: 3, signalVariance: 0.2, noiseVariance: 0.5 });
    const before = gp.logMarginalLikelihood(X, y).value;
    const after = gp.optimize(X, y);
    expect(after).toBeGreaterThan(before + 10);
    const g = gp.logMarginalLikelihood(X, y).gradient;
    expect(Math.hypot(...g)).toBeLessThan(1e-3);
    // the noise variance found is of the order of the true 0.05² = 0.0025
    expect(gp.hyperparameters.noiseVariance).toBeGreaterThan(2e-4);
    expect(gp.hyperparameters.noiseVariance).toBeLessThan(2e-2);
  });
});

describe('matrix completion', () => {
  const rng = new Generator(6);
  const [m, n, r] = [30, 20, 2];
  const truth = matmul(rng.normal([m, r]), rng.normal([r, n]));
  const maskData = Uint8Array.from({ length: m * n }, () => (rng.nextFloat() < 0.6 ? 1 : 0));
  const mask = fromTypedArray(maskData, [m, n]);

  it('soft-impute recovers a rank-2 matrix from 60% of its entries', () => {
    const res = softImpute(truth, mask, { lambda: 0.01, tol: 1e-6, maxIter: 3000 });
    expect(res.converged).toBe(true);
    expect(relErr(res.X, truth)).toBeLessThan(5e-3);
    // larger λ trades bias for an exactly rank-2 answer
    expect(softImpute(truth, mask, { lambda: 0.1, tol: 1e-6, maxIter: 3000 }).rank).toBe(2);
  });

  it('singular value thresholding recovers it to about 1% (a first-order method: slow but cheap per step)', () => {
    const res = singularValueThresholding(truth, mask, { tau: 300, tol: 1e-6, maxIter: 1500 });
    expect(relErr(res.X, truth)).toBeLessThan(2e-2);
    // unobserved entries are predicted, not just observed ones fitted
    const miss = Array.from(maskData, (v, i) => (v ? -1 : i)).filter((i) => i >= 0);
    const t = truth.dataSync();
    const x = res.X.dataSync();
    const errMissing = Math.sqrt(
      miss.reduce((s, i) => s + (x[i]! - t[i]!) ** 2, 0) / miss.reduce((s, i) => s + t[i]! ** 2, 0),
    );
    expect(errMissing).toBeLessThan(5e-2);
  });

  it('rejects mismatched masks and empty observations', () => {
    expect(() =>
      softImpute(truth, fromTypedArray(new Uint8Array(4), [2, 2]), { lambda: 1 }),
    ).toThrow(ShapeError);
    expect(() =>
      softImpute(truth, fromTypedArray(new Uint8Array(m * n), [m, n]), { lambda: 1 }),
    ).toThrow(/no entries/);
  });
});
