/**
 * Universal approximation, constructively (course notes 001, lesson 09-12 "Universal Approximation Theorem").
 *
 * On nodes xᵢ = ih the P1 finite-element hat φᵢ is a combination of three ReLUs,
 *   φᵢ(x) = [ReLU(x − xᵢ₋₁) − 2ReLU(x − xᵢ) + ReLU(x − xᵢ₊₁)]/h,
 * so the interpolant I_h f = Σ f(xᵢ)φᵢ is a one-hidden-layer ReLU network: hidden weights 1, biases −xⱼ, output
 * weights the second differences (f(xⱼ₊₁) − 2f(xⱼ) + f(xⱼ₋₁))/h. It equals the piecewise-linear interpolant
 * to round-off and converges as ‖f − I_h f‖∞ ≤ h²‖f″‖∞/8 (order 2).
 *
 * Depth vs width (Poggio, Mhaskar, Rosasco, Miranda & Liao 2017): approximating to accuracy ε a function of
 * d variables with smoothness r needs N_s ≈ ε^(−d/r) units in a shallow network, but N_d ≈ d·ε^(−d̃/r) in a
 * deep one when the function is a composition of d̃-variate pieces; for d = 1000, d̃ = 2, r = 10, ε = 10⁻²:
 * N_d = 1000·10^0.4 ≈ 2 512 against N_s = 10^200.
 */
import { fromTypedArray, linspace, reshape } from '@sciml/linalg';
import { type LinearParams, linear, relu, sequential } from '@sciml/nn';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** The function to approximate and its second derivative's maximum on [0, 1]. */
export const target = (x: number) => Math.sin(2 * Math.PI * x) + 0.5 * x * x;
export const maxSecondDerivative = 4 * Math.PI ** 2 + 1;

/**
 * The ReLU network equal to the P1 interpolant of f on N + 1 uniform nodes of [0, 1], as @sciml/nn layers
 * with hand-set parameters: linear(N + 3) → relu → linear(1).
 */
export function hatNetwork(f: (x: number) => number, N: number) {
  const h = 1 / N;
  // knots x₋₁ … x_{N+1}; nodal values c with zeros outside [0, 1]
  const knots = Float64Array.from({ length: N + 3 }, (_, j) => (j - 1) * h);
  const c = (j: number) => (j >= 0 && j <= N ? f(j * h) : 0);
  const secondDifferences = Float64Array.from({ length: N + 3 }, (_, k) => {
    const j = k - 1;
    return (c(j + 1) - 2 * c(j) + c(j - 1)) / h;
  });
  const net = sequential(linear(N + 3), relu, linear(1));
  const params = {
    layers: [
      {
        weight: fromTypedArray(new Float64Array(N + 3).fill(1), [N + 3, 1]),
        bias: fromTypedArray(
          knots.map((t) => -t),
          [N + 3],
        ),
      },
      {},
      {
        weight: fromTypedArray(secondDifferences, [1, N + 3]),
        bias: fromTypedArray(new Float64Array(1), [1]),
      },
    ] as [LinearParams, Record<string, never>, LinearParams],
  };
  return (xs: Float64Array) =>
    net.apply(params, reshape(fromTypedArray(xs), [xs.length, 1])).y.dataSync() as Float64Array;
}

/** The P1 (piecewise-linear) interpolant of f on N + 1 uniform nodes, evaluated directly. */
export function p1Interpolant(f: (x: number) => number, N: number, x: number): number {
  const i = Math.min(N - 1, Math.max(0, Math.floor(x * N)));
  const t = x * N - i;
  return (1 - t) * f(i / N) + t * f((i + 1) / N);
}

/** max |net − P1| and max |f − P1| on a fine grid, for each N. */
export function hatExperiment(Ns: number[], points = 2001) {
  const xs = Float64Array.from(linspace(0, 1, points).dataSync());
  return Ns.map((N) => {
    const y = hatNetwork(target, N)(xs);
    let netVsP1 = 0;
    let error = 0;
    xs.forEach((x, k) => {
      const p1 = p1Interpolant(target, N, x);
      netVsP1 = Math.max(netVsP1, Math.abs(y[k]! - p1));
      error = Math.max(error, Math.abs(target(x) - p1));
    });
    return { N, h: 1 / N, netVsP1, error, bound: maxSecondDerivative / (8 * N * N) };
  });
}

/** N_d ≈ d·ε^(−d̃/r) (deep, compositional) and log₁₀ N_s = (d/r)·log₁₀(1/ε) (shallow). */
export function depthVsWidth(d: number, dTilde: number, r: number, eps: number) {
  return { deep: d * eps ** (-dTilde / r), log10Shallow: (d / r) * Math.log10(1 / eps) };
}

export const example: Example = {
  name: 'universal-approximation',
  title:
    'A hand-built ReLU network equals the P1 hat-function interpolant; error O(h²); N_d ≈ 2 512 vs N_s = 10²⁰⁰',
  source: 'course-notes/001 lesson 09-12 (constructive proof with ReLUs, depth vs width)',
  run() {
    const rows = hatExperiment([4, 8, 16, 32, 64]);
    const order = Math.log(rows[3]!.error / rows[4]!.error) / Math.log(2);
    const count = depthVsWidth(1000, 2, 10, 1e-2);
    const xs = Float64Array.from(linspace(0, 1, 401).dataSync());
    const y8 = hatNetwork(target, 8)(xs);
    return {
      checks: [
        ...rows.map((r) => ({
          quantity: `N = ${r.N}: max |ReLU net − P1 interpolant|`,
          measured: r.netVsP1,
          theory: 0,
          note: 'same function',
        })),
        ...rows.map((r) => ({
          quantity: `N = ${r.N}: max |f − I_h f| / (h²‖f″‖/8)`,
          measured: r.error / r.bound,
          theory: 1,
          note: 'bound: ≤ 1',
        })),
        {
          quantity: 'order of convergence (N = 32 → 64)',
          measured: order,
          theory: 2,
          note: 'P1 interpolation',
        },
        {
          quantity: 'N_d = d ε^(−d̃/r), d = 1000, d̃ = 2, r = 10, ε = 1e-2',
          measured: count.deep,
          theory: 2512,
          note: 'the notes round to 2500',
        },
        {
          quantity: 'log₁₀ N_s = (d/r) log₁₀(1/ε)',
          measured: count.log10Shallow,
          theory: 200,
          note: 'shallow: 10²⁰⁰ units',
        },
      ],
      figure: panels('Universal approximation with ReLUs', [
        lineChart(
          [
            ...series('f', xs, xs.map(target)),
            ...series('ReLU network, N = 8', xs, y8),
            ...series(
              'nodes',
              Array.from({ length: 9 }, (_, i) => i / 8),
              Array.from({ length: 9 }, (_, i) => target(i / 8)),
            ),
          ],
          {
            title: 'ReLU net = P1 interpolant (N = 8)',
            xTitle: 'x',
            yTitle: 'y',
            pointSeries: ['nodes'],
          },
        ),
        lineChart(
          [
            ...series(
              'max |f − I_h f|',
              rows.map((r) => r.h),
              rows.map((r) => r.error),
            ),
            ...series(
              'h²‖f″‖/8',
              rows.map((r) => r.h),
              rows.map((r) => r.bound),
            ),
          ],
          {
            title: 'Interpolation error',
            xTitle: 'h',
            yTitle: 'error',
            logX: true,
            logY: true,
            pointSeries: ['max |f − I_h f|'],
          },
        ),
      ]),
    };
  },
};
