/**
 * SVD image compression: the best rank-k approximation A_k = U_k Σ_k V_kᵀ (Eckart–Young–Mirsky),
 * with ‖A − A_k‖_F = (Σ_{i>k} σᵢ²)^½ and ‖A − A_k‖₂ = σ_{k+1} checked on the image itself.
 */
import {
  type NDArray,
  fromTypedArray,
  matmul,
  matrixNorm,
  mul,
  reshape,
  sub,
  svdTruncated,
  svdvals,
} from '@sciml/linalg';
import { heatmap, lineChart } from '../plots.js';
import type { Demo, DemoResult } from './types.js';

/** A 96 × 128 test image: a disc, a tilted bar, a smooth shading and a patch of fine stripes. */
export function testImage(rows = 96, cols = 128): NDArray {
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const y = i / rows;
      const x = j / cols;
      let v = 0.3 * x + 0.2 * y;
      if ((x - 0.3) ** 2 + (y - 0.45) ** 2 < 0.05) v += 0.6;
      if (Math.abs(0.8 * (x - 0.72) - 0.6 * (y - 0.5)) < 0.04 && Math.abs(y - 0.5) < 0.35) v -= 0.5;
      if (x > 0.55 && y > 0.75) v += 0.25 * Math.sign(Math.sin(60 * x));
      a[i * cols + j] = v;
    }
  }
  return fromTypedArray(a, [rows, cols]);
}

/** Rank-k compression of `a` with its errors, measured and as Eckart–Young predicts. */
export function compress(a: NDArray, k: number) {
  const [m, n] = a.shape as [number, number];
  const { U, S, Vt } = svdTruncated(a, k);
  const ak = matmul(mul(U, reshape(S, [1, k])), Vt);
  const sigma = Array.from(svdvals(a).dataSync());
  const tail = sigma.slice(k).reduce((s, v) => s + v * v, 0);
  const total = sigma.reduce((s, v) => s + v * v, 0);
  const diff = sub(a, ak);
  return {
    ak,
    sigma,
    relativeError: matrixNorm(diff, 'fro').item() / Math.sqrt(total),
    predictedRelativeError: Math.sqrt(tail / total),
    spectralError: matrixNorm(diff, 2).item(),
    nextSigma: k < sigma.length ? sigma[k]! : 0,
    energy: 1 - tail / total,
    storage: (k * (m + n + 1)) / (m * n),
  };
}

export const svdDemo: Demo = {
  id: 'svd',
  title: 'SVD image compression',
  about:
    'The truncated SVD A_k = U_k Σ_k V_kᵀ is the best rank-k approximation in the Frobenius and spectral ' +
    'norms (Eckart–Young–Mirsky): the relative Frobenius error equals (Σ_{i>k} σᵢ²)^½ / ‖A‖_F and the ' +
    'spectral error equals σ_{k+1}. Both are measured on the compressed image and printed next to the ' +
    'prediction; storage is k(m + n + 1) numbers instead of mn.',
  params: [{ name: 'rank', label: 'rank k', min: 1, max: 48, step: 1, value: 8 }],
  async run(params, ctx): Promise<DemoResult> {
    const k = params.rank!;
    ctx.progress({ fraction: 0.2, message: 'SVD of the image' });
    const a = testImage();
    const [m, n] = a.shape as [number, number];
    const c = compress(a, k);
    return {
      numbers: {
        rank: k,
        relativeError: c.relativeError,
        predictedRelativeError: c.predictedRelativeError,
        spectralError: c.spectralError,
        nextSigma: c.nextSigma,
        energy: c.energy,
        storage: c.storage,
      },
      lines: [
        `‖A − A_k‖_F / ‖A‖_F = ${c.relativeError.toFixed(6)} (Eckart–Young: ${c.predictedRelativeError.toFixed(6)})`,
        `‖A − A_k‖₂ = ${c.spectralError.toFixed(6)} (σ_{k+1} = ${c.nextSigma.toFixed(6)})`,
        `energy kept ${(100 * c.energy).toFixed(2)} %, storage ${(100 * c.storage).toFixed(1)} % of the image`,
      ],
      plots: [
        heatmap('original', a.dataSync(), m, n),
        heatmap(`rank ${k}`, c.ak.dataSync(), m, n),
        lineChart(
          'singular values',
          c.sigma.map((s, i) => ({ i: i + 1, sigma: s })),
          { x: 'i', y: 'sigma', logY: true },
        ),
      ],
    };
  },
};
