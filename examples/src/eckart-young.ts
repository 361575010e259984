/**
 * Eckart–Young–Mirsky and Marchenko–Pastur (course notes 001, lessons 30-09 and 07-10; notes 000, 10–13 Jan).
 *
 * The truncated SVD A_k = Σ_{i≤k} σᵢuᵢvᵢᵀ is the best rank-k approximation, with
 *   ‖A − A_k‖₂ = σₖ₊₁   and   ‖A − A_k‖_F² = Σ_{i>k} σᵢ²      (Eckart & Young 1936; Mirsky 1960).
 * An m×n matrix (m ≤ n) of i.i.d. N(0, 1) noise has singular values filling [√n(1 − √(m/n)), √n(1 + √(m/n))],
 * and the eigenvalues t of XXᵀ/n follow the Marchenko–Pastur density √((t₊ − t)(t − t₋))/(2πβt) with
 * β = m/n, t± = (1 ± √β)² (Marchenko & Pastur 1967). Singular values above the upper edge are signal, so the
 * edge (or the cumulative energy Eₖ = Σ_{i≤k}σᵢ²/Σσᵢ²) chooses k. The image is a mosaic of handwritten digits.
 */
import { loadDigits, lowRankPlusNoise } from '@sciml/data';
import {
  Generator,
  type NDArray,
  fromTypedArray,
  matmul,
  mul,
  norm,
  slice,
  sub,
  svd,
  svdvals,
} from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** A rows × cols mosaic of 28 × 28 handwritten digits (one of each class in turn) as one grey image. */
export async function digitsMosaic(rows: number, cols: number): Promise<NDArray> {
  const { x } = await loadDigits({ perClass: Math.ceil((rows * cols) / 10) });
  const pixels = x.dataSync();
  const [H, W] = [28 * rows, 28 * cols];
  const image = new Float64Array(H * W);
  for (let t = 0; t < rows * cols; t++) {
    // images are stored class by class: take digit t mod 10, its (t div 10)-th example
    const perClass = x.shape[0]! / 10;
    const idx = (t % 10) * perClass + Math.floor(t / 10);
    const [r0, c0] = [28 * Math.floor(t / cols), 28 * (t % cols)];
    for (let i = 0; i < 28; i++)
      for (let j = 0; j < 28; j++) image[(r0 + i) * W + c0 + j] = pixels[idx * 784 + i * 28 + j]!;
  }
  return fromTypedArray(image, [H, W]);
}

/** The rank-k truncated SVD as the dyadic sum Σ_{i≤k} σᵢuᵢvᵢᵀ. */
export function truncatedSvd(U: NDArray, S: NDArray, Vt: NDArray, k: number): NDArray {
  return matmul(mul(slice(U, null, `:${k}`), slice(S, `:${k}`)), slice(Vt, `:${k}`));
}

/** One row of the Eckart–Young check: the measured errors of A_k and the singular-value formulas. */
export interface EckartYoungRow {
  k: number;
  spectral: number;
  sigmaNext: number;
  frobeniusSq: number;
  tailSumSq: number;
  energy: number;
}

/** Measures ‖A − A_k‖₂ (largest singular value of the residual) and ‖A − A_k‖_F² (sum of squared entries). */
export function eckartYoung(A: NDArray, ranks: number[]): EckartYoungRow[] {
  const { U, S, Vt } = svd(A, { fullMatrices: false });
  const s = Float64Array.from(S.dataSync());
  const total = s.reduce((acc, v) => acc + v * v, 0);
  return ranks.map((k) => {
    const residual = sub(A, truncatedSvd(U, S, Vt, k));
    let tail = 0;
    for (let i = k; i < s.length; i++) tail += s[i]! * s[i]!;
    return {
      k,
      spectral: svdvals(residual).dataSync()[0]!,
      sigmaNext: s[k] ?? 0,
      frobeniusSq: norm(residual).item() ** 2,
      tailSumSq: tail,
      energy: 1 - tail / total,
    };
  });
}

/** Cumulative energy Eₖ = Σ_{i≤k} σᵢ² / Σ σᵢ² for k = 1…r. */
export function energyCurve(s: number[]): number[] {
  const total = s.reduce((a, v) => a + v * v, 0);
  const out: number[] = [];
  let acc = 0;
  for (const v of s) {
    acc += v * v;
    out.push(acc / total);
  }
  return out;
}

/** Marchenko–Pastur density of the eigenvalues of XXᵀ/n for β = m/n ≤ 1. */
export function marchenkoPasturDensity(t: number, beta: number): number {
  const [lo, hi] = [(1 - Math.sqrt(beta)) ** 2, (1 + Math.sqrt(beta)) ** 2];
  if (t <= lo || t >= hi) return 0;
  return Math.sqrt((hi - t) * (t - lo)) / (2 * Math.PI * beta * t);
}

/** Noise spectrum of an m × n Gaussian matrix against the MP law: edges and the Kolmogorov–Smirnov distance. */
export function marchenkoPastur(m: number, n: number, seed = 0) {
  const X = new Generator(seed).normal([m, n]);
  const sigma = Array.from(svdvals(X).dataSync());
  const beta = m / n;
  const t = sigma.map((s) => (s * s) / n).sort((a, b) => a - b);
  // MP CDF by the midpoint rule on a fine grid over the support
  const [lo, hi] = [(1 - Math.sqrt(beta)) ** 2, (1 + Math.sqrt(beta)) ** 2];
  const steps = 20000;
  const h = (hi - lo) / steps;
  const cdfGrid = new Float64Array(steps + 1);
  for (let i = 0; i < steps; i++)
    cdfGrid[i + 1] = cdfGrid[i]! + h * marchenkoPasturDensity(lo + (i + 0.5) * h, beta);
  const cdf = (x: number) =>
    x <= lo ? 0 : x >= hi ? 1 : cdfGrid[Math.min(steps, Math.floor((x - lo) / h))]!;
  let ks = 0;
  t.forEach((x, i) => {
    ks = Math.max(ks, Math.abs((i + 1) / t.length - cdf(x)), Math.abs(i / t.length - cdf(x)));
  });
  return {
    sigmaMax: Math.max(...sigma),
    sigmaMin: Math.min(...sigma),
    edges: [Math.sqrt(n) * (1 - Math.sqrt(beta)), Math.sqrt(n) * (1 + Math.sqrt(beta))] as const,
    ks,
    eigenvalues: t,
    beta,
  };
}

/** Rank of a low-rank + noise matrix read off as the number of singular values above the noise edge. */
export function rankAboveNoiseEdge(rows: number, cols: number, rank: number, noise: number) {
  const { matrix } = lowRankPlusNoise({
    rows,
    cols,
    rank,
    noise,
    singularValues: Array.from({ length: rank }, (_, i) => 10 * (rank - i)),
    seed: 3,
  });
  const s = Array.from(svdvals(matrix).dataSync());
  const edge =
    noise *
    Math.sqrt(Math.max(rows, cols)) *
    (1 + Math.sqrt(Math.min(rows, cols) / Math.max(rows, cols)));
  return { estimated: s.filter((v) => v > edge).length, singularValues: s, edge };
}

/** A heatmap panel of an image (downsampled by `stride` to keep the SVG small). */
function imagePanel(image: NDArray, title: string, stride = 2) {
  const [H, W] = image.shape as [number, number];
  const px = image.dataSync();
  const values: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < H; r += stride)
    for (let c = 0; c < W; c += stride)
      values.push({ r: r / stride, c: c / stride, v: px[r * W + c]! });
  return {
    title,
    width: (2 * W) / stride,
    height: (2 * H) / stride,
    data: { values },
    mark: { type: 'rect' as const },
    encoding: {
      x: { field: 'c', type: 'ordinal' as const, axis: null },
      y: { field: 'r', type: 'ordinal' as const, axis: null },
      color: {
        field: 'v',
        type: 'quantitative' as const,
        scale: { scheme: 'greys', domain: [0, 1] },
        legend: null,
      },
    },
  };
}

export const example: Example = {
  name: 'eckart-young',
  title:
    'Eckart–Young errors σₖ₊₁ and Σσᵢ², Marchenko–Pastur edges, energy-chosen k, SVD image compression',
  source:
    'course-notes/001 lessons 29-09, 30-09, 07-10; course-notes/000 "SVD Natural Image" (13 Jan)',
  async run() {
    const image = await digitsMosaic(4, 6);
    const ranks = [1, 5, 10, 20, 40];
    const rows = eckartYoung(image, ranks);
    const mp = marchenkoPastur(200, 800);
    const lr = rankAboveNoiseEdge(100, 200, 5, 0.5);
    const { U, S, Vt } = svd(image, { fullMatrices: false });
    const energy = rows.map((r) => r.energy);
    const checks = rows.flatMap((r) => [
      {
        quantity: `‖A − A_${r.k}‖₂ (digits mosaic)`,
        measured: r.spectral,
        theory: r.sigmaNext,
        note: 'σₖ₊₁',
      },
      {
        quantity: `‖A − A_${r.k}‖_F²`,
        measured: r.frobeniusSq,
        theory: r.tailSumSq,
        note: `Σ_{i>k} σᵢ²; energy Eₖ = ${(100 * r.energy).toFixed(1)} %`,
      },
    ]);
    checks.push(
      {
        quantity: 'largest noise singular value (200×800)',
        measured: mp.sigmaMax,
        theory: mp.edges[1],
        note: '√n(1+√(m/n))',
      },
      {
        quantity: 'smallest noise singular value',
        measured: mp.sigmaMin,
        theory: mp.edges[0],
        note: '√n(1−√(m/n))',
      },
      {
        quantity: 'KS distance to the MP law',
        measured: mp.ks,
        theory: 0,
        note: 'O(1/m) at finite size',
      },
      {
        quantity: 'rank above the noise edge (rank-5 + noise)',
        measured: lr.estimated,
        theory: 5,
        note: `edge ${lr.edge.toFixed(2)}`,
      },
    );
    const s = Array.from(S.dataSync());
    const cumulative = energyCurve(s);
    const ts = Array.from(
      { length: 200 },
      (_, i) => (1 - Math.sqrt(mp.beta)) ** 2 + ((i + 0.5) * 4 * Math.sqrt(mp.beta)) / 200,
    );
    const bins = 30;
    const [tlo, thi] = [ts[0]!, ts[ts.length - 1]!];
    const counts = new Array(bins).fill(0);
    for (const t of mp.eigenvalues)
      counts[Math.min(bins - 1, Math.max(0, Math.floor(((t - tlo) / (thi - tlo)) * bins)))]++;
    const width = (thi - tlo) / bins;
    return {
      checks,
      remarks: [
        `ranks for 90 % / 99 % energy: ${cumulative.findIndex((e) => e >= 0.9) + 1} / ${cumulative.findIndex((e) => e >= 0.99) + 1} of ${s.length}; energies ${energy.map((e) => e.toFixed(3)).join(', ')}`,
      ],
      figure: panels(
        'Eckart–Young and Marchenko–Pastur',
        [
          lineChart(
            [
              ...series(
                'σₖ',
                s.map((_, i) => i + 1),
                s,
              ),
              ...series(
                'cumulative energy Eₖ × σ₁',
                s.map((_, i) => i + 1),
                cumulative.map((e) => e * s[0]!),
              ),
            ],
            {
              title: 'Singular values of the digits mosaic',
              xTitle: 'k',
              yTitle: 'σₖ',
              logY: true,
            },
          ),
          lineChart(
            [
              ...series(
                'Marchenko–Pastur density',
                ts,
                ts.map((t) => marchenkoPasturDensity(t, mp.beta)),
              ),
              ...series(
                'histogram of σ²/n',
                counts.map((_, i) => tlo + (i + 0.5) * width),
                counts.map((c) => c / (mp.eigenvalues.length * width)),
              ),
            ],
            {
              title: 'Noise spectrum, 200 × 800 Gaussian',
              xTitle: 't = σ²/n',
              yTitle: 'density',
              pointSeries: ['histogram of σ²/n'],
            },
          ),
          ...[2, 10, 40].map((k) => imagePanel(truncatedSvd(U, S, Vt, k), `rank ${k}`)),
          imagePanel(image, `original (rank ${s.length})`),
        ],
        2,
      ),
    };
  },
};
