import { type PyTree, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  astype,
  concat,
  div,
  exp,
  fromTypedArray,
  logsumexp,
  mean,
  mul,
  neg,
  reshape,
  sigmoid,
  split,
  square,
  sub,
  sum,
  zeros,
} from '@sciml/linalg';
import {
  type Layer,
  type LayerLike,
  binaryCrossEntropyWithLogits,
  gaussianKl,
  linear,
  relu,
  sequential,
} from '@sciml/nn';
import { type GradientOptimizer, adam } from '@sciml/optim';
import {
  type GaussianMixture,
  fitGaussianMixture,
  gaussianMixtureLogPdf,
  sampleGaussianMixture,
} from '../density/gaussian-mixture-em.js';
import { batchSampler } from '../diffusion/ddpm.js';
import { bernoulli } from '../rbm/rbm.js';

/** Parameters of a {@link vae}: encoder and decoder networks, and the decoder's log-variance (Gaussian decoder). */
export type VaeParams = {
  /** Encoder network x → [μ, ln σ²] of q(z | x). */
  encoder: PyTree;
  /** Decoder network z → mean (Gaussian) or logits (Bernoulli) of p(x | z). */
  decoder: PyTree;
  /** ln σ² of the Gaussian decoder, one per data coordinate, learnt (`[d]`); unused by the Bernoulli decoder. */
  logVar: NDArray;
};

/** Options of {@link vae}. */
export interface VaeOptions {
  /** Data dimension d. */
  dataDim: number;
  /** Latent dimension (default 2). */
  latentDim?: number;
  /** Hidden widths of encoder and decoder MLPs (default [64, 64]). */
  hidden?: readonly number[];
  /** p(x | z): `'gaussian'` (default; N(μ(z), diag σ²) with learnt σ) or `'bernoulli'` (binary data). */
  likelihood?: 'gaussian' | 'bernoulli';
  /** Parameter dtype (default float64); float32 trains several times faster on the CPU backend. */
  dtype?: 'float64' | 'float32';
}

/** A variational autoencoder (Kingma & Welling 2014): its networks and the operations on its parameters. */
export interface Vae {
  /** Data dimension. */
  readonly dataDim: number;
  /** Latent dimension. */
  readonly latentDim: number;
  /** Decoder likelihood. */
  readonly likelihood: 'gaussian' | 'bernoulli';
  /** Draws parameters. */
  init(rng: Generator): VaeParams;
  /** q(z | x) = N(μ, diag e^{ln σ²}): returns μ and ln σ², each `[n, latentDim]`. */
  encode(params: VaeParams, x: NDArray): { mu: NDArray; logVar: NDArray };
  /** Decoder output for latents `[n, latentDim]`: the mean (Gaussian) or the logits (Bernoulli). */
  decode(params: VaeParams, z: NDArray): NDArray;
}

/** Builds a VAE with MLP encoder and decoder (ReLU hidden layers). */
export function vae(options: VaeOptions): Vae {
  const { dataDim } = options;
  const latentDim = options.latentDim ?? 2;
  const hidden = options.hidden ?? [64, 64];
  const likelihood = options.likelihood ?? 'gaussian';
  const dtype = options.dtype ?? 'float64';
  if (!Number.isInteger(dataDim) || dataDim < 1)
    throw new ValueError('vae', `dataDim must be a positive integer, got ${dataDim}`);
  if (!Number.isInteger(latentDim) || latentDim < 1)
    throw new ValueError('vae', `latentDim must be a positive integer, got ${latentDim}`);
  if (likelihood !== 'gaussian' && likelihood !== 'bernoulli')
    throw new ValueError(
      'vae',
      `likelihood must be 'gaussian' or 'bernoulli', got ${String(likelihood)}`,
    );
  const mlp = (out: number): Layer => {
    const items: LayerLike[] = [];
    for (const h of hidden) items.push(linear(h), relu);
    items.push(linear(out));
    return sequential(...items);
  };
  const encoder = mlp(2 * latentDim);
  const decoder = mlp(dataDim);
  return {
    dataDim,
    latentDim,
    likelihood,
    init: (rng) => ({
      encoder: encoder.init(rng, [dataDim], { dtype }),
      decoder: decoder.init(rng, [latentDim], { dtype }),
      logVar: zeros([dataDim], { dtype }),
    }),
    encode(params, x) {
      if (x.ndim !== 2 || x.shape[1] !== dataDim)
        throw new ValueError(
          'vae.encode',
          `x must be [n, ${dataDim}], got [${x.shape.join(', ')}]`,
        );
      const [mu, logVar] = split(encoder.apply(params.encoder as never, x).y, 2, { axis: 1 });
      return { mu: mu!, logVar: logVar! };
    },
    decode: (params, z) => decoder.apply(params.decoder as never, z).y,
  };
}

const LOG_2PI = Math.log(2 * Math.PI);

/** ln p(x | z) per row, `[n]`, from the decoder output (mean or logits). */
function logLikelihood(model: Vae, params: VaeParams, x: NDArray, out: NDArray): NDArray {
  if (model.likelihood === 'bernoulli')
    return neg(sum(binaryCrossEntropyWithLogits(out, x, { reduction: 'none' }), { axis: 1 }));
  // −½ Σ [(x − μ)²/σ² + ln σ² + ln 2π]
  const quad = div(square(sub(x, out)), exp(params.logVar));
  return mul(sum(add(add(quad, params.logVar), LOG_2PI), { axis: 1 }), -0.5);
}

/** What {@link vaeElbo} returns (means over the batch, as scalar arrays). */
export interface ElboTerms {
  /** E_q[ln p(x | z)] − β KL(q(z | x) ‖ N(0, I)), one reparameterised sample. */
  elbo: NDArray;
  /** The reconstruction term E_q[ln p(x | z)]. */
  reconstruction: NDArray;
  /** KL(q ‖ p) in closed form: ½ Σ (μ² + σ² − 1 − ln σ²) (Kingma & Welling 2014, appendix B). */
  kl: NDArray;
}

/**
 * The evidence lower bound ln p(x) ≥ E_q[ln p(x|z)] − β KL(q(z|x) ‖ p(z)) with the reparameterisation
 * z = μ + σ ⊙ ε, ε ~ N(0, I) (Kingma & Welling 2014) and the analytic Gaussian KL; β ≠ 1 is the β-VAE
 * (Higgins et al. 2017). Differentiable in the parameters: train by maximising `elbo`.
 */
export function vaeElbo(
  model: Vae,
  params: VaeParams,
  x: NDArray,
  options: { rng: Generator; beta?: number },
): ElboTerms {
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new ValueError('vaeElbo', `beta must be ≥ 0, got ${beta}`);
  const { mu, logVar } = model.encode(params, x);
  const eps = options.rng.normal(mu.shape, { dtype: floatDType(mu) });
  const z = add(mu, mul(exp(mul(logVar, 0.5)), eps));
  const reconstruction = mean(logLikelihood(model, params, x, model.decode(params, z)));
  const kl = div(gaussianKl(mu, logVar, { reduction: 'sum' }), x.shape[0]!);
  return { elbo: sub(reconstruction, mul(kl, beta)), reconstruction, kl };
}

/**
 * Importance-weighted estimate of the mean log-likelihood (1/n) Σ ln p(xₙ) with K samples from the encoder
 * (Burda, Grosse & Salakhutdinov 2016): ln p(x) ≈ ln (1/K) Σₖ p(x|zₖ) p(zₖ)/q(zₖ|x), a bound that tightens
 * monotonically in K and equals the ELBO at K = 1. With `prior` (from {@link vaeExPostPrior}) p(z) is that
 * mixture instead of N(0, I): the likelihood of the model one samples from after ex-post density estimation.
 */
export function vaeLogLikelihood(
  model: Vae,
  params: VaeParams,
  x: NDArray,
  options: { rng: Generator; samples?: number; prior?: GaussianMixture },
): number {
  const K = options.samples ?? 100;
  if (!Number.isInteger(K) || K < 1)
    throw new ValueError('vaeLogLikelihood', `samples must be a positive integer, got ${K}`);
  const { mu, logVar } = model.encode(params, x);
  const n = x.shape[0]!;
  const L = model.latentDim;
  const logWeights: NDArray[] = [];
  for (let k = 0; k < K; k++) {
    const eps = options.rng.normal([n, L], { dtype: floatDType(mu) });
    const z = add(mu, mul(exp(mul(logVar, 0.5)), eps));
    const logPz = options.prior
      ? astype(
          fromTypedArray(gaussianMixtureLogPdf(options.prior, astype(z, 'float64')), [n]),
          floatDType(z),
        )
      : mul(sum(add(square(z), LOG_2PI), { axis: 1 }), -0.5);
    const logQ = mul(sum(add(add(square(eps), logVar), LOG_2PI), { axis: 1 }), -0.5);
    const logPx = logLikelihood(model, params, x, model.decode(params, z));
    logWeights.push(reshape(sub(add(logPx, logPz), logQ), [n, 1]));
  }
  const stacked = concat(logWeights, { axis: 1 });
  return mean(sub(logsumexp(stacked, { axis: 1 }), Math.log(K))).item();
}

/** Options of {@link vaeSample}. */
export interface VaeSampleOptions {
  /** Random generator. */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** Return the decoder mean E[x | z] (Bernoulli probabilities, Gaussian means) instead of a draw x ~ p(x | z). */
  mean?: boolean;
  /**
   * The prior z is drawn from: the N(0, I) the VAE was trained with (default), or an ex-post density estimate
   * of its aggregate posterior from {@link vaeExPostPrior} (Ghosh et al. 2020).
   */
  prior?: GaussianMixture;
}

/**
 * Draws n samples: z ~ p(z) (N(0, I), or `prior`), then x ~ p(x | z), or its mean with `mean: true` — the
 * image VAE papers show, since Bernoulli draws of grey-level digits are salt-and-pepper noise.
 */
export function vaeSample(model: Vae, params: VaeParams, options: VaeSampleOptions): NDArray {
  const { rng, n } = options;
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('vaeSample', `n must be a non-negative integer, got ${n}`);
  const dtype = floatDType(params.logVar);
  const z = options.prior
    ? astype(sampleGaussianMixture(options.prior, n, rng), dtype)
    : rng.normal([n, model.latentDim], { dtype });
  if (z.shape[1] !== model.latentDim)
    throw new ValueError(
      'vaeSample',
      `prior has dimension ${z.shape[1]} but the latent dimension is ${model.latentDim}`,
    );
  return vaeDecodeSample(model, params, z, {
    rng,
    ...(options.mean !== undefined ? { mean: options.mean } : {}),
  });
}

/**
 * Decodes latents z `[n, latentDim]` (any source: a prior, an ex-post density, a latent diffusion model) into
 * data `[n, dataDim]`: a draw x ~ p(x | z), or the decoder mean E[x | z] with `mean: true`.
 */
export function vaeDecodeSample(
  model: Vae,
  params: VaeParams,
  z: NDArray,
  options: { rng: Generator; mean?: boolean },
): NDArray {
  if (z.ndim !== 2 || z.shape[1] !== model.latentDim)
    throw new ValueError(
      'vaeDecodeSample',
      `z must be [n, ${model.latentDim}] (the latent dimension), got [${z.shape.join(', ')}]`,
    );
  const { rng } = options;
  const dtype = floatDType(params.logVar);
  const out = model.decode(params, z.dtype === dtype ? z : astype(z, dtype));
  if (model.likelihood === 'bernoulli') {
    const p = sigmoid(out);
    return options.mean ? p : bernoulli(p, rng);
  }
  if (options.mean) return out;
  return add(out, mul(exp(mul(params.logVar, 0.5)), rng.normal(out.shape, { dtype })));
}

/**
 * Ex-post density estimation (Ghosh et al. 2020, "From Variational to Deterministic Autoencoders", ICLR, §4):
 * a Gaussian mixture fitted by EM to the encoder means μ(xₙ) of the training data, an estimate of the
 * aggregate posterior q(z) = (1/N) Σₙ q(z | xₙ). Decoding draws from it instead of N(0, I) avoids the
 * "holes" of the prior, regions where N(0, I) has mass but q(z) has none and the decoder was never trained.
 * Pass the result as `prior` to {@link vaeSample}. The model and its ELBO are unchanged; the sampler's prior is.
 */
export function vaeExPostPrior(
  model: Vae,
  params: VaeParams,
  data: NDArray,
  options: { components?: number; rng: Generator; iterations?: number },
): GaussianMixture {
  const { mu } = model.encode(params, data);
  return fitGaussianMixture(astype(mu, 'float64'), {
    components: options.components ?? 10,
    rng: options.rng,
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
  });
}

/** The float dtype of a parameter array. */
function floatDType(a: NDArray): 'float64' | 'float32' {
  return a.dtype === 'float32' ? 'float32' : 'float64';
}

/** Options of {@link trainVae}. */
export interface TrainVaeOptions {
  /** Random generator. */
  rng: Generator;
  /** Parameter updates (default 2000). */
  steps?: number;
  /** Mini-batch size, drawn with replacement (default 128). */
  batchSize?: number;
  /** β of the β-VAE (default 1). */
  beta?: number;
  /** Optimiser (default `adam({ lr: 1e-3 })`). */
  optimizer?: GradientOptimizer;
  /** Starting parameters. */
  init?: VaeParams;
  /** Called every step with the batch ELBO; return `false` to stop. */
  onStep?: (step: number, elbo: number) => boolean | undefined;
}

/** Maximises the ELBO on data `[n, d]` with mini-batch stochastic gradients; returns the parameters. */
export function trainVae(model: Vae, data: NDArray, options: TrainVaeOptions): VaeParams {
  const { rng } = options;
  const steps = options.steps ?? 2000;
  const opt = options.optimizer ?? adam({ lr: 1e-3 });
  let params = options.init ?? model.init(rng);
  let state = opt.init(params as unknown as PyTree);
  const next = batchSampler('trainVae', data, options.batchSize ?? 128, rng);
  const lossGrad = valueAndGrad((p: VaeParams, x: NDArray) =>
    neg(
      vaeElbo(model, p, x, { rng, ...(options.beta !== undefined ? { beta: options.beta } : {}) })
        .elbo,
    ),
  );
  for (let s = 0; s < steps; s++) {
    const [loss, g] = lossGrad(params, next());
    const upd = opt.update(params as unknown as PyTree, g as unknown as PyTree, state);
    params = upd.params as unknown as VaeParams;
    state = upd.state;
    if (options.onStep?.(s, -loss.item()) === false) break;
  }
  return params;
}
