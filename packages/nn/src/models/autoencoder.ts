// Autoencoders (Hinton & Salakhutdinov 2006): an encoder h = f(x) and a decoder x̂ = g(h) trained to
// reconstruct x, plain, denoising (Vincent et al. 2008) or contractive (Rifai et al. 2011).
import { type PyTree, vjp } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  fromTypedArray,
  mul,
  sum,
} from '@sciml/linalg';
import type { Layer } from '../layers/layer.js';
import { type LayerLike, toLayer } from '../layers/sequential.js';
import { type LossOptions, mseLoss } from '../losses.js';

/** Parameters of an {@link autoencoder}. @public */
export type AutoencoderParams = {
  /** Encoder parameters. */
  encoder: PyTree;
  /** Decoder parameters. */
  decoder: PyTree;
};

/** An autoencoder: a layer x ↦ g(f(x)) with its two halves reachable. @public */
export interface Autoencoder extends Layer<AutoencoderParams> {
  /** The encoder layer f. */
  readonly encoderLayer: Layer;
  /** The decoder layer g. */
  readonly decoderLayer: Layer;
  /** Codes h = f(x) (evaluation mode). */
  encode(params: AutoencoderParams, x: NDArray): NDArray;
  /** Reconstructions g(h) (evaluation mode). */
  decode(params: AutoencoderParams, h: NDArray): NDArray;
}

/**
 * Joins an encoder and a decoder (stateless layers) into one layer x ↦ g(f(x)); parameter names are
 * `encoder.*` and `decoder.*`.
 * @example `const ae = autoencoder(sequential(linear(32), relu, linear(2)), sequential(linear(32), relu, linear(784)));`
 * @public
 */
export function autoencoder(encoder: LayerLike, decoder: LayerLike): Autoencoder {
  const f = toLayer(encoder);
  const g = toLayer(decoder);
  const encode = (p: AutoencoderParams, x: NDArray): NDArray => f.apply(p.encoder, x).y;
  const decode = (p: AutoencoderParams, h: NDArray): NDArray => g.apply(p.decoder, h).y;
  return {
    kind: 'autoencoder',
    encoderLayer: f,
    decoderLayer: g,
    encode,
    decode,
    init: (rng, s, o) => ({
      encoder: f.init(rng, s, o),
      decoder: g.init(rng, f.outputShape(s), o),
    }),
    initState: () => ({}),
    outputShape: (s) => g.outputShape(f.outputShape(s)),
    apply: (p, x) => ({ y: decode(p, encode(p, x)), state: {} }),
  };
}

/** Reconstruction error ‖g(f(x)) − x‖² (mean over entries unless `reduction` says otherwise). @public */
export function reconstructionLoss(
  ae: Autoencoder,
  params: AutoencoderParams,
  x: NDArray,
  options: LossOptions = {},
): NDArray {
  return mseLoss(ae.decode(params, ae.encode(params, x)), x, options);
}

/**
 * Denoising loss (Vincent et al. 2008): reconstruct the clean x from x + ε, ε ~ N(0, σ²) with σ = `noiseStd`
 * (default 0.1); the corruption makes the code capture structure rather than the identity.
 * @public
 */
export function denoisingLoss(
  ae: Autoencoder,
  params: AutoencoderParams,
  x: NDArray,
  options: LossOptions & { rng: Generator; noiseStd?: number },
): NDArray {
  const noise = options.rng.normal(x.shape, {
    std: options.noiseStd ?? 0.1,
    dtype: x.dtype as 'float64',
  });
  return mseLoss(ae.decode(params, ae.encode(params, add(x, noise))), x, options);
}

/**
 * Mean over the batch of the squared Frobenius norm of the encoder Jacobian, (1/N) Σ_i ‖∂f(x_i)/∂x_i‖²_F,
 * by one vector–Jacobian product per code unit j (cotangent e_j on every row: rows are independent, so
 * row i of the product is the j-th row of J(x_i)). Differentiable in the parameters (nested reverse mode).
 * @public
 */
export function contractivePenalty(encode: (x: NDArray) => NDArray, x: NDArray): NDArray {
  const [h, pullback] = vjp(encode, x);
  if (h.ndim !== 2)
    throw new ValueError(
      'contractivePenalty',
      `the encoder must return codes [N, k], got ${h.ndim} axes`,
    );
  const [N, k] = h.shape as [number, number];
  let total: NDArray | undefined;
  for (let j = 0; j < k; j++) {
    const e = h.dtype === 'float32' ? new Float32Array(N * k) : new Float64Array(N * k);
    for (let i = 0; i < N; i++) e[i * k + j] = 1;
    const [row] = pullback(fromTypedArray(e, [N, k]));
    const t = sum(mul(row, row));
    total = total === undefined ? t : add(total, t);
  }
  return mul(total!, 1 / N);
}

/**
 * Contractive autoencoder loss (Rifai et al. 2011): reconstruction + λ·(1/N)Σ‖J_f(x_i)‖²_F, penalising the
 * encoder's sensitivity to its input; λ = `lambda` (default 0.1).
 * @public
 */
export function contractiveLoss(
  ae: Autoencoder,
  params: AutoencoderParams,
  x: NDArray,
  options: { lambda?: number } = {},
): NDArray {
  const rec = reconstructionLoss(ae, params, x);
  const pen = contractivePenalty((xx) => ae.encode(params, xx), x);
  return add(rec, mul(pen, options.lambda ?? 0.1));
}
