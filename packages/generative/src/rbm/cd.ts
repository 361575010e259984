import {
  type Generator,
  type NDArray,
  ValueError,
  div,
  fromTypedArray,
  matmul,
  add,
  mean,
  mul,
  outer,
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
  /**
   * Offsets μ `[nv]` and λ `[nh]` of a centred RBM (Montavon & Müller 2012; Melchior, Fischer & Wiskott 2016,
   * JMLR 17): the gradient is taken with respect to the parameters of E = −(v − μ)ᵀW(h − λ) − cᵀ(v − μ) − dᵀ(h − λ)
   * and mapped back to the ordinary (W, a, b). μ = the data mean and λ = the mean hidden activation make the
   * updates of W and of the biases nearly independent, which speeds learning of strongly coupled data.
   */
  offsets?: { visible: NDArray; hidden: NDArray };
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
  if (options.offsets === undefined) return { grads, chains: v };
  if (gaussian)
    throw new ValueError(
      'cdGradient',
      'offsets (centring) are for binary visible units; drop them for Gaussian units',
    );
  return { grads: centredGradient(grads, options.offsets), chains: v };
}

/**
 * The centred gradient (Melchior et al. 2016, Eqs. 28-30) from the ordinary one: with gW, ga, gb the
 * model-minus-data differences of ⟨vhᵀ⟩, ⟨v⟩, ⟨h⟩, gW' = gW − μ gbᵀ − ga λᵀ (the difference of
 * ⟨(v − μ)(h − λ)ᵀ⟩), ga' = ga − gW' λ, gb' = gb − gW'ᵀ μ: the centred parameters' gradient, mapped back through
 * a = c − Wλ, b = d − Wᵀμ.
 */
function centredGradient(
  g: RbmParams,
  offsets: { visible: NDArray; hidden: NDArray },
  mapBack = true,
): RbmParams {
  const nv = g.W.shape[0]!;
  const nh = g.W.shape[1]!;
  const mu = offsets.visible;
  const lambda = offsets.hidden;
  if (mu.ndim !== 1 || mu.shape[0] !== nv || lambda.ndim !== 1 || lambda.shape[0] !== nh)
    throw new ValueError(
      'cdGradient',
      `offsets must be visible [${nv}] and hidden [${nh}], got [${mu.shape.join(', ')}] and [${lambda.shape.join(', ')}]`,
    );
  const W = sub(sub(g.W, outer(mu, g.b)), outer(g.a, lambda));
  if (!mapBack) return { W, a: g.a, b: g.b };
  return { W, a: sub(g.a, matmul(W, lambda)), b: sub(g.b, matmul(mu, W)) };
}

/** (W, a, b) → the centred parameters (W, c, d) with c = a + Wλ, d = b + Wᵀμ (the biases field "c", "d" in a, b). */
function toCentred(p: RbmParams, offsets: { visible: NDArray; hidden: NDArray }): RbmParams {
  return {
    W: p.W,
    a: add(p.a, matmul(p.W, offsets.hidden)),
    b: add(p.b, matmul(offsets.visible, p.W)),
  };
}

/** Inverse of {@link toCentred}: a = c − Wλ, b = d − Wᵀμ. */
function fromCentred(p: RbmParams, offsets: { visible: NDArray; hidden: NDArray }): RbmParams {
  return {
    W: p.W,
    a: sub(p.a, matmul(p.W, offsets.hidden)),
    b: sub(p.b, matmul(offsets.visible, p.W)),
  };
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
  /**
   * Train a centred RBM (binary visible units only; see {@link CdOptions.offsets}): the visible offset μ is the
   * data mean and the hidden offset λ an exponential moving average of the data's hidden activations, updated
   * after each mini-batch with weight `hiddenRate` (default 0.05). `true` uses the defaults. The optimiser steps in
   * the centred coordinates (W, c = a + Wλ, d = b + Wᵀμ), as in Melchior et al.'s Algorithm 1, and the result is
   * mapped back — for an adaptive optimiser such as Adam this differs from stepping along the mapped gradient.
   */
  centring?: boolean | { hiddenRate?: number };
  /**
   * Polyak–Ruppert averaging (Polyak & Juditsky 1992): return the mean of the parameters over the last
   * `averageLast` fraction of the updates, in (0, 1], instead of the last iterate — the stochastic-gradient noise
   * of the final steps averages out. Default: no averaging. `onEpoch` still sees the current iterate.
   */
  averageLast?: number;
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (epoch: number, params: RbmParams) => boolean | undefined;
}

/**
 * Trains an RBM on `data` `[n, nv]` by CD-k or persistent CD with mini-batches; returns the parameters. Without
 * `init`, binary visible biases start at the data's log-odds (Hinton 2012, §8.1) and the weights at {@link initRbm}.
 */
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
  if (options.init === undefined && options.visible !== 'gaussian') {
    // visible biases start at the data's log-odds ln(pᵢ/(1 − pᵢ)) (Hinton 2012, "A practical guide", §8.1):
    // otherwise the first hundreds of updates only learn the base rates, and an adaptive optimiser, whose steps
    // are capped near its rate, may not get there at all for nearly frozen units (pᵢ → 0 or 1)
    const p = mean(data, { axis: 0 }).dataSync();
    params = {
      ...params,
      a: fromTypedArray(
        Float64Array.from(p, (x) => {
          const q = Math.min(Math.max(Number(x), 1e-3), 1 - 1e-3);
          return Math.log(q / (1 - q));
        }),
        [nv],
      ),
    };
  }
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
  const centring = options.centring ?? false;
  const hiddenRate = typeof centring === 'object' ? (centring.hiddenRate ?? 0.05) : 0.05;
  if (centring !== false && !(hiddenRate > 0 && hiddenRate <= 1))
    throw new ValueError('trainRbm', `centring.hiddenRate must lie in (0, 1], got ${hiddenRate}`);
  let offsets: { visible: NDArray; hidden: NDArray } | undefined =
    centring !== false
      ? { visible: mean(data, { axis: 0 }), hidden: mean(hiddenProbs(params, data), { axis: 0 }) }
      : undefined;
  const averageLast = options.averageLast;
  if (averageLast !== undefined && !(averageLast > 0 && averageLast <= 1))
    throw new ValueError('trainRbm', `averageLast must lie in (0, 1], got ${averageLast}`);
  const totalUpdates = epochs * Math.floor(n / batchSize);
  const averageFrom =
    averageLast === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor(totalUpdates * (1 - averageLast));
  let average: RbmParams | undefined;
  let averaged = 0;
  let update = 0;
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
      if (offsets !== undefined) {
        // the optimiser steps in the centred coordinates (W, c = a + Wλ, d = b + Wᵀμ) and the result is mapped
        // back: an adaptive optimiser (Adam) rescales each coordinate, so it must see the centred gradient, not
        // the centred update already mapped to (a, b) — whose a- and b-parts it would rescale independently,
        // undoing the cancellation that centring is for (the machine then runs away from the data's moments)
        const g = centredGradient(out.grads, offsets, false);
        const step = opt.update(toCentred(params, offsets), g, state);
        params = fromCentred(step.params as RbmParams, offsets);
        state = step.state;
        const batchHidden = mean(hiddenProbs(params, batch), { axis: 0 });
        offsets = {
          visible: offsets.visible,
          hidden: add(mul(offsets.hidden, 1 - hiddenRate), mul(batchHidden, hiddenRate)),
        };
      } else {
        const step = opt.update(params, out.grads, state);
        params = step.params as RbmParams;
        state = step.state;
      }
      if (update++ >= averageFrom) {
        averaged++;
        const p = params;
        const avg: RbmParams = average ?? p;
        const blend = (key: keyof RbmParams) => add(avg[key], div(sub(p[key], avg[key]), averaged));
        average = averaged === 1 ? p : { W: blend('W'), a: blend('a'), b: blend('b') };
      }
    }
    if (options.onEpoch?.(epoch, params) === false) break;
  }
  return average ?? params;
}
