import {
  Generator,
  type NDArray,
  ValueError,
  add,
  array,
  cholesky,
  concat,
  div,
  eye,
  fromTypedArray,
  matmul,
  mean,
  mul,
  sub,
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

/**
 * The spec of the EM loops, written the plain way: one row at a time, (xₙ − μ) recomputed wherever it is used.
 * fitGaussianMixture reorders the work for speed (two rows per forward substitution, centred rows once per
 * point); every number it computes must be bitwise this one's.
 */
function referenceLogNormal(x: Float64Array, d: number, mu: Float64Array, L: Float64Array): number {
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(L[i * d + i]!);
  const y = new Float64Array(d);
  let q = 0;
  for (let a = 0; a < d; a++) {
    let v = x[a]! - mu[a]!;
    for (let b = 0; b < a; b++) v -= L[a * d + b]! * y[b]!;
    v /= L[a * d + a]!;
    y[a] = v;
    q += v * v;
  }
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet) - 0.5 * q;
}

/** Reference EM from the same start as fitGaussianMixture (means = the rows `picks`, covariances the data's). */
function referenceEm(data: NDArray, K: number, picks: number[], iterations: number, reg: number) {
  const [n, d] = data.shape as [number, number];
  const raw = Float64Array.from(data.dataSync(), Number);
  const x = fromTypedArray(raw, [n, d]);
  const centred = sub(x, mean(x, { axis: 0 }));
  const dataCov = add(div(matmul(transpose(centred), centred), n), mul(eye(d), reg)).dataSync();
  const weights = new Float64Array(K).fill(1 / K);
  const means = picks.map((r) => raw.slice(r * d, (r + 1) * d));
  const covs = picks.map(() => Float64Array.from(dataCov, Number));
  const lls: number[] = [];
  let factors: Float64Array[] = [];
  for (let it = 0; it < iterations; it++) {
    factors = covs.map((c) =>
      Float64Array.from(cholesky(fromTypedArray(c, [d, d])).dataSync(), Number),
    );
    const resp = new Float64Array(n * K);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const row = raw.subarray(j * d, (j + 1) * d);
      const lp = factors.map(
        (L, k) => Math.log(weights[k]!) + referenceLogNormal(row, d, means[k]!, L),
      );
      const m = Math.max(...lp);
      let s = 0;
      for (let k = 0; k < K; k++) s += resp[j * K + k] = Math.exp(lp[k]! - m);
      for (let k = 0; k < K; k++) resp[j * K + k]! /= s;
      total += m + Math.log(s);
    }
    lls.push(total / n);
    if (it === iterations - 1) break;
    for (let k = 0; k < K; k++) {
      let nk = 0;
      const mu = new Float64Array(d);
      for (let j = 0; j < n; j++) {
        nk += resp[j * K + k]!;
        for (let a = 0; a < d; a++) mu[a]! += resp[j * K + k]! * raw[j * d + a]!;
      }
      if (nk < 1e-10) continue;
      for (let a = 0; a < d; a++) mu[a]! /= nk;
      const c = new Float64Array(d * d);
      for (let j = 0; j < n; j++) {
        const g = resp[j * K + k]!;
        if (g === 0) continue;
        for (let a = 0; a < d; a++)
          for (let b = 0; b <= a; b++)
            c[a * d + b]! += g * (raw[j * d + a]! - mu[a]!) * (raw[j * d + b]! - mu[b]!);
      }
      for (let a = 0; a < d; a++)
        for (let b = 0; b <= a; b++)
          covs[k]![a * d + b] = covs[k]![b * d + a] = c[a * d + b]! / nk + (a === b ? reg : 0);
      weights[k] = nk / n;
      means[k] = mu;
    }
  }
  return { weights, means, factors, lls };
}

/** Every element the same number (Object.is: NaN and the sign of zero included). */
const bitwise = (got: ArrayLike<number | bigint>, want: ArrayLike<number>) =>
  got.length === want.length && Array.from(got, Number).every((v, i) => Object.is(v, want[i]));

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

  it('computes bitwise what the plain row-by-row EM computes: odd and even n, one row, responsibilities of 0', () => {
    // 4-D, three clusters 40 σ apart, so far rows get responsibilities that underflow to exactly 0
    const cases: [number, number][] = [
      [101, 3],
      [100, 3],
      [7, 2],
      [1, 1],
    ];
    for (const [n, K] of cases) {
      const g = new Generator(n);
      const x = add(
        g.normal([n, 4]),
        mul(
          fromTypedArray(
            Float64Array.from({ length: n * 4 }, (_, i) => (Math.floor(i / 4) % 3) * 40),
            [n, 4],
          ),
          1,
        ),
      );
      const fit = fitGaussianMixture(x, {
        components: K,
        rng: new Generator(5),
        iterations: 6,
        tol: -1,
      });
      const picks = new Generator(5).permutation(n).slice(0, K);
      const ref = referenceEm(x, K, Array.from(picks, Number), 6, 1e-6);
      expect(bitwise(fit.logLikelihoods, ref.lls)).toBe(true);
      expect(bitwise(fit.weights, ref.weights)).toBe(true);
      expect(
        bitwise(
          fit.means.dataSync(),
          ref.means.flatMap((m) => Array.from(m)),
        ),
      ).toBe(true);
      expect(
        bitwise(
          fit.choleskyFactors.dataSync(),
          ref.factors.flatMap((L) => Array.from(L)),
        ),
      ).toBe(true);
      // the E-step kernel through the public log-density, an odd row count included
      const logPdf = gaussianMixtureLogPdf(fit, x);
      const want = Array.from({ length: n }, (_, j) => {
        const row = Float64Array.from(x.dataSync(), Number).subarray(j * 4, (j + 1) * 4);
        const lp = ref.factors.map(
          (L, k) => Math.log(ref.weights[k]!) + referenceLogNormal(row, 4, ref.means[k]!, L),
        );
        const m = Math.max(...lp);
        return m + Math.log(lp.reduce((s, v) => s + Math.exp(v - m), 0));
      });
      expect(bitwise(logPdf, want)).toBe(true);
    }
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
