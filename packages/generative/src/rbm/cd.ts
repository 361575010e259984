import {
  type Generator,
  type NDArray,
  ValueError,
  div,
  fromTypedArray,
  matmul,
  mean,
  sub,
  transpose,
} from '@sciml/linalg';
import { type GradientOptimizer, sgd } from '@sciml/optim';
import {
  type RbmParams,
  type RbmUnits,
  checkVisible,
  hiddenProbs,
  initRbm,
  sampleHidden,
  sampleVisible,
} from './rbm.js';

/** Options of {@link cdGradient}. */
export interface CdOptions extends RbmUnits {
  /** Random generator. */
  rng: Generator;
  /** Gibbs steps k of the negative phase (default 1). */
  k?: number;
  /**
   * Persistent chains `[chains, nv]` (Tieleman 2008): the negative phase continues from them instead of from
   * the data, and the returned `chains` carry on to the next call.
   */
  chains?: NDArray;
}

/**
 * Contrastive-divergence estimate of the gradient of the mean negative log-likelihood (Hinton 2002):
 * ∂(−ln p)/∂Wᵢⱼ ≈ −(⟨vᵢhⱼ⟩_data − ⟨vᵢhⱼ⟩_k)/σ², likewise for a and b, with the model average from k Gibbs
 * steps started at the data (CD-k) or at persistent chains (PCD). Hidden probabilities, not samples, enter the
 * statistics (Hinton 2012, §3). Returned as a pytree like the parameters, ready for an @sciml/optim optimiser.
 */
export function cdGradient(
  params: RbmParams,
  data: NDArray,
  options: CdOptions,
): { grads: RbmParams; chains: NDArray } {
  checkVisible('cdGradient', params, data);
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError('cdGradient', `k must be a positive integer, got ${k}`);
  if (options.chains !== undefined) checkVisible('cdGradient', params, options.chains);
  const { rng } = options;
  const gaussian = options.visible === 'gaussian';
  const s2 = gaussian ? (options.sigma ?? 1) ** 2 : 1;
  const ph = hiddenProbs(params, data, options);
  let v = options.chains ?? data;
  for (let step = 0; step < k; step++)
    v = sampleVisible(params, sampleHidden(params, v, rng, options), rng, options);
  const nh = hiddenProbs(params, v, options);
  const nData = data.shape[0]!;
  const nModel = v.shape[0]!;
  const posW = div(matmul(transpose(data), ph), nData);
  const negW = div(matmul(transpose(v), nh), nModel);
  // for Gaussian units ∂(−E)/∂a = (v − a)/σ² and ∂(−E)/∂W = vh/σ²; the a-terms of the two phases share −a
  const grads: RbmParams = {
    W: div(sub(negW, posW), s2),
    a: div(sub(mean(v, { axis: 0 }), mean(data, { axis: 0 })), s2),
    b: sub(mean(nh, { axis: 0 }), mean(ph, { axis: 0 })),
  };
  return { grads, chains: v };
}

/** Options of {@link trainRbm}. */
export interface TrainRbmOptions extends RbmUnits {
  /** Random generator (initialisation, shuffling, Gibbs sampling). */
  rng: Generator;
  /** Number of hidden units (used when `init` is absent). */
  nHidden?: number;
  /** Starting parameters (default {@link initRbm}). */
  init?: RbmParams;
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Mini-batch size (default 100). */
  batchSize?: number;
  /** Gibbs steps per update (default 1). */
  k?: number;
  /** Persistent CD with this many chains (default: plain CD-k). */
  persistentChains?: number;
  /** Optimiser (default `sgd({ lr: 0.05 })`). */
  optimizer?: GradientOptimizer;
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (epoch: number, params: RbmParams) => boolean | undefined;
}

/** Trains an RBM on `data` `[n, nv]` by CD-k or persistent CD with mini-batches; returns the parameters. */
export function trainRbm(data: NDArray, options: TrainRbmOptions): RbmParams {
  if (data.ndim !== 2 || data.shape[0]! < 1)
    throw new ValueError(
      'trainRbm',
      `data must be a non-empty [n, nVisible] array, got [${data.shape.join(', ')}]`,
    );
  const { rng } = options;
  const n = data.shape[0]!;
  const nv = data.shape[1]!;
  let params = options.init ?? initRbm(nv, options.nHidden ?? 16, { rng });
  checkVisible('trainRbm', params, data);
  const epochs = options.epochs ?? 10;
  const batchSize = Math.min(options.batchSize ?? 100, n);
  const opt = options.optimizer ?? sgd({ lr: 0.05 });
  let state = opt.init(params);
  const raw = data.dataSync();
  const rows = (idx: number[]) => {
    const out = new Float64Array(idx.length * nv);
    idx.forEach((r, i) => {
      for (let j = 0; j < nv; j++) out[i * nv + j] = Number(raw[r * nv + j]);
    });
    return out;
  };
  const fromRows = (idx: number[]) => fromTypedArray(rows(idx), [idx.length, nv]);
  // persistent chains start at random data rows
  let chains: NDArray | undefined =
    options.persistentChains !== undefined
      ? fromRows(Array.from({ length: options.persistentChains }, () => rng.nextInt(0, n)))
      : undefined;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const perm = rng.permutation(n);
    for (let start = 0; start + batchSize <= n; start += batchSize) {
      const batch = fromRows(perm.slice(start, start + batchSize));
      const out = cdGradient(params, batch, {
        rng,
        ...(options.k !== undefined ? { k: options.k } : {}),
        ...(chains !== undefined ? { chains } : {}),
        ...(options.visible !== undefined ? { visible: options.visible } : {}),
        ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
      });
      if (chains !== undefined) chains = out.chains;
      const step = opt.update(params, out.grads, state);
      params = step.params as RbmParams;
      state = step.state;
    }
    if (options.onEpoch?.(epoch, params) === false) break;
  }
  return params;
}
