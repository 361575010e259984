/**
 * Confidence sets for linear and nonlinear least squares, checked by Monte Carlo coverage (course notes 003,
 * part 3: "Confidence sets for linear and nonlinear models").
 *
 * Linear model y = Xβ + ε, ε ~ N(0, σ²I) with p = 2 parameters: β̂ − β ~ N(0, σ²(XᵀX)⁻¹), so
 *   known σ:    (β̂ − β)ᵀXᵀX(β̂ − β)/σ² ≤ χ²₂(1 − a) = −2 ln a
 *   unknown σ:  (β̂ − β)ᵀXᵀX(β̂ − β)/(2s²) ≤ F₂,ₙ₋₂(1 − a) = ((n − 2)/2)(a^(−2/(n−2)) − 1)
 * (both quantiles are closed forms for two parameters). For a nonlinear model y = f(t; θ) + ε the Gauss–Newton
 * linearisation gives the approximate set (θ − θ̂)ᵀ[s²(JᵀJ)⁻¹]⁻¹(θ − θ̂) ≤ 2F₂,ₙ₋₂(1 − a) with J the Jacobian
 * at θ̂ (Seber & Wild, Nonlinear Regression, 2003, §5.2). Each set covers the truth with probability 1 − a —
 * exactly for the linear ones, approximately (to the curvature of the model) for the nonlinear one.
 */
import {
  Generator,
  type NDArray,
  add,
  array,
  exp,
  linspace,
  matmul,
  mul,
  neg,
  ones,
  slice,
  solve,
  stack,
  sub,
  sum,
  transpose,
} from '@sciml/linalg';
import { leastSquares } from '@sciml/optim';
import type { Example } from './lib/example.js';
import { panels } from './lib/figure.js';

/** χ²₂ quantile: the CDF is 1 − e^(−x/2). */
export function chi2Quantile2(level: number): number {
  return -2 * Math.log(1 - level);
}

/** F₂,ν quantile: the CDF is 1 − (1 + 2x/ν)^(−ν/2). */
export function fQuantile2(level: number, nu: number): number {
  return (nu / 2) * ((1 - level) ** (-2 / nu) - 1);
}

/** The quadratic form dᵀMd for a 2-vector d. */
function quadForm(M: NDArray, d: NDArray): number {
  return sum(mul(d, matmul(M, d))).item();
}

/** Options of {@link linearCoverage} and {@link nonlinearCoverage}. */
export interface CoverageOptions {
  /** Monte Carlo replications (default 2000 linear, 500 nonlinear). */
  replications?: number;
  /** Confidence level 1 − a (default 0.95). */
  level?: number;
  seed?: number;
}

/** Coverage of the χ² (σ known) and F (σ estimated) ellipsoids for a straight-line fit, and the draws. */
export function linearCoverage(options: CoverageOptions = {}) {
  const R = options.replications ?? 2000;
  const level = options.level ?? 0.95;
  const rng = new Generator(options.seed ?? 0);
  const n = 20;
  const sigma = 0.5;
  const beta = array([1, 2]);
  const X = stack([ones([n]), linspace(0, 1, n)], { axis: 1 });
  const XtX = matmul(transpose(X), X);
  // β̂ = (XᵀX)⁻¹Xᵀy: one linear map for every replication
  const hat = solve(XtX, transpose(X));
  const chi2 = chi2Quantile2(level);
  const F = fQuantile2(level, n - 2);
  let hitKnown = 0;
  let hitEstimated = 0;
  const draws: { b0: number; b1: number; inside: boolean }[] = [];
  for (let r = 0; r < R; r++) {
    const y = add(matmul(X, beta), rng.normal([n], { std: sigma }));
    const betaHat = matmul(hat, y);
    const d = sub(betaHat, beta);
    const resid = sub(y, matmul(X, betaHat));
    const s2 = sum(mul(resid, resid)).item() / (n - 2);
    const q = quadForm(XtX, d);
    const inside = q / sigma ** 2 <= chi2;
    if (inside) hitKnown++;
    if (q / (2 * s2) <= F) hitEstimated++;
    if (r < 400) draws.push({ b0: betaHat.get(0), b1: betaHat.get(1), inside });
  }
  return {
    level,
    coverageKnown: hitKnown / R,
    coverageEstimated: hitEstimated / R,
    draws,
    XtX,
    sigma,
    chi2,
    beta,
  };
}

/** f(t; θ) = θ₀ exp(−θ₁ t). */
function decay(t: NDArray, theta: NDArray): NDArray {
  return mul(slice(theta, 0), exp(mul(neg(slice(theta, 1)), t)));
}

/** Coverage of the linearised (Gauss–Newton) confidence ellipse of an exponential-decay fit. */
export function nonlinearCoverage(options: CoverageOptions = {}) {
  const R = options.replications ?? 500;
  const level = options.level ?? 0.95;
  const rng = new Generator(options.seed ?? 0);
  const n = 25;
  const sigma = 0.05;
  const t = linspace(0, 3, n);
  const theta = array([2, 1.5]);
  const clean = decay(t, theta);
  const F = fQuantile2(level, n - 2);
  let hits = 0;
  let failed = 0;
  const draws: { b0: number; b1: number; inside: boolean }[] = [];
  for (let r = 0; r < R; r++) {
    const y = add(clean, rng.normal([n], { std: sigma }));
    const fit = leastSquares((th: NDArray) => sub(decay(t, th), y), [1, 1]);
    if (!fit.success || !fit.covariance) {
      failed++;
      continue;
    }
    const d = sub(theta, fit.x);
    // (θ − θ̂)ᵀ C⁻¹ (θ − θ̂) with C = s²(JᵀJ)⁻¹, the linearised covariance leastSquares returns
    const q = sum(mul(d, solve(fit.covariance, d))).item();
    const inside = q / 2 <= F;
    if (inside) hits++;
    if (draws.length < 400) draws.push({ b0: fit.x.get(0), b1: fit.x.get(1), inside });
  }
  return { level, coverage: hits / (R - failed), failed, draws, theta };
}

/** Boundary points of {β : (β − c)ᵀM(β − c) = r²} for a 2×2 SPD M. */
function ellipse(M: NDArray, center: NDArray, r2: number) {
  const [a, b, d] = [M.get(0, 0), M.get(0, 1), M.get(1, 1)];
  return Array.from({ length: 121 }, (_, k) => {
    const phi = (2 * Math.PI * k) / 120;
    const [u, v] = [Math.cos(phi), Math.sin(phi)];
    const scale = Math.sqrt(r2 / (a * u * u + 2 * b * u * v + d * v * v));
    return { b0: center.get(0) + scale * u, b1: center.get(1) + scale * v, k };
  });
}

function scatterPanel(
  title: string,
  draws: { b0: number; b1: number; inside: boolean }[],
  boundary: { b0: number; b1: number; k: number }[],
  names: [string, string],
) {
  return {
    title,
    width: 300,
    height: 260,
    layer: [
      {
        data: {
          values: draws.map((p) => ({
            ...p,
            where: p.inside ? 'truth inside the set' : 'truth outside',
          })),
        },
        mark: { type: 'point' as const, filled: true, size: 12, opacity: 0.6 },
        encoding: {
          x: {
            field: 'b0',
            type: 'quantitative' as const,
            title: names[0],
            scale: { zero: false },
          },
          y: {
            field: 'b1',
            type: 'quantitative' as const,
            title: names[1],
            scale: { zero: false },
          },
          color: { field: 'where', type: 'nominal' as const, title: null },
        },
      },
      {
        data: { values: boundary },
        mark: { type: 'line' as const, color: 'black' },
        encoding: {
          x: { field: 'b0', type: 'quantitative' as const },
          y: { field: 'b1', type: 'quantitative' as const },
          order: { field: 'k', type: 'quantitative' as const },
        },
      },
    ],
  };
}

export const example: Example = {
  name: 'confidence-sets',
  title:
    'Confidence ellipsoids (χ², F, linearised Gauss–Newton) and their Monte Carlo coverage at 95 %',
  source: 'course-notes/003 part 3 ("Confidence sets for linear and nonlinear models")',
  run() {
    const lin = linearCoverage();
    const non = nonlinearCoverage();
    const se = (p: number, R: number) => Math.sqrt((p * (1 - p)) / R);
    return {
      checks: [
        {
          quantity: 'coverage, linear, σ known (χ²₂ ellipse)',
          measured: lin.coverageKnown,
          theory: 0.95,
          note: `2000 draws, MC s.e. ${se(0.95, 2000).toFixed(3)}`,
        },
        {
          quantity: 'coverage, linear, σ estimated (F₂,₁₈ ellipse)',
          measured: lin.coverageEstimated,
          theory: 0.95,
          note: 'exact',
        },
        {
          quantity: 'coverage, θ₀e^(−θ₁t), linearised ellipse',
          measured: non.coverage,
          theory: 0.95,
          note: `500 draws, MC s.e. ${se(0.95, 500).toFixed(3)}; approximate`,
        },
        {
          quantity: 'χ²₂(0.95)',
          measured: lin.chi2,
          theory: 5.991464547107979,
          note: '−2 ln 0.05',
        },
      ],
      figure: panels('Confidence sets: the truth covered 95 % of the time', [
        scatterPanel(
          'Line fit: β̂ draws and the χ² set around the true β',
          lin.draws,
          ellipse(lin.XtX, lin.beta, lin.sigma ** 2 * lin.chi2),
          ['β₀', 'β₁'],
        ),
        {
          title: 'θ₀e^(−θ₁t): θ̂ draws (colour: truth in the linearised set)',
          width: 300,
          height: 260,
          data: {
            values: non.draws.map((p) => ({
              ...p,
              where: p.inside ? 'truth inside the set' : 'truth outside',
            })),
          },
          mark: { type: 'point' as const, filled: true, size: 12, opacity: 0.6 },
          encoding: {
            x: { field: 'b0', type: 'quantitative' as const, title: 'θ̂₀', scale: { zero: false } },
            y: { field: 'b1', type: 'quantitative' as const, title: 'θ̂₁', scale: { zero: false } },
            color: { field: 'where', type: 'nominal' as const, title: null },
          },
        },
      ]),
    };
  },
};
