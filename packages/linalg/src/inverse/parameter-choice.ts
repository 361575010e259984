import { ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { matmul } from '../ops/linear.js';
import {
  filteredResidualNormSq,
  filteredSolutionNormSq,
  svdSystem,
  tikhonovFilterFactors,
} from './svd-filter.js';
import { type TikhonovOptions, tikhonov } from './tikhonov.js';

/** Log-spaced regularisation parameters between lo and hi (inclusive), like `numpy.logspace`. */
export function logGrid(lo: number, hi: number, count = 100): number[] {
  if (!(lo > 0 && hi > lo) || count < 2)
    throw new ValueError('logGrid', `needs 0 < lo < hi and count ≥ 2, got ${lo}, ${hi}, ${count}`);
  const a = Math.log10(lo);
  const step = (Math.log10(hi) - a) / (count - 1);
  return Array.from({ length: count }, (_, i) => 10 ** (a + i * step));
}

function defaultGrid(s: Float64Array): number[] {
  const top = s[0]!;
  const bottom = Math.max(s[s.length - 1]!, top * 1e-12);
  return logGrid(bottom * 1e-2, top * 10, 120);
}

function residualNorm(A: NDArray, b: NDArray, x: NDArray): number {
  const r = matmul(A, x).dataSync();
  const bv = b.dataSync();
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i]! - bv[i]!) ** 2;
  return Math.sqrt(s);
}

function l2(v: NDArray): number {
  let s = 0;
  for (const x of v.dataSync()) s += x * x;
  return Math.sqrt(s);
}

/** The L-curve: residual and (semi-)norm of the Tikhonov solution for each α, its curvature, and the corner. */
export interface LCurve {
  alphas: number[];
  residualNorms: number[];
  solutionNorms: number[];
  /** Signed curvature of (log ‖Ax−b‖, log ‖Lx‖) as a function of α. */
  curvature: number[];
  /** α at the point of maximum curvature (the corner). */
  corner: number;
}

/**
 * L-curve analysis (Hansen & O'Leary 1993): traces (‖A x_α − b‖, ‖L x_α‖) over a log grid of α and picks the
 * corner of maximum curvature of the log–log curve, with curvature from centred differences in log α.
 *
 * Known behaviour (Hansen's six test problems, n = 64, 1 % noise, 10 seeds; parameter-choice-hansen.test.ts):
 * the corner is near-optimal on shaw, deriv2 and baart (median error 1.07–1.18× the optimum) but sits below the
 * optimal α on the smooth-kernel problems — under-regularising, median 2.3× (gravity), 4.3× (phillips) and 38×
 * (heat) the optimal error. Its large errors are never over-smoothing here. Cross-check with `gcv(…, { robust })`
 * or the discrepancy principle.
 */
export function lCurve(
  A: NDArray,
  b: NDArray,
  options: TikhonovOptions & { alphas?: number[] } = {},
): LCurve {
  let alphas = options.alphas;
  let rho: number[];
  let eta: number[];
  if (!options.L) {
    const sys = svdSystem(A, b);
    alphas ??= defaultGrid(sys.s);
    rho = alphas.map((a) =>
      Math.sqrt(filteredResidualNormSq(sys, tikhonovFilterFactors(sys.s, a))),
    );
    eta = alphas.map((a) =>
      Math.sqrt(filteredSolutionNormSq(sys, tikhonovFilterFactors(sys.s, a))),
    );
  } else {
    const L = options.L;
    alphas ??= defaultGrid(svdSystem(A, b).s);
    const xs = alphas.map((a) => tikhonov(A, b, a, { L }));
    rho = xs.map((x) => residualNorm(A, b, x));
    eta = xs.map((x) => l2(matmul(L, x)));
  }
  if (alphas.length < 3) throw new ValueError('lCurve', 'needs at least three values of alpha');
  const t = alphas.map(Math.log);
  const X = rho.map(Math.log);
  const Y = eta.map(Math.log);
  const curvature = alphas.map((_, i) => {
    if (i === 0 || i === alphas.length - 1) return Number.NEGATIVE_INFINITY;
    const h1 = t[i]! - t[i - 1]!;
    const h2 = t[i + 1]! - t[i]!;
    // first and second derivatives on a non-uniform grid
    const d1 = (f: number[]) => (f[i + 1]! - f[i - 1]!) / (h1 + h2);
    const d2 = (f: number[]) =>
      (2 * (h1 * f[i + 1]! - (h1 + h2) * f[i]! + h2 * f[i - 1]!)) / (h1 * h2 * (h1 + h2));
    const x1 = d1(X);
    const y1 = d1(Y);
    return (x1 * d2(Y) - y1 * d2(X)) / (x1 * x1 + y1 * y1) ** 1.5;
  });
  let best = 1;
  for (let i = 1; i < alphas.length - 1; i++) if (curvature[i]! > curvature[best]!) best = i;
  return { alphas, residualNorms: rho, solutionNorms: eta, curvature, corner: alphas[best]! };
}

/** Generalised cross-validation scores G(α) on a grid, and the minimiser. */
export interface GcvResult {
  alphas: number[];
  scores: number[];
  /** argmin G(α). */
  alpha: number;
}

/**
 * Generalised cross-validation for ridge/Tikhonov (L = I): G(α) = m‖A x_α − b‖² / (m − Σfᵢ)², the trace of
 * I − A A^♯_α being m − Σ fᵢ (Golub, Heath & Wahba 1979); evaluated from one SVD.
 *
 * With `robust: γ` (0 < γ < 1) it minimises Lukas' robust GCV instead, R(α) = (γ + (1 − γ) μ(α)) G(α) with
 * μ(α) = Σfᵢ²/m (M. A. Lukas, "Robust generalized cross-validation for choosing the regularization parameter",
 * Inverse Problems 22 (2006) 1883–1902), which penalises the small-α end by up to 1/γ.
 *
 * Known behaviour (measured on Hansen's six test problems, n = 64, 1 % noise, 10 seeds; see
 * parameter-choice-hansen.test.ts): plain GCV is near-optimal in the median (1.04–1.83× the optimal error) but
 * for square systems G(α) tends to a finite limit ≈ m·βₙ² as α → 0, set by one noise coefficient; when that
 * coefficient is small the minimiser runs to the bottom of the grid and the solution explodes (shaw, baart,
 * gravity: errors 10⁵–10¹⁰× the optimum on some seeds). Its large errors are always under-regularisation. Robust
 * GCV with γ = 0.1 removes those failures; prefer it, or the discrepancy principle when the noise norm is known.
 */
export function gcv(
  A: NDArray,
  b: NDArray,
  options: { alphas?: number[]; robust?: number } = {},
): GcvResult {
  const gamma = options.robust ?? 1;
  if (!(gamma > 0 && gamma <= 1))
    throw new ValueError(
      'gcv',
      `robust must be a weight γ in (0, 1] (1 = plain GCV), got ${gamma}`,
    );
  const sys = svdSystem(A, b);
  const alphas = options.alphas ?? defaultGrid(sys.s);
  const scores = alphas.map((a) => {
    const f = tikhonovFilterFactors(sys.s, a);
    const dof = sys.m - f.reduce((s, v) => s + v, 0);
    const g = (sys.m * filteredResidualNormSq(sys, f)) / (dof * dof);
    if (gamma === 1) return g;
    const mu = f.reduce((s, v) => s + v * v, 0) / sys.m;
    return (gamma + (1 - gamma) * mu) * g;
  });
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! < scores[best]!) best = i;
  return { alphas, scores, alpha: alphas[best]! };
}

/**
 * Discrepancy principle (Morozov 1966): the α whose Tikhonov residual equals δ = `noiseNorm` (times `tau`,
 * default 1), found by bisection in log α on the monotone residual curve. Throws when even α → 0 leaves a
 * residual above δ (the noise level is underestimated).
 */
export function discrepancyPrinciple(
  A: NDArray,
  b: NDArray,
  noiseNorm: number,
  options: TikhonovOptions & { tau?: number; rtol?: number } = {},
): { alpha: number; residualNorm: number } {
  const delta = noiseNorm * (options.tau ?? 1);
  if (!(delta > 0))
    throw new ValueError(
      'discrepancyPrinciple',
      `the noise norm must be positive, got ${noiseNorm}`,
    );
  const sys = svdSystem(A, b);
  const residualAt = options.L
    ? (a: number) => residualNorm(A, b, tikhonov(A, b, a, { L: options.L }))
    : (a: number) => Math.sqrt(filteredResidualNormSq(sys, tikhonovFilterFactors(sys.s, a)));
  let lo = sys.s[sys.s.length - 1]! > 0 ? sys.s[sys.s.length - 1]! * 1e-6 : sys.s[0]! * 1e-14;
  let hi = sys.s[0]! * 1e6;
  if (residualAt(lo) > delta) {
    throw new ValueError(
      'discrepancyPrinciple',
      `even the least-squares residual ${residualAt(lo).toExponential(3)} exceeds δ = ${delta.toExponential(3)}; the noise norm is too small`,
    );
  }
  if (residualAt(hi) < delta) return { alpha: hi, residualNorm: residualAt(hi) };
  const rtol = options.rtol ?? 1e-10;
  for (let it = 0; it < 200; it++) {
    const mid = Math.sqrt(lo * hi);
    if (residualAt(mid) > delta) hi = mid;
    else lo = mid;
    if (hi / lo - 1 < rtol) break;
  }
  const alpha = Math.sqrt(lo * hi);
  return { alpha, residualNorm: residualAt(alpha) };
}
