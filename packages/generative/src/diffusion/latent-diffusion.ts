import type { PyTree } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  astype,
  div,
  fromTypedArray,
  mul,
  sub,
} from '@sciml/linalg';
import { type Vae, type VaeParams, vaeDecodeSample } from '../vae/vae.js';
import { type TrainDdpmOptions, ddimSample, ddpmSample, trainDdpm } from './ddpm.js';
import { type Denoiser, mlpDenoiser } from './denoiser.js';
import type { NoiseSchedule } from './schedules.js';

/**
 * The affine map u = (z − shift)/scale, per latent coordinate, between an autoencoder's latents z and the
 * unit-scale space a latent diffusion model is trained in (the forward process ends at N(0, I), so the data
 * should be of unit scale for the schedule's signal-to-noise ratios to mean what they say).
 */
export interface LatentScaling {
  /** Subtracted from each coordinate, `[d]`. */
  shift: Float64Array;
  /** Divides each coordinate after the shift, `[d]`, all > 0. */
  scale: Float64Array;
}

/**
 * How {@link fitLatentScaling} standardises: `'dimension'` centres each coordinate and divides it by its
 * standard deviation; `'scalar'` divides every coordinate by one standard deviation of all entries, uncentred
 * (Rombach et al. 2022, §4.3.2 / appendix G: z ↦ z/σ̂ for the KL-regularised autoencoder); `'none'` is the identity.
 */
export type LatentScalingMode = 'dimension' | 'scalar' | 'none';

/** Checks that z is a finite float `[n, d]` array with n ≥ 1; returns its host values. */
function checkLatents(op: string, z: NDArray, d?: number): Float64Array {
  if (z.ndim !== 2 || z.shape[0]! < 1 || (d !== undefined && z.shape[1] !== d))
    throw new ValueError(
      op,
      `latents must be a non-empty [n, ${d ?? 'd'}] array, got [${z.shape.join(', ')}]`,
    );
  const raw = Float64Array.from(z.dataSync(), Number);
  if (!raw.every(Number.isFinite))
    throw new ValueError(op, 'latents contain NaN or Inf; check the encoder and its input');
  return raw;
}

/**
 * Fits the {@link LatentScaling} of latents z `[n, d]` (mode `'dimension'` by default). A coordinate with zero
 * spread (a collapsed latent the encoder ignores) keeps scale 1 rather than dividing by zero.
 */
export function fitLatentScaling(z: NDArray, mode: LatentScalingMode = 'dimension'): LatentScaling {
  const op = 'fitLatentScaling';
  if (mode !== 'dimension' && mode !== 'scalar' && mode !== 'none')
    throw new ValueError(op, `mode must be 'dimension', 'scalar' or 'none', got ${String(mode)}`);
  const raw = checkLatents(op, z);
  const [n, d] = z.shape as [number, number];
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (mode === 'none') return { shift, scale };
  if (mode === 'scalar') {
    let s2 = 0;
    for (const v of raw) s2 += v * v;
    const s = Math.sqrt(s2 / raw.length);
    if (s > 0) scale.fill(s);
    return { shift, scale };
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) shift[j]! += raw[i * d + j]! / n;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) v[j]! += (raw[i * d + j]! - shift[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) if (v[j]! > 0) scale[j] = Math.sqrt(v[j]!);
  return { shift, scale };
}

/** A row `[1, d]` of host numbers in the dtype of `like`. */
function row(values: Float64Array, like: NDArray): NDArray {
  const v = like.dtype === 'float32' ? Float32Array.from(values) : values;
  return fromTypedArray(v, [1, values.length]);
}

/** u = (z − shift)/scale for latents z `[n, d]` (see {@link LatentScaling}). */
export function scaleLatents(scaling: LatentScaling, z: NDArray): NDArray {
  checkLatents('scaleLatents', z, scaling.shift.length);
  return div(sub(z, row(scaling.shift, z)), row(scaling.scale, z));
}

/** z = u · scale + shift, the inverse of {@link scaleLatents}. */
export function unscaleLatents(scaling: LatentScaling, u: NDArray): NDArray {
  checkLatents('unscaleLatents', u, scaling.shift.length);
  return add(mul(u, row(scaling.scale, u)), row(scaling.shift, u));
}

/** A trained latent diffusion model: the autoencoder, the latent scaling and the ε-network in latent space. */
export interface LatentDdpm<P extends PyTree = PyTree> {
  /** The (trained, frozen) autoencoder whose encoder means are the diffusion model's data. */
  readonly autoencoder: Vae;
  /** Its parameters. */
  readonly autoencoderParams: VaeParams;
  /** The latent scaling the denoiser was trained in. */
  readonly scaling: LatentScaling;
  /** The noise schedule. */
  readonly schedule: NoiseSchedule;
  /** The ε-network on scaled latents. */
  readonly denoiser: Denoiser<P>;
  /** Its trained parameters. */
  readonly params: P;
}

/** Options of {@link trainLatentDdpm}: those of {@link trainDdpm}, and the latent network and scaling. */
export interface TrainLatentDdpmOptions<P extends PyTree> extends TrainDdpmOptions<P> {
  /**
   * The ε-network on latents (its `dim` must be the autoencoder's latent dimension); default
   * `mlpDenoiser({ dim: latentDim, hidden: 256, depth: 3 })` in the autoencoder's dtype.
   */
  denoiser?: Denoiser<P>;
  /** How the latents are standardised before diffusion (default `'dimension'`). */
  scaling?: LatentScalingMode;
}

/**
 * Trains a latent diffusion model (Rombach, Blattmann, Lorenz, Esser & Ommer 2022, "High-Resolution Image
 * Synthesis with Latent Diffusion Models", CVPR): the autoencoder stays frozen, the data x `[n, dataDim]` are
 * mapped to the encoder means z = μ(x), standardised by {@link fitLatentScaling}, and a DDPM with ε-prediction
 * (Ho et al. 2020) is fitted to them by {@link trainDdpm}. The diffusion model then only has to learn the
 * aggregate posterior of a low-dimensional latent space, where the autoencoder has already discarded the
 * imperceptible pixel-level detail. Sample with {@link latentDdpmSample}.
 */
export function trainLatentDdpm<P extends PyTree = PyTree>(
  autoencoder: Vae,
  autoencoderParams: VaeParams,
  data: NDArray,
  options: TrainLatentDdpmOptions<P>,
): LatentDdpm<P> {
  const op = 'trainLatentDdpm';
  if (data.ndim !== 2 || data.shape[0]! < 1 || data.shape[1] !== autoencoder.dataDim)
    throw new ValueError(
      op,
      `data must be a non-empty [n, ${autoencoder.dataDim}] array (the autoencoder's dataDim), got [${data.shape.join(', ')}]`,
    );
  const L = autoencoder.latentDim;
  const dtype = autoencoderParams.logVar.dtype === 'float32' ? 'float32' : 'float64';
  const denoiser =
    options.denoiser ??
    (mlpDenoiser({ dim: L, hidden: 256, depth: 3, dtype }) as unknown as Denoiser<P>);
  if (denoiser.dim !== L)
    throw new ValueError(
      op,
      `the denoiser's dim (${denoiser.dim}) must be the autoencoder's latent dimension ${L}`,
    );
  const z = autoencoder.encode(autoencoderParams, data).mu;
  const scaling = fitLatentScaling(z, options.scaling ?? 'dimension');
  const params = trainDdpm(denoiser, scaleLatents(scaling, z), options);
  return {
    autoencoder,
    autoencoderParams,
    scaling,
    schedule: options.schedule,
    denoiser,
    params,
  };
}

/** Options of {@link latentDdpmSample} and {@link latentDdpmLatents}. */
export interface LatentDdpmSampleOptions {
  /** Random generator. */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** `'ddim'` (default; {@link ddimSample}) or `'ddpm'` (ancestral, {@link ddpmSample}, T network calls). */
  sampler?: 'ddim' | 'ddpm';
  /** DDIM steps (default min(50, T)). */
  steps?: number;
  /** DDIM η (default 0: deterministic). */
  eta?: number;
  /** Ancestral sampler's variance (default `'beta'`). */
  variance?: 'beta' | 'posterior';
  /** Return the decoder mean E[x | z] instead of a draw x ~ p(x | z) (only for {@link latentDdpmSample}). */
  mean?: boolean;
}

/** Draws n latents `[n, latentDim]` from a {@link LatentDdpm}: reverse diffusion in the scaled space, then unscaled. */
export function latentDdpmLatents<P extends PyTree>(
  model: LatentDdpm<P>,
  options: LatentDdpmSampleOptions,
): NDArray {
  return sampleLatents('latentDdpmLatents', model, options);
}

/** {@link latentDdpmLatents}, its errors naming `op`. */
function sampleLatents<P extends PyTree>(
  op: string,
  model: LatentDdpm<P>,
  options: LatentDdpmSampleOptions,
): NDArray {
  const { rng, n } = options;
  const { denoiser, params, schedule } = model;
  const T = schedule.betas.length;
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `n must be a positive integer, got ${n}`);
  const sampler = options.sampler ?? 'ddim';
  if (sampler !== 'ddim' && sampler !== 'ddpm')
    throw new ValueError(op, `sampler must be 'ddim' or 'ddpm', got ${String(sampler)}`);
  const steps = options.steps ?? Math.min(50, T);
  if (!Number.isInteger(steps) || steps < 1 || steps > T)
    throw new ValueError(op, `steps must be an integer in [1, T = ${T}], got ${steps}`);
  const eta = options.eta ?? 0;
  if (!(eta >= 0)) throw new ValueError(op, `eta must be ≥ 0, got ${eta}`);
  const u =
    sampler === 'ddim'
      ? ddimSample(denoiser, params, { schedule, rng, n, steps, eta })
      : ddpmSample(denoiser, params, {
          schedule,
          rng,
          n,
          ...(options.variance !== undefined ? { variance: options.variance } : {}),
        });
  const dtype = model.autoencoderParams.logVar.dtype === 'float32' ? 'float32' : 'float64';
  return unscaleLatents(model.scaling, u.dtype === dtype ? u : astype(u, dtype));
}

/**
 * Samples a {@link LatentDdpm} (Rombach et al. 2022): latents by reverse diffusion ({@link latentDdpmLatents}),
 * decoded by the autoencoder's decoder into data `[n, dataDim]` — draws x ~ p(x | z), or E[x | z] with `mean`.
 */
export function latentDdpmSample<P extends PyTree>(
  model: LatentDdpm<P>,
  options: LatentDdpmSampleOptions,
): NDArray {
  const z = sampleLatents('latentDdpmSample', model, options);
  return vaeDecodeSample(model.autoencoder, model.autoencoderParams, z, {
    rng: options.rng,
    ...(options.mean !== undefined ? { mean: options.mean } : {}),
  });
}
