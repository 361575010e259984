import {
  Generator,
  ValueError,
  add,
  array,
  concat,
  fromTypedArray,
  matmul,
  mean,
  sum,
  transpose,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  fitGaussianMixture,
  gaussianMixtureLogPdf,
  sampleGaussianMixture,
} from './gaussian-mixture-em.js';

/** n points from N(μ, LLᵀ) in 2-D. */
function gaussian(rng: Generator, n: number, mu: [number, number], L: number[][]) {
  return add(matmul(rng.normal([n, 2]), transpose(array(L))), array(mu));
}

describe('fitGaussianMixture (EM, full covariances)', () => {
  const rng = new Generator(0);
  // 0.3 N((−3, 0), diag(0.25, 1)) + 0.7 N((2, 1), [[1, 0.6], [0.6, 1]])
  const a = gaussian(
    rng,
    1500,
    [-3, 0],
    [
      [0.5, 0],
      [0, 1],
    ],
  );
  const b = gaussian(
    rng,
    3500,
    [2, 1],
    [
      [1, 0],
      [0.6, 0.8],
    ],
  );
  const data = concat([a, b], { axis: 0 });
  const gm = fitGaussianMixture(data, { components: 2, rng, iterations: 200, tol: 1e-10 });
  const order = Number(gm.means.dataSync()[0]) < 0 ? [0, 1] : [1, 0];

  it('recovers the weights, means and covariances of a two-component mixture', () => {
    const mu = gm.means.toNested() as number[][];
    const L = gm.choleskyFactors.toNested() as number[][][];
    const cov = (k: number) => {
      const l = L[k]!;
      return [
        [l[0]![0]! ** 2, l[0]![0]! * l[1]![0]!],
        [l[0]![0]! * l[1]![0]!, l[1]![0]! ** 2 + l[1]![1]! ** 2],
      ];
    };
    const [i, j] = order as [number, number];
    // within 3 standard errors of 1 500 / 3 500 points: weights 0.007, means ≤ 0.03, variances ≤ 0.037
    const near = (got: number, want: number, tol: number) =>
      expect(Math.abs(got - want)).toBeLessThan(tol);
    near(gm.weights[i]!, 0.3, 0.02);
    near(gm.weights[j]!, 0.7, 0.02);
    near(mu[i]![0]!, -3, 0.06);
    near(mu[i]![1]!, 0, 0.09);
    near(mu[j]![0]!, 2, 0.06);
    near(mu[j]![1]!, 1, 0.06);
    const ca = cov(i);
    const cb = cov(j);
    near(ca[0]![0]!, 0.25, 0.03);
    near(ca[1]![1]!, 1, 0.11);
    near(ca[0]![1]!, 0, 0.06);
    near(cb[0]![0]!, 1, 0.08);
    near(cb[0]![1]!, 0.6, 0.08);
    near(cb[1]![1]!, 1, 0.08);
  });

  it('never decreases the log-likelihood, and reports the one gaussianMixtureLogPdf computes', () => {
    const ll = gm.logLikelihoods;
    for (let i = 1; i < ll.length; i++) expect(ll[i]!).toBeGreaterThanOrEqual(ll[i - 1]! - 1e-9);
    // the last E step ran on the returned parameters
    expect(mean(fromTypedArray(gaussianMixtureLogPdf(gm, data), [5000])).item()).toBeCloseTo(
      ll.at(-1)!,
      8,
    );
  });

  it('one component is the Gaussian maximum-likelihood fit: sample mean and covariance', () => {
    const one = fitGaussianMixture(a, { components: 1, rng, regularization: 0 });
    const m = mean(a, { axis: 0 }).toNested() as number[];
    expect((one.means.toNested() as number[][])[0]).toEqual(
      m.map((v) => expect.closeTo(v, 12) as unknown as number),
    );
    // mean ln N at the MLE: −½ (d ln 2π + ln det Σ̂ + d)
    const l = one.choleskyFactors.toNested() as number[][][];
    const logDet = 2 * (Math.log(l[0]![0]![0]!) + Math.log(l[0]![1]![1]!));
    expect(one.logLikelihoods.at(-1)).toBeCloseTo(
      -0.5 * (2 * Math.log(2 * Math.PI) + logDet + 2),
      10,
    );
  });

  it('samples have the mixture mean Σ πₖ μₖ', () => {
    const s = sampleGaussianMixture(gm, 20000, new Generator(3));
    const m = mean(s, { axis: 0 }).toNested() as number[];
    // 0.3·(−3, 0) + 0.7·(2, 1) = (0.5, 0.7); the spread of x is ≈ 2.4, so the error of 20 000 draws ≈ 0.02
    expect(m[0]).toBeCloseTo(0.5, 1);
    expect(m[1]).toBeCloseTo(0.7, 1);
    expect(sum(s).item()).not.toBeNaN();
  });

  it('refuses bad input with the op name', () => {
    expect(() => fitGaussianMixture(array([1, 2, 3]), { components: 1, rng })).toThrow(ValueError);
    expect(() => fitGaussianMixture(array([[1, 2]]), { components: 2, rng })).toThrow(
      /fitGaussianMixture.*components/,
    );
    expect(() => fitGaussianMixture(array([[1, Number.NaN]]), { components: 1, rng })).toThrow(
      /NaN/,
    );
    expect(() => sampleGaussianMixture(gm, -1, rng)).toThrow(/sampleGaussianMixture/);
    expect(() => gaussianMixtureLogPdf(gm, array([[1, 2, 3]]))).toThrow(/gaussianMixtureLogPdf/);
  });
});
