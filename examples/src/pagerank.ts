/**
 * PageRank by the power method against the direct solve (course notes 001, lesson 20-10).
 *
 * With P the row-normalised link matrix, dangling pages (no out-links) sent to the teleport vector v = 1/n and
 * damping α = 0.85, the Google matrix G = α(Pᵀ + v dᵀ) + (1 − α)v1ᵀ has the stationary distribution π = Gπ.
 * Because 1ᵀπ = 1, π also solves the linear system (I − α(Pᵀ + v dᵀ))π = (1 − α)v (Langville & Meyer,
 * Google's PageRank and Beyond, 2006, ch. 7). The power method πₖ₊₁ = Gπₖ converges at least as fast as αᵏ
 * because |λ₂(G)| = α|λ₂(S)| ≤ α (Haveliwala & Kamvar 2003); here pages 0 and 1 link only to each other, a
 * closed 2-cycle, so S has the eigenvalue −1 and the rate is exactly α.
 */
import { Generator, type NDArray, fromTypedArray, matmul, solve } from '@sciml/linalg';
import { CsrMatrix, pagerank } from '@sciml/linalg/sparse';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** A web-like directed graph: preferential attachment (new pages link to popular ones), some dangling pages. */
export function webGraph(n: number, outLinks = 3, danglingFraction = 0.05, seed = 0) {
  const rng = new Generator(seed);
  const from: number[] = [];
  const to: number[] = [];
  const inDegree = new Float64Array(n).fill(1);
  const dangling = new Set<number>();
  for (let i = 1; i < n; i++) if (rng.nextFloat() < danglingFraction) dangling.add(i);
  for (let i = 1; i < n; i++) {
    if (dangling.has(i)) continue;
    const chosen = new Set<number>();
    const total = inDegree.subarray(0, i).reduce((s, v) => s + v, 0);
    for (let tries = 0; chosen.size < Math.min(outLinks, i) && tries < 50; tries++) {
      // roulette wheel on the in-degrees of the earlier pages
      let u = rng.nextFloat() * total;
      let j = 0;
      while (j < i - 1 && u >= inDegree[j]!) u -= inDegree[j++]!;
      chosen.add(j);
    }
    for (const j of chosen) {
      from.push(i);
      to.push(j);
      inDegree[j]!++;
    }
  }
  // page 0 links back to page 1 so that it is not dangling by construction
  from.push(0);
  to.push(1);
  return { n, from, to, dangling };
}

/** The column-stochastic matrix S = Pᵀ + v dᵀ (dense), with v uniform. */
export function stochasticMatrix(g: ReturnType<typeof webGraph>): Float64Array {
  const { n } = g;
  const outDeg = new Float64Array(n);
  for (const i of g.from) outDeg[i]!++;
  const S = new Float64Array(n * n);
  g.from.forEach((i, e) => {
    S[g.to[e]! * n + i]! += 1 / outDeg[i]!;
  });
  for (let i = 0; i < n; i++) if (outDeg[i] === 0) for (let r = 0; r < n; r++) S[r * n + i] = 1 / n;
  return S;
}

/** π from the direct solve (I − αS)π = (1 − α)v. */
export function pagerankDirect(S: Float64Array, n: number, alpha: number): NDArray {
  const M = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) M[k] = -alpha * S[k]!;
  for (let i = 0; i < n; i++) M[i * n + i]! += 1;
  return solve(
    fromTypedArray(M, [n, n]),
    fromTypedArray(new Float64Array(n).fill((1 - alpha) / n), [n]),
  );
}

/** ‖πₖ − π‖₁ of the power method πₖ₊₁ = Gπₖ (dense G, from the uniform vector) for k = 0…steps. */
export function powerMethodErrors(
  S: Float64Array,
  n: number,
  alpha: number,
  exact: NDArray,
  steps: number,
) {
  const G = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) G[k] = alpha * S[k]! + (1 - alpha) / n;
  const Gm = fromTypedArray(G, [n, n]);
  const pi = exact.dataSync();
  let x = fromTypedArray(new Float64Array(n).fill(1 / n), [n]);
  const errors: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const xv = Float64Array.from(x.dataSync());
    errors.push(xv.reduce((s, v, i) => s + Math.abs(v - pi[i]!), 0));
    x = matmul(Gm, x);
  }
  return errors;
}

/** Sparse power-method PageRank (the library's), the direct solve, and the dense power method's error trace. */
export function pagerankExperiment(n = 1000, alpha = 0.85, steps = 60) {
  const g = webGraph(n);
  const links = CsrMatrix.fromTriplets([n, n], g.from, g.to, new Array(g.from.length).fill(1));
  const power = pagerank(links, { damping: alpha, tol: 1e-13 });
  const S = stochasticMatrix(g);
  const direct = pagerankDirect(S, n, alpha);
  const a = Float64Array.from(power.scores.dataSync());
  const b = Float64Array.from(direct.dataSync());
  const difference = a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);
  const errors = powerMethodErrors(S, n, alpha, direct, steps);
  const rate = (errors[steps]! / errors[steps / 2]!) ** (2 / steps);
  return {
    n,
    alpha,
    g,
    power,
    direct,
    difference,
    errors,
    rate,
    sum: b.reduce((s, v) => s + v, 0),
  };
}

export const example: Example = {
  name: 'pagerank',
  title:
    'PageRank (α = 0.85) by the power method on a web-like graph vs the direct solve; rate ≤ α',
  source: 'course-notes/001 lesson 20-10 (power method, Google matrix)',
  run() {
    const r = pagerankExperiment();
    const top = Array.from(r.direct.dataSync())
      .map((v, i) => [v, i] as const)
      .sort((p, q) => q[0] - p[0])
      .slice(0, 5);
    const itersTheory = Math.ceil(Math.log(1e-13 / 2) / Math.log(r.alpha));
    return {
      checks: [
        {
          quantity: '‖π_power − π_direct‖₁ (n = 1000)',
          measured: r.difference,
          theory: 0,
          note: 'sparse power method vs LU',
        },
        { quantity: 'Σπ (direct)', measured: r.sum, theory: 1, note: 'probability vector' },
        {
          quantity: 'power-method contraction per step',
          measured: r.rate,
          theory: r.alpha,
          note: '|λ₂(G)| = α|λ₂(S)|; pages 0 ⇄ 1 give λ = −1',
        },
        {
          quantity: 'iterations to ‖Δπ‖₁ < 1e-13',
          measured: r.power.iterations,
          theory: itersTheory,
          note: 'bound ⌈log(1e-13/2)/log α⌉',
        },
      ],
      remarks: [
        `top pages (index: score): ${top.map(([v, i]) => `${i}: ${v.toFixed(4)}`).join(', ')}; ${r.g.dangling.size} dangling pages`,
      ],
      figure: panels('PageRank', [
        lineChart(
          [
            ...series(
              'power method ‖πₖ − π‖₁',
              r.errors.map((_, k) => k),
              r.errors,
            ),
            ...series(
              '2αᵏ',
              r.errors.map((_, k) => k),
              r.errors.map((_, k) => 2 * r.alpha ** k),
            ),
          ],
          { title: 'Convergence, α = 0.85', xTitle: 'iteration k', yTitle: 'error', logY: true },
        ),
        lineChart(
          series(
            'π (rank order)',
            Array.from({ length: 100 }, (_, i) => i + 1),
            Array.from(r.direct.dataSync())
              .sort((p, q) => q - p)
              .slice(0, 100),
          ),
          {
            title: 'Scores by rank (heavy tail)',
            xTitle: 'rank',
            yTitle: 'π',
            logX: true,
            logY: true,
          },
        ),
      ]),
    };
  },
};
