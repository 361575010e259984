/**
 * Double descent of minimum-norm least squares (course notes 000, lectures of 15–22 Jan: "Double descent").
 *
 * With n samples and p features, θ̂ = A⁺y interpolates once p ≥ n. For isotropic Gaussian features and
 * y = Aθ + σε the excess risk E‖θ̂ − θ‖² has, as n, p → ∞ with γ = p/n fixed (Hastie, Montanari, Rosset &
 * Tibshirani 2022, "Surprises in high-dimensional ridgeless least squares interpolation", Thm 1):
 *
 *   γ < 1:  σ²γ/(1 − γ)          γ > 1:  ‖θ‖²(1 − 1/γ) + σ²/(γ − 1)
 *
 * and exactly, for every finite n (inverse-Wishart mean; rotation invariance for the bias term):
 *
 *   p < n − 1:  σ²p/(n − p − 1)   p > n + 1:  ‖θ‖²(1 − n/p) + σ²n/(p − n − 1).
 *
 * The notes print σ²γ/(γ − 1) in both branches, which is negative for γ < 1; the correct first branch is
 * σ²γ/(1 − γ). The same peak at γ = 1 appears with random cosine features cos(wᵀx + b) (Rahimi & Recht 2007)
 * on a regression y = sin(aᵀx) + σε with x ∈ R¹⁰ (median over draws: near γ = 1 single draws are heavy-tailed).
 * In one dimension the cosine features of 20 points are nearly collinear and the curve drowns in ill-conditioning.
 */
import {
  Generator,
  type NDArray,
  add,
  cos,
  matmul,
  mean,
  mul,
  pinv,
  sin,
  square,
  sub,
  sum,
} from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** Asymptotic excess risk of ridgeless least squares with isotropic features (the corrected notes formula). */
export function asymptoticRisk(gamma: number, sigma2: number, thetaNorm2: number): number {
  if (gamma < 1) return (sigma2 * gamma) / (1 - gamma);
  if (gamma > 1) return thetaNorm2 * (1 - 1 / gamma) + sigma2 / (gamma - 1);
  return Number.POSITIVE_INFINITY;
}

/** Exact finite-n excess risk E‖θ̂ − θ‖² for Gaussian features (NaN for |p − n| ≤ 1, where it is infinite). */
export function exactRisk(n: number, p: number, sigma2: number, thetaNorm2: number): number {
  if (p < n - 1) return (sigma2 * p) / (n - p - 1);
  if (p > n + 1) return thetaNorm2 * (1 - n / p) + (sigma2 * n) / (p - n - 1);
  return Number.NaN;
}

/** Options of {@link doubleDescent}. */
export interface DoubleDescentOptions {
  /** Training samples (default 20, as in the notes). */
  n?: number;
  /** Feature counts p to sweep (default 2…100 in steps of 2). */
  ps?: number[];
  /** Monte Carlo repetitions per p (default 100). */
  trials?: number;
  /** Noise standard deviation σ (default 0.5). */
  sigma?: number;
  /** Input dimension d of the cosine-feature regression (default 10). */
  inputDim?: number;
  /** Scale s of the random frequencies w ~ N(0, s²I/d) of the cosine features (default 1). */
  frequency?: number;
  /** ‖θ‖ of the isotropic model (default 1). */
  thetaNorm?: number;
  seed?: number;
}

/** The swept curves. */
export interface DoubleDescentResult {
  n: number;
  gammas: number[];
  /** Monte Carlo mean of ‖θ̂ − θ‖² with isotropic Gaussian features. */
  gaussianRisk: number[];
  /** Median over draws of the test error with random cosine features. */
  cosineTestError: number[];
  sigma: number;
  thetaNorm: number;
}

/** Min-norm least squares: θ̂ = A⁺y (the minimum-norm interpolant once p ≥ n). */
function minNormFit(A: NDArray, y: NDArray): NDArray {
  return matmul(pinv(A), y);
}

/** Random Fourier (cosine) features cos(x wᵀ + b) of the points x (column). */
function cosineFeatures(x: NDArray, w: NDArray, b: NDArray): NDArray {
  return cos(add(matmul(x, w), b));
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Sweeps p for both models and returns the mean risks. */
export function doubleDescent(options: DoubleDescentOptions = {}): DoubleDescentResult {
  const n = options.n ?? 20;
  const ps = options.ps ?? Array.from({ length: 50 }, (_, i) => 2 * (i + 1));
  const trials = options.trials ?? 100;
  const sigma = options.sigma ?? 0.5;
  const thetaNorm = options.thetaNorm ?? 1;
  const frequency = options.frequency ?? 1;
  const rng = new Generator(options.seed ?? 0);
  // 1-D cosine features on 20 points are nearly collinear (smooth functions); inputs in R^d keep them apart.
  const d = options.inputDim ?? 10;
  const direction0 = rng.normal([d, 1], { std: 1 / Math.sqrt(d) });
  const target = (x: NDArray) => sin(matmul(x, direction0));
  const xTest = rng.normal([200, d]);
  const gaussianRisk: number[] = [];
  const cosineTestError: number[] = [];
  for (const p of ps) {
    let risk = 0;
    const testErrors: number[] = [];
    for (let t = 0; t < trials; t++) {
      // Isotropic Gaussian features: θ uniform on the sphere of radius ‖θ‖, y = Aθ + σε.
      const A = rng.normal([n, p]);
      const direction = rng.normal([p, 1]);
      const theta = mul(direction, thetaNorm / Math.sqrt(sum(square(direction)).item()));
      const y = add(matmul(A, theta), rng.normal([n, 1], { std: sigma }));
      risk += sum(square(sub(minNormFit(A, y), theta))).item();
      // Random cosine features on y = sin(2x) + σε, test error on fresh points.
      const w = rng.normal([d, p], { std: frequency / Math.sqrt(d) });
      const b = rng.uniform([1, p], { low: 0, high: 2 * Math.PI });
      const x = rng.normal([n, d]);
      const yTrain = add(target(x), rng.normal([n, 1], { std: sigma }));
      const coef = minNormFit(cosineFeatures(x, w, b), yTrain);
      const pred = matmul(cosineFeatures(xTest, w, b), coef);
      testErrors.push(mean(square(sub(pred, target(xTest)))).item());
    }
    gaussianRisk.push(risk / trials);
    cosineTestError.push(median(testErrors));
  }
  return { n, gammas: ps.map((p) => p / n), gaussianRisk, cosineTestError, sigma, thetaNorm };
}

export const example: Example = {
  name: 'double-descent',
  title: 'Double descent of min-norm least squares: risk vs γ = p/n peaks at γ = 1 (n = 20)',
  source: 'course-notes/000 "Double descent" (15–22 Jan); erratum: γ < 1 branch is σ²γ/(1−γ)',
  run() {
    const r = doubleDescent();
    const s2 = r.sigma ** 2;
    const r2 = r.thetaNorm ** 2;
    const at = (g: number) => r.gammas.findIndex((x) => Math.abs(x - g) < 1e-9);
    const peak = r.gammas[r.cosineTestError.indexOf(Math.max(...r.cosineTestError))]!;
    const checks = [0.5, 2, 4].map((g) => ({
      quantity: `E‖θ̂−θ‖² at γ = ${g} (Gaussian features)`,
      measured: r.gaussianRisk[at(g)]!,
      theory: exactRisk(r.n, g * r.n, s2, r2),
      note: `exact finite-n formula; asymptotic ${asymptoticRisk(g, s2, r2).toFixed(4)}`,
    }));
    checks.push({
      quantity: 'γ of the largest test error (cosine features)',
      measured: peak,
      theory: 1,
      note: 'interpolation threshold p = n',
    });
    const theory = r.gammas.map((g) => asymptoticRisk(g, s2, r2));
    return {
      checks,
      remarks: [
        'The notes print σ²γ/(γ−1) for γ < 1 too; that is negative. The corrected branch σ²γ/(1−γ) is used.',
      ],
      figure: panels('Double descent, n = 20', [
        lineChart(
          [
            ...series('Monte Carlo', r.gammas, r.gaussianRisk),
            ...series('theory (n, p → ∞)', r.gammas, theory),
          ],
          {
            title: 'Isotropic Gaussian features: E‖θ̂−θ‖²',
            xTitle: 'γ = p/n',
            yTitle: 'excess risk',
            logY: true,
            pointSeries: ['Monte Carlo'],
          },
        ),
        lineChart(series('test MSE', r.gammas, r.cosineTestError), {
          title: 'Random cosine features, y = sin 2x + noise',
          xTitle: 'γ = p/n',
          yTitle: 'test MSE',
          logY: true,
        }),
      ]),
    };
  },
};
