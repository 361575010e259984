/**
 * Bias–variance, Bayesian linear regression and a Gaussian process (course notes 000, 15 Jan "bias-variance";
 * notes 002, "Kernel regression (Gaussian processes) and Bayesian statistics").
 *
 * 1. For a least-squares fit f̂ = Φ(ΦᵀΦ)⁻¹Φᵀy on a fixed design with y = f + ε, Var ε = σ², the expected test
 *    error at x splits exactly as E(y* − f̂(x))² = (E f̂(x) − f(x))² + Var f̂(x) + σ², with E f̂(x) = h(x)ᵀf and
 *    Var f̂(x) = σ²‖h(x)‖² for the hat row h(x)ᵀ = φ(x)ᵀ(ΦᵀΦ)⁻¹Φᵀ. Resampling the noise reproduces each term.
 * 2. Bayesian linear regression (Bishop 2006, §3.3–3.5): the evidence p(t | M) of polynomial models of degree M
 *    jumps at the true degree and then plateaus (Occam's razor); the posterior model probabilities
 *    p(M | t) ∝ p(t | M) average the predictions (Bayesian model averaging).
 * 3. A Gaussian process with an RBF kernel, its hyperparameters fitted by maximising the log marginal likelihood
 *    log p(y | X, θ) = −½yᵀK_y⁻¹y − ½ log|K_y| − (n/2) log 2π (Rasmussen & Williams 2006, eq. 5.8).
 */
import {
  BayesianLinearRegression,
  GaussianProcess,
  Generator,
  type NDArray,
  add,
  choSolve,
  cholesky,
  eye,
  fromTypedArray,
  matmul,
  mul,
  rbfKernel,
  slogdet,
  solve,
  sum,
  transpose,
} from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** Polynomial features 1, x, …, x^M (rows = points). */
export function polynomialFeatures(xs: ArrayLike<number>, M: number): NDArray {
  const rows = Array.from(xs, (x) => Array.from({ length: M + 1 }, (_, j) => x ** j));
  return fromTypedArray(Float64Array.from(rows.flat()), [xs.length, M + 1]);
}

const grid = (n: number, a: number, b: number) =>
  Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Monte Carlo bias², variance and test error of degree-M least squares, with their closed forms. */
export function biasVariance(
  M: number,
  options: { replications?: number; sigma?: number; seed?: number } = {},
) {
  const R = options.replications ?? 400;
  const sigma = options.sigma ?? 0.3;
  const rng = new Generator(options.seed ?? 0);
  const f = (x: number) => Math.sin(Math.PI * x);
  const xs = grid(30, -1, 1);
  const xt = grid(50, -0.95, 0.95);
  const Phi = polynomialFeatures(xs, M);
  const hat = matmul(polynomialFeatures(xt, M), solve(matmul(transpose(Phi), Phi), transpose(Phi))); // 50 × 30
  const H = Float64Array.from(hat.dataSync());
  const fx = xs.map(f);
  const ft = xt.map(f);
  const [T, N] = [xt.length, xs.length];
  const mean = new Float64Array(T);
  const meanSq = new Float64Array(T);
  let testError = 0;
  for (let r = 0; r < R; r++) {
    const eps = rng.normal([N], { std: sigma }).dataSync();
    const yStar = rng.normal([T], { std: sigma }).dataSync();
    for (let i = 0; i < T; i++) {
      let pred = 0;
      for (let j = 0; j < N; j++) pred += H[i * N + j]! * (fx[j]! + eps[j]!);
      mean[i]! += pred / R;
      meanSq[i]! += (pred * pred) / R;
      testError += (ft[i]! + yStar[i]! - pred) ** 2 / (R * T);
    }
  }
  let bias2 = 0;
  let variance = 0;
  let bias2Theory = 0;
  let varianceTheory = 0;
  for (let i = 0; i < T; i++) {
    bias2 += (mean[i]! - ft[i]!) ** 2 / T;
    variance += (meanSq[i]! - mean[i]! ** 2) / T;
    let Ef = 0;
    let h2 = 0;
    for (let j = 0; j < N; j++) {
      Ef += H[i * N + j]! * fx[j]!;
      h2 += H[i * N + j]! ** 2;
    }
    bias2Theory += (Ef - ft[i]!) ** 2 / T;
    varianceTheory += (sigma * sigma * h2) / T;
  }
  return { M, bias2, variance, testError, bias2Theory, varianceTheory, noise: sigma * sigma };
}

/** log N(t; 0, C), computed densely (the reference for the evidence and the GP likelihood). */
export function gaussianLogDensity(t: NDArray, C: NDArray): number {
  const quad = sum(mul(t, choSolve(cholesky(C), t))).item();
  return -0.5 * quad - 0.5 * slogdet(C).logabsdet.item() - 0.5 * t.size * Math.log(2 * Math.PI);
}

/** Cubic data t = 0.5 − x + 2x³ + ε, the evidence of degrees 0…maxDegree, and Bayesian model averaging. */
export function bayesianModels(options: { n?: number; maxDegree?: number; seed?: number } = {}) {
  const n = options.n ?? 30;
  const rng = new Generator(options.seed ?? 5);
  const xs = grid(n, -1, 1);
  const eps = rng.normal([n], { std: 0.2 }).dataSync();
  const t = fromTypedArray(
    xs.map((x, i) => 0.5 - x + 2 * x ** 3 + eps[i]!),
    [n],
  );
  const degrees = Array.from({ length: (options.maxDegree ?? 7) + 1 }, (_, M) => M);
  const models = degrees.map((M) => {
    const model = new BayesianLinearRegression();
    const logEvidence = model.optimize(polynomialFeatures(xs, M), t);
    return { M, model, logEvidence };
  });
  // the evidence by the dense Gaussian N(t; 0, β⁻¹I + α⁻¹ΦΦᵀ), for the cubic
  const cubic = models[3]!.model;
  const Phi3 = polynomialFeatures(xs, 3);
  const C = add(mul(eye(n), 1 / cubic.beta), mul(matmul(Phi3, transpose(Phi3)), 1 / cubic.alpha));
  const denseEvidence = gaussianLogDensity(t, C);
  const top = Math.max(...models.map((m) => m.logEvidence));
  const weights = models.map((m) => Math.exp(m.logEvidence - top));
  const total = weights.reduce((s, w) => s + w, 0);
  const posterior = weights.map((w) => w / total);
  const xp = grid(81, -1, 1);
  const averaged = new Float64Array(xp.length);
  models.forEach((m, k) => {
    const pred = m.model.predict(polynomialFeatures(xp, m.M)).mean.dataSync();
    for (let i = 0; i < xp.length; i++) averaged[i]! += posterior[k]! * pred[i]!;
  });
  return { xs, t, models, posterior, denseEvidence, xp, averaged };
}

/** A GP fitted to noisy sin(3x) by maximising the marginal likelihood from deliberately poor hyperparameters. */
export function gaussianProcessFit(options: { n?: number; noise?: number; seed?: number } = {}) {
  const n = options.n ?? 40;
  const noise = options.noise ?? 0.1;
  const rng = new Generator(options.seed ?? 2);
  const xs = Float64Array.from(rng.uniform([n], { low: -2, high: 2 }).dataSync()).sort();
  const X = fromTypedArray(xs, [n, 1]);
  const eps = rng.normal([n], { std: noise }).dataSync();
  const y = fromTypedArray(
    xs.map((x, i) => Math.sin(3 * x) + eps[i]!),
    [n],
  );
  const gp = new GaussianProcess({ lengthScale: 3, signalVariance: 0.2, noiseVariance: 0.5 });
  const before = gp.logMarginalLikelihood(X, y).value;
  const after = gp.optimize(X, y);
  const h = gp.hyperparameters;
  const Ky = add(
    rbfKernel({ lengthScale: h.lengthScale, variance: h.signalVariance })(X, X),
    mul(eye(n), h.noiseVariance),
  );
  const dense = gaussianLogDensity(y, Ky);
  const gradient = gp.logMarginalLikelihood(X, y).gradient;
  const xp = grid(121, -2.2, 2.2);
  const pred = gp.predict(fromTypedArray(xp, [xp.length, 1]));
  return {
    xs,
    y,
    before,
    after,
    dense,
    gradient,
    hyper: h,
    noise,
    xp,
    mean: pred.mean.dataSync(),
    variance: pred.variance.dataSync(),
  };
}

export const example: Example = {
  name: 'bias-variance',
  title:
    'Bias² + variance + σ² by resampling; Bayesian evidence picks the polynomial degree; a GP fitted by its marginal likelihood',
  source:
    'course-notes/000 (15 Jan, bias-variance); course-notes/002 (Bayesian statistics, Gaussian processes)',
  run() {
    const bv = [1, 3, 5, 9].map((M) => biasVariance(M));
    const bayes = bayesianModels();
    const gp = gaussianProcessFit();
    const best = bayes.models.reduce((a, b) => (b.logEvidence > a.logEvidence ? b : a));
    const checks = [
      ...bv.flatMap((r) => [
        {
          quantity: `degree ${r.M}: MC test error`,
          measured: r.testError,
          theory: r.bias2Theory + r.varianceTheory + r.noise,
          note: 'bias² + var + σ²',
        },
        {
          quantity: `degree ${r.M}: MC variance`,
          measured: r.variance,
          theory: r.varianceTheory,
          note: 'σ²‖h(x)‖² averaged',
        },
      ]),
      {
        quantity: 'Bayesian evidence: best polynomial degree',
        measured: best.M,
        theory: 3,
        note: 'data from a cubic',
      },
      {
        quantity: 'posterior probability of degree 3',
        measured: bayes.posterior[3]!,
        theory: Number.NaN,
        note: 'uniform prior over degrees 0…7',
      },
      {
        quantity: 'ln p(t | α, β), cubic: Bishop eq. 3.86',
        measured: bayes.models[3]!.logEvidence,
        theory: bayes.denseEvidence,
        note: 'vs dense log N(t; 0, β⁻¹I + α⁻¹ΦΦᵀ)',
      },
      {
        quantity: 'cubic: fitted noise std 1/√β',
        measured: 1 / Math.sqrt(bayes.models[3]!.model.beta),
        theory: 0.2,
        note: 'evidence maximisation',
      },
      {
        quantity: 'GP: log marginal likelihood after fit',
        measured: gp.after,
        theory: gp.dense,
        note: `vs dense; before fit ${gp.before.toFixed(2)}`,
      },
      {
        quantity: 'GP: fitted noise std σ_n',
        measured: Math.sqrt(gp.hyper.noiseVariance),
        theory: gp.noise,
        note: `ℓ = ${gp.hyper.lengthScale.toFixed(3)}, σ_f² = ${gp.hyper.signalVariance.toFixed(3)}`,
      },
      {
        quantity: 'GP: ‖∇ log p(y | θ)‖ at the optimum',
        measured: Math.hypot(...gp.gradient),
        theory: 0,
        note: 'stationary point',
      },
    ];
    const sd = Array.from(gp.variance, (v) => 2 * Math.sqrt(v + gp.hyper.noiseVariance));
    return {
      checks,
      figure: panels('Bias–variance, Bayesian model choice, Gaussian process', [
        lineChart(
          [
            ...series(
              'bias²',
              bv.map((r) => r.M),
              bv.map((r) => r.bias2),
            ),
            ...series(
              'variance',
              bv.map((r) => r.M),
              bv.map((r) => r.variance),
            ),
            ...series(
              'test error − σ²',
              bv.map((r) => r.M),
              bv.map((r) => r.testError - r.noise),
            ),
          ],
          {
            title: 'Least squares on sin(πx), σ = 0.3',
            xTitle: 'polynomial degree',
            yTitle: 'error',
            logY: true,
          },
        ),
        lineChart(
          series(
            'log evidence',
            bayes.models.map((m) => m.M),
            bayes.models.map((m) => m.logEvidence),
          ),
          {
            title: 'Evidence of polynomial degrees (truth: cubic)',
            xTitle: 'degree M',
            yTitle: 'ln p(t | M)',
          },
        ),
        lineChart(
          [
            ...series('data', bayes.xs, bayes.t.dataSync()),
            ...series('model average', bayes.xp, bayes.averaged),
          ],
          { title: 'Bayesian model averaging', xTitle: 'x', yTitle: 't', pointSeries: ['data'] },
        ),
        lineChart(
          [
            ...series('data', gp.xs, gp.y.dataSync()),
            ...series('GP mean', gp.xp, gp.mean),
            ...series(
              'mean + 2σ',
              gp.xp,
              Array.from(gp.mean, (m, i) => m + sd[i]!),
            ),
            ...series(
              'mean − 2σ',
              gp.xp,
              Array.from(gp.mean, (m, i) => m - sd[i]!),
            ),
          ],
          {
            title: 'GP after maximising the marginal likelihood',
            xTitle: 'x',
            yTitle: 'y',
            pointSeries: ['data'],
          },
        ),
      ]),
    };
  },
};
