import { type PyTree, treeMap, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  clip,
  fromTypedArray,
  mean,
  mul,
  square,
  sub,
} from '@sciml/linalg';
import { type GradientOptimizer, adam } from '@sciml/optim';
import type { Denoiser } from './denoiser.js';
import type { NoiseSchedule } from './schedules.js';

/** A column `[n, 1]` of per-example coefficients, in the dtype of the data they scale. */
function perRow(values: Float64Array, dtype: string): NDArray {
  const v = dtype === 'float32' ? Float32Array.from(values) : values;
  return fromTypedArray(v, [values.length, 1]);
}

/**
 * The simplified DDPM objective L_simple = E_{t, x₀, ε} ‖ε − ε_θ(√ᾱₜ x₀ + √(1 − ᾱₜ) ε, t)‖² (Ho et al. 2020,
 * eq. 14), with t uniform on 1…T per example. It is a reweighting of the variational bound
 * L = Σₜ KL(q(x_{t−1}|x_t,x₀) ‖ p_θ(x_{t−1}|x_t)) + const, whose terms are ‖ε − ε_θ‖² scaled by
 * βₜ²/(2σₜ²αₜ(1 − ᾱₜ)); dropping the scale favours the harder, noisier steps and samples better.
 * Mean over examples and coordinates.
 */
export function ddpmLoss<P extends PyTree>(
  denoiser: Denoiser<P>,
  params: P,
  x0: NDArray,
  options: { schedule: NoiseSchedule; rng: Generator },
): NDArray {
  const { schedule, rng } = options;
  if (x0.ndim !== 2 || x0.shape[1] !== denoiser.dim)
    throw new ValueError(
      'ddpmLoss',
      `x0 must be [n, ${denoiser.dim}], got [${x0.shape.join(', ')}]`,
    );
  const n = x0.shape[0]!;
  const T = schedule.betas.length;
  const t = Int32Array.from({ length: n }, () => rng.nextInt(1, T + 1));
  const sa = Float64Array.from(t, (s) => Math.sqrt(schedule.alphasCumprod[s - 1]!));
  const sb = Float64Array.from(t, (s) => Math.sqrt(1 - schedule.alphasCumprod[s - 1]!));
  const eps = rng.normal(x0.shape, { dtype: x0.dtype as 'float64' | 'float32' });
  const xt = add(mul(x0, perRow(sa, x0.dtype)), mul(eps, perRow(sb, x0.dtype)));
  return mean(square(sub(eps, denoiser.apply(params, xt, t))));
}

/** Options of {@link trainDdpm}. */
export interface TrainDdpmOptions<P extends PyTree> {
  /** Noise schedule. */
  schedule: NoiseSchedule;
  /** Random generator. */
  rng: Generator;
  /** Parameter updates (default 2000). */
  steps?: number;
  /** Examples per update, drawn with replacement (default 256). */
  batchSize?: number;
  /** Optimiser (default `adam({ lr: 1e-3 })`). */
  optimizer?: GradientOptimizer;
  /** Starting parameters (default `denoiser.init(rng)`). */
  init?: P;
  /** Called every step with the loss value; return `false` to stop. */
  onStep?: (step: number, loss: number) => boolean | undefined;
  /**
   * Return an exponential moving average of the iterates, θ̄ ← d θ̄ + (1 − d) θ, instead of the last iterate
   * (Ho et al. 2020, appendix B: decay 0.9999 over 800 000 steps). The decay at step s is min(d, (1 + s)/(10 + s)),
   * the warm-up of TensorFlow's `ExponentialMovingAverage`, so that short runs do not average in the
   * initialisation. Default: no averaging.
   */
  ema?: number;
}

/** Fits a denoiser to data `[n, d]` by minimising {@link ddpmLoss} with mini-batches; returns the parameters. */
export function trainDdpm<P extends PyTree>(
  denoiser: Denoiser<P>,
  data: NDArray,
  options: TrainDdpmOptions<P>,
): P {
  const { rng } = options;
  const steps = options.steps ?? 2000;
  const batch = options.batchSize ?? 256;
  const opt = options.optimizer ?? adam({ lr: 1e-3 });
  const ema = options.ema;
  if (ema !== undefined && !(ema >= 0 && ema < 1))
    throw new ValueError('trainDdpm', `ema must be a decay in [0, 1), got ${ema}`);
  let params = options.init ?? denoiser.init(rng);
  let state = opt.init(params);
  let average = params;
  const sampleBatch = batchSampler('trainDdpm', data, batch, rng);
  const lossGrad = valueAndGrad((p: P, x: NDArray) => ddpmLoss(denoiser, p, x, options));
  for (let s = 0; s < steps; s++) {
    const [loss, g] = lossGrad(params, sampleBatch());
    const next = opt.update(params, g as P, state);
    params = next.params;
    state = next.state;
    if (ema !== undefined) {
      const d = Math.min(ema, (1 + s) / (10 + s));
      average = treeMap((a: NDArray, p: NDArray) => add(mul(a, d), mul(p, 1 - d)), average, params);
    }
    if (options.onStep?.(s, loss.item()) === false) break;
  }
  return ema === undefined ? params : average;
}

/** Draws mini-batches of rows of `data` with replacement (for models trained by steps rather than epochs), in its dtype. */
export function batchSampler(
  op: string,
  data: NDArray,
  batch: number,
  rng: Generator,
): () => NDArray {
  if (data.ndim !== 2 || data.shape[0]! < 1)
    throw new ValueError(
      op,
      `data must be a non-empty [n, d] array, got [${data.shape.join(', ')}]`,
    );
  if (!Number.isInteger(batch) || batch < 1)
    throw new ValueError(op, `batchSize must be a positive integer, got ${batch}`);
  const [n, d] = data.shape as [number, number];
  const raw = data.dataSync();
  return () => {
    const out =
      data.dtype === 'float32' ? new Float32Array(batch * d) : new Float64Array(batch * d);
    for (let i = 0; i < batch; i++) {
      const r = rng.nextInt(0, n);
      for (let j = 0; j < d; j++) out[i * d + j] = Number(raw[r * d + j]);
    }
    return fromTypedArray(out, [batch, d]);
  };
}

/** Options of {@link ddpmSample}. */
export interface DdpmSampleOptions {
  /** The schedule the denoiser was trained with. */
  schedule: NoiseSchedule;
  /** Random generator. */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** Reverse-process variance σₜ²: `'beta'` (βₜ, default) or `'posterior'` (β̃ₜ = βₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ)). */
  variance?: 'beta' | 'posterior';
  /**
   * Clip x̂₀ to [−c, c] and step with the posterior mean μ̃ₜ(x_t, x̂₀) = √ᾱₜ₋₁βₜ/(1 − ᾱₜ) x̂₀ +
   * √αₜ(1 − ᾱₜ₋₁)/(1 − ᾱₜ) x_t, as Ho et al.'s reference code does (`clip_denoised`); default no clipping.
   */
  clipDenoised?: number;
}

/**
 * Ancestral sampling of the reverse process (Ho et al. 2020, Algorithm 2): x_T ~ N(0, I), then for t = T…1
 * x_{t−1} = (x_t − βₜ/√(1 − ᾱₜ) ε_θ(x_t, t))/√αₜ + σₜ z, z ~ N(0, I) (no noise at t = 1). Returns `[n, d]`.
 */
export function ddpmSample<P extends PyTree>(
  denoiser: Denoiser<P>,
  params: P,
  options: DdpmSampleOptions,
): NDArray {
  const { schedule, rng, n } = options;
  const T = schedule.betas.length;
  const clip = options.clipDenoised;
  checkClip('ddpmSample', clip);
  let x: NDArray = rng.normal([n, denoiser.dim]);
  const ts = new Int32Array(n);
  for (let t = T; t >= 1; t--) {
    ts.fill(t);
    const beta = schedule.betas[t - 1]!;
    const alpha = schedule.alphas[t - 1]!;
    const abar = schedule.alphasCumprod[t - 1]!;
    const eps = denoiser.apply(params, x, ts);
    if (clip === undefined) {
      x = mul(sub(x, mul(eps, beta / Math.sqrt(1 - abar))), 1 / Math.sqrt(alpha));
    } else {
      const abarPrev = t > 1 ? schedule.alphasCumprod[t - 2]! : 1;
      const { x0 } = predictX0(x, eps, abar, clip);
      x = add(
        mul(x0, (Math.sqrt(abarPrev) * beta) / (1 - abar)),
        mul(x, (Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar)),
      );
    }
    if (t > 1) {
      const abarPrev = schedule.alphasCumprod[t - 2]!;
      const v = options.variance === 'posterior' ? (beta * (1 - abarPrev)) / (1 - abar) : beta;
      x = add(x, rng.normal([n, denoiser.dim], { std: Math.sqrt(v) }));
    }
  }
  return x;
}

/** Options of {@link ddimSample}. */
export interface DdimSampleOptions {
  /** The schedule the denoiser was trained with. */
  schedule: NoiseSchedule;
  /** Random generator (draws x_T, and the noise when η > 0). */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** Number of sampling steps S ≤ T, on an evenly spaced subsequence of 1…T (default 50). */
  steps?: number;
  /** η: 0 (default) is the deterministic DDIM; 1 recovers DDPM-like ancestral noise. */
  eta?: number;
  /** Start from these x_T instead of drawing them (`[n, d]`); they enter at the first timestep of τ. */
  xT?: NDArray;
  /**
   * Where the S timesteps τ sit in 1…T (k = T/S): `'leading'` (default) τ = 1, 1 + k, …, 1 + (S − 1)k, the
   * spacing of the DDIM reference code, whose first step avoids t = T where a clipped β can leave ᾱ_T ≈ 0;
   * `'trailing'` τ = k, 2k, …, T.
   */
  spacing?: 'leading' | 'trailing';
  /** Clip the predicted x̂₀ to [−c, c] (e.g. 1 for images scaled to [−1, 1]); default no clipping. */
  clipDenoised?: number;
}

/** Checks a clip bound (undefined: none) for `op`. */
function checkClip(op: string, clip: number | undefined): void {
  if (clip !== undefined && !(clip > 0))
    throw new ValueError(op, `clipDenoised must be a positive bound c (x̂₀ ∈ [−c, c]), got ${clip}`);
}

/**
 * The clean-data prediction x̂₀ = (x_t − √(1 − ᾱₜ) ε_θ)/√ᾱₜ and the ε consistent with it. Without a clip they
 * are exact rearrangements; with one, x̂₀ is clipped to [−c, c] and ε recomputed from it, as in the DDPM and
 * DDIM reference code: where ᾱₜ ≈ 0 the division amplifies the network's error by 1/√ᾱₜ, and the clip caps it.
 */
function predictX0(
  x: NDArray,
  eps: NDArray,
  abar: number,
  bound: number | undefined,
): { x0: NDArray; eps: NDArray } {
  const x0 = mul(sub(x, mul(eps, Math.sqrt(1 - abar))), 1 / Math.sqrt(abar));
  if (bound === undefined) return { x0, eps };
  const clipped = clip(x0, -bound, bound);
  return {
    x0: clipped,
    eps: mul(sub(x, mul(clipped, Math.sqrt(abar))), 1 / Math.sqrt(1 - abar)),
  };
}

/** The S DDIM timesteps, from the noisiest down (see {@link DdimSampleOptions.spacing}). */
export function ddimTimesteps(T: number, S: number, spacing: 'leading' | 'trailing'): number[] {
  return Array.from({ length: S }, (_, i) => {
    const j = S - 1 - i;
    return spacing === 'leading' ? 1 + Math.floor((j * T) / S) : Math.round(((j + 1) * T) / S);
  });
}

/**
 * DDIM sampling (Song, Meng & Ermon 2021, eq. 12) on a subsequence τ of timesteps: with x̂₀ = (x_t − √(1 − ᾱₜ) ε_θ)/√ᾱₜ,
 * x_s = √ᾱ_s x̂₀ + √(1 − ᾱ_s − σ²) ε_θ + σ z, σ = η √((1 − ᾱ_s)/(1 − ᾱₜ)) √(1 − ᾱₜ/ᾱ_s). With η = 0 the map
 * x_T → x₀ is deterministic (the probability-flow ODE discretised), using the same trained ε-network as DDPM.
 * The default `'leading'` spacing starts at t = 1 + (S − 1)T/S rather than T: the cosine schedule's β clip
 * (0.999) leaves ᾱ_T ≈ 2e-7 (T = 100), and the first step's 1/√ᾱ_T would multiply the network's ε error by
 * ~60 (see `clipDenoised` for the other remedy of the reference code).
 */
export function ddimSample<P extends PyTree>(
  denoiser: Denoiser<P>,
  params: P,
  options: DdimSampleOptions,
): NDArray {
  const { schedule, rng, n } = options;
  const T = schedule.betas.length;
  const S = options.steps ?? Math.min(50, T);
  const eta = options.eta ?? 0;
  if (!Number.isInteger(S) || S < 1 || S > T)
    throw new ValueError('ddimSample', `steps must be an integer in [1, ${T}], got ${S}`);
  if (!(eta >= 0)) throw new ValueError('ddimSample', `eta must be ≥ 0, got ${eta}`);
  const spacing = options.spacing ?? 'leading';
  if (spacing !== 'leading' && spacing !== 'trailing')
    throw new ValueError('ddimSample', `spacing must be 'leading' or 'trailing', got ${spacing}`);
  checkClip('ddimSample', options.clipDenoised);
  const tau = ddimTimesteps(T, S, spacing);
  let x: NDArray = options.xT ?? rng.normal([n, denoiser.dim]);
  const ts = new Int32Array(n);
  for (let i = 0; i < S; i++) {
    const t = tau[i]!;
    const abar = schedule.alphasCumprod[t - 1]!;
    const abarPrev = i + 1 < S ? schedule.alphasCumprod[tau[i + 1]! - 1]! : 1;
    ts.fill(t);
    const { x0, eps } = predictX0(x, denoiser.apply(params, x, ts), abar, options.clipDenoised);
    const sigma = eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
    x = add(
      mul(x0, Math.sqrt(abarPrev)),
      mul(eps, Math.sqrt(Math.max(0, 1 - abarPrev - sigma * sigma))),
    );
    if (sigma > 0) x = add(x, rng.normal([n, denoiser.dim], { std: sigma }));
  }
  return x;
}
