import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  cholesky,
  div,
  eye,
  fromTypedArray,
  matmul,
  mean,
  mul,
  sub,
  transpose,
} from '@sciml/linalg';

/** A fitted mixture Σₖ πₖ N(μₖ, Σₖ) with full covariances. */
export interface GaussianMixture {
  /** Mixing weights πₖ, `[K]`, summing to 1. */
  weights: Float64Array;
  /** Component means, `[K, d]`. */
  means: NDArray;
  /** Lower Cholesky factors Lₖ of the covariances Σₖ = Lₖ Lₖᵀ, `[K, d, d]`. */
  choleskyFactors: NDArray;
  /** Mean log-likelihood of the data per EM iteration (non-decreasing, as EM guarantees). */
  logLikelihoods: number[];
}

/** Options of {@link fitGaussianMixture}. */
export interface FitGaussianMixtureOptions {
  /** Number of components K. */
  components: number;
  /** Random generator (picks the initial means among the data). */
  rng: Generator;
  /** Maximum EM iterations (default 100). */
  iterations?: number;
  /** Stop when the mean log-likelihood improves by less than this (default 1e-4). */
  tol?: number;
  /** Added to every covariance diagonal, as scikit-learn's `reg_covar` (default 1e-6). */
  regularization?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * ln N(xₙ | μ, LLᵀ) for every row of x (host values, `[n, d]` row-major), with L lower triangular `[d, d]`.
 * Host loops rather than array ops: d is a latent dimension (≲ 64), and per-row forward substitution
 * y = L⁻¹(xₙ − μ) costs d²/2 multiply-adds without materialising an `[n, d]` temporary per component.
 * Two rows at a time: within a row each yₐ waits on every earlier one (a chain of dependent subtractions and a
 * division), so one row alone leaves the CPU waiting on latency; two independent chains interleaved run ~1.6×
 * faster. Each row still sees the same operations in the same order, so the numbers are bitwise those of a
 * row-by-row loop (tested). An odd last row is paired with itself.
 */
function logNormalRows(
  x: Float64Array,
  n: number,
  d: number,
  mu: Float64Array,
  L: Float64Array,
): Float64Array {
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(L[i * d + i]!);
  const c = -0.5 * (d * LOG_2PI + logDet);
  const y0 = new Float64Array(d);
  const y1 = new Float64Array(d);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j += 2) {
    const j1 = Math.min(j + 1, n - 1);
    const o0 = j * d;
    const o1 = j1 * d;
    let q0 = 0;
    let q1 = 0;
    for (let a = 0; a < d; a++) {
      const row = a * d;
      let v0 = x[o0 + a]! - mu[a]!;
      let v1 = x[o1 + a]! - mu[a]!;
      for (let b = 0; b < a; b++) {
        const l = L[row + b]!;
        v0 -= l * y0[b]!;
        v1 -= l * y1[b]!;
      }
      v0 /= L[row + a]!;
      v1 /= L[row + a]!;
      y0[a] = v0;
      y1[a] = v1;
      q0 += v0 * v0;
      q1 += v1 * v1;
    }
    out[j] = c - 0.5 * q0;
    out[j1] = c - 0.5 * q1;
  }
  return out;
}

/**
 * Fits a K-component Gaussian mixture with full covariances by expectation–maximisation (Dempster, Laird &
 * Rubin 1977; Bishop, *Pattern Recognition and Machine Learning* §9.2.2): the E step computes responsibilities
 * γₙₖ ∝ πₖ N(xₙ | μₖ, Σₖ), the M step sets Nₖ = Σₙ γₙₖ, πₖ = Nₖ/N, μₖ = Σₙ γₙₖ xₙ/Nₖ and
 * Σₖ = Σₙ γₙₖ (xₙ − μₖ)(xₙ − μₖ)ᵀ/Nₖ + εI. Initial means are K distinct data points, covariances the data's.
 * Used as the ex-post density estimate of a VAE's aggregate posterior (Ghosh et al. 2020).
 */
export function fitGaussianMixture(
  data: NDArray,
  options: FitGaussianMixtureOptions,
): GaussianMixture {
  const op = 'fitGaussianMixture';
  const K = options.components;
  if (data.ndim !== 2 || data.shape[0]! < 1)
    throw new ValueError(
      op,
      `data must be a non-empty [n, d] array, got [${data.shape.join(', ')}]`,
    );
  const [n, d] = data.shape as [number, number];
  if (!Number.isInteger(K) || K < 1 || K > n)
    throw new ValueError(op, `components must be an integer in [1, n = ${n}], got ${K}`);
  const iterations = options.iterations ?? 100;
  const tol = options.tol ?? 1e-4;
  const reg = options.regularization ?? 1e-6;
  if (!(reg >= 0)) throw new ValueError(op, `regularization must be ≥ 0, got ${reg}`);
  const raw = Float64Array.from(data.dataSync(), Number);
  if (!raw.every(Number.isFinite))
    throw new ValueError(op, 'data contains NaN or Inf; drop or impute those rows first');
  const weights = new Float64Array(K).fill(1 / K);
  const means = new Float64Array(K * d);
  const picks = options.rng.permutation(n).slice(0, K);
  picks.forEach((r, k) => {
    means.set(raw.subarray(r * d, (r + 1) * d), k * d);
  });
  // every component starts at the data covariance
  const x = fromTypedArray(raw, [n, d]);
  const centred = sub(x, mean(x, { axis: 0 }));
  const dataCov = add(div(matmul(transpose(centred), centred), n), mul(eye(d), reg)).dataSync();
  const covs = new Float64Array(K * d * d);
  for (let k = 0; k < K; k++) covs.set(Float64Array.from(dataCov, Number), k * d * d);
  const resp = new Float64Array(n * K);

  const logLikelihoods: number[] = [];
  let factors: Float64Array[] = [];
  for (let it = 0; it < iterations; it++) {
    factors = Array.from({ length: K }, (_, k) =>
      Float64Array.from(
        cholesky(fromTypedArray(covs.slice(k * d * d, (k + 1) * d * d), [d, d])).dataSync(),
        Number,
      ),
    );
    // E step: log πₖ + ln N(xₙ | μₖ, Σₖ), normalised per row by log-sum-exp
    const logP = factors.map((L, k) =>
      logNormalRows(raw, n, d, means.subarray(k * d, (k + 1) * d), L),
    );
    const logW = weights.map(Math.log);
    let total = 0;
    for (let j = 0; j < n; j++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) m = Math.max(m, logW[k]! + logP[k]![j]!);
      let s = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(logW[k]! + logP[k]![j]! - m);
        resp[j * K + k] = e;
        s += e;
      }
      for (let k = 0; k < K; k++) resp[j * K + k]! /= s;
      total += m + Math.log(s);
    }
    logLikelihoods.push(total / n);
    const converged = it > 0 && total / n - logLikelihoods[it - 1]! < tol;
    if (converged || it === iterations - 1) break;
    // M step: Nₖ = Σₙ γₙₖ, μₖ = Σₙ γₙₖ xₙ/Nₖ, Σₖ = Σₙ γₙₖ (xₙ − μₖ)(xₙ − μₖ)ᵀ/Nₖ + εI (lower triangle, mirrored)
    const mu = new Float64Array(d);
    const c = new Float64Array(d * d);
    const e = new Float64Array(d);
    for (let k = 0; k < K; k++) {
      let nk = 0;
      mu.fill(0);
      for (let j = 0; j < n; j++) {
        const g = resp[j * K + k]!;
        nk += g;
        for (let a = 0; a < d; a++) mu[a]! += g * raw[j * d + a]!;
      }
      // a component that lost all its points keeps its old parameters rather than dividing by zero
      if (nk < 1e-10) continue;
      for (let a = 0; a < d; a++) mu[a]! /= nk;
      c.fill(0);
      for (let j = 0; j < n; j++) {
        const g = resp[j * K + k]!;
        if (g === 0) continue;
        // the centred row once, not once per (a, b) pair: same values, so the same sums
        for (let a = 0; a < d; a++) e[a] = raw[j * d + a]! - mu[a]!;
        for (let a = 0; a < d; a++) {
          const ga = g * e[a]!;
          const row = a * d;
          for (let b = 0; b <= a; b++) c[row + b]! += ga * e[b]!;
        }
      }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = c[a * d + b]! / nk + (a === b ? reg : 0);
          covs[k * d * d + a * d + b] = v;
          covs[k * d * d + b * d + a] = v;
        }
      }
      weights[k] = nk / n;
      means.set(mu, k * d);
    }
  }
  return {
    weights,
    means: fromTypedArray(means, [K, d]),
    choleskyFactors: fromTypedArray(Float64Array.from(factors.flatMap((L) => Array.from(L))), [
      K,
      d,
      d,
    ]),
    logLikelihoods,
  };
}

/** Draws n points from a {@link GaussianMixture}: a component k ~ π, then μₖ + Lₖ ε with ε ~ N(0, I). `[n, d]`. */
export function sampleGaussianMixture(
  mixture: GaussianMixture,
  n: number,
  rng: Generator,
): NDArray {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('sampleGaussianMixture', `n must be a non-negative integer, got ${n}`);
  const [K, d] = mixture.means.shape as [number, number];
  const mu = mixture.means.dataSync();
  const L = mixture.choleskyFactors.dataSync();
  const eps = rng.normal([n, d]).dataSync();
  const out = new Float64Array(n * d);
  for (let j = 0; j < n; j++) {
    let u = rng.nextFloat();
    let k = 0;
    while (k < K - 1 && u >= mixture.weights[k]!) u -= mixture.weights[k++]!;
    for (let a = 0; a < d; a++) {
      let v = Number(mu[k * d + a]);
      for (let b = 0; b <= a; b++) v += Number(L[k * d * d + a * d + b]) * Number(eps[j * d + b]);
      out[j * d + a] = v;
    }
  }
  return fromTypedArray(out, [n, d]);
}

/** Log-density ln Σₖ πₖ N(xₙ | μₖ, Σₖ) of each row of x `[n, d]` under a {@link GaussianMixture}, `[n]`. */
export function gaussianMixtureLogPdf(mixture: GaussianMixture, x: NDArray): Float64Array {
  const [K, d] = mixture.means.shape as [number, number];
  if (x.ndim !== 2 || x.shape[1] !== d)
    throw new ValueError(
      'gaussianMixtureLogPdf',
      `x must be [n, ${d}], got [${x.shape.join(', ')}]`,
    );
  const n = x.shape[0]!;
  const xs = Float64Array.from(x.dataSync(), Number);
  const L = Float64Array.from(mixture.choleskyFactors.dataSync(), Number);
  const mu = Float64Array.from(mixture.means.dataSync(), Number);
  const logP = Array.from({ length: K }, (_, k) =>
    logNormalRows(
      xs,
      n,
      d,
      mu.subarray(k * d, (k + 1) * d),
      L.subarray(k * d * d, (k + 1) * d * d),
    ),
  );
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) m = Math.max(m, Math.log(mixture.weights[k]!) + logP[k]![j]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(Math.log(mixture.weights[k]!) + logP[k]![j]! - m);
    out[j] = m + Math.log(s);
  }
  return out;
}
