import { type PyTree, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  exp,
  fromTypedArray,
  mul,
  split,
  sub,
} from '@sciml/linalg';
import { type Layer, type LayerLike, gaussianNllLoss, linear, sequential, silu } from '@sciml/nn';
import { type GradientOptimizer, adam } from '@sciml/optim';
import { batchSampler } from '../diffusion/ddpm.js';

/** Options of {@link trainGaussianForecaster}. */
export interface GaussianForecasterOptions {
  /** Random generator (initialisation and mini-batches). */
  rng: Generator;
  /** Width of the hidden layers (default 64). */
  hidden?: number;
  /** Number of hidden layers (default 2). */
  depth?: number;
  /** Parameter updates (default 2000). */
  steps?: number;
  /** Examples per update, drawn with replacement (default 128). */
  batchSize?: number;
  /** Optimiser (default `adam({ lr: 1e-3 })`). */
  optimizer?: GradientOptimizer;
}

/** A fitted conditional density P(y | u) = N(μ(u), diag σ²(u)), from {@link trainGaussianForecaster}. */
export interface GaussianForecaster {
  /** Dimension of u and of y. */
  readonly dim: number;
  /** The network's parameters. */
  readonly params: PyTree;
  /** μ(u) and σ(u) for a batch u `[n, d]`, each `[n, d]`. */
  predict(u: NDArray): { mean: NDArray; std: NDArray };
  /**
   * An ensemble of `members` draws from P(y | u) per row of u: `[n, members, d]`; `spread` scales σ (default 1;
   * below 1 makes a deliberately under-dispersed ensemble).
   */
  sample(u: NDArray, options: { rng: Generator; members: number; spread?: number }): NDArray;
}

function columnStats(x: Float64Array, n: number, d: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k]! += x[i * d + k]! / n;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < d; k++) std[k]! += (x[i * d + k]! - mean[k]!) ** 2 / n;
  return { mean, std: std.map((v) => Math.sqrt(v) || 1) };
}

/**
 * Fits a heteroscedastic Gaussian "normal-output" network to pairs (uᵢ, yᵢ) — a probabilistic forecaster of
 * P(u_{t+1} | u_t) when y = u_{t+1} — by minimising the Gaussian negative log-likelihood
 * ½ Σ [ln σ² + (y − μ)²/σ²] (Nix & Weigend 1994; the mean–variance network of Lakshminarayanan et al. 2017).
 * The network sees the standardised u and predicts the standardised increment y − u and its log-variance, so
 * the same architecture serves any units. Unlike a mean-squared-error fit, the NLL makes σ(u) the model's
 * own estimate of its spread, which a rank histogram of held-out cases can then check for calibration.
 */
export function trainGaussianForecaster(
  u: NDArray,
  y: NDArray,
  options: GaussianForecasterOptions,
): GaussianForecaster {
  const op = 'trainGaussianForecaster';
  if (u.ndim !== 2 || y.ndim !== 2 || u.shape[0] !== y.shape[0] || u.shape[1] !== y.shape[1])
    throw new ValueError(
      op,
      `u and y must both be [n, d] with the same n and d, got [${u.shape.join(', ')}] and [${y.shape.join(', ')}]`,
    );
  const [n, d] = u.shape as [number, number];
  if (n < 2) throw new ValueError(op, `needs at least 2 pairs, got ${n}`);
  const uRaw = Float64Array.from(u.dataSync() as ArrayLike<number>, Number);
  const yRaw = Float64Array.from(y.dataSync() as ArrayLike<number>, Number);
  for (let i = 0; i < uRaw.length; i++) {
    if (!Number.isFinite(uRaw[i]!) || !Number.isFinite(yRaw[i]!))
      throw new ValueError(
        op,
        `non-finite value in row ${Math.floor(i / d)}: drop or fix that pair`,
      );
  }
  const inc = uRaw.map((v, i) => yRaw[i]! - v);
  const su = columnStats(uRaw, n, d);
  const sd = columnStats(inc, n, d);
  const row = (v: number[]) => fromTypedArray(Float64Array.from(v), [1, d]);
  const [uMean, uInvStd, dMean, dStd] = [
    row(su.mean),
    row(su.std.map((s) => 1 / s)),
    row(sd.mean),
    row(sd.std),
  ];
  const logVarShift = row(sd.std.map((s) => 2 * Math.log(s)));
  // training pairs [standardised u | standardised increment], one array so that batches stay paired
  const pairs = new Float64Array(n * 2 * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      pairs[i * 2 * d + k] = (uRaw[i * d + k]! - su.mean[k]!) / su.std[k]!;
      pairs[i * 2 * d + d + k] = (inc[i * d + k]! - sd.mean[k]!) / sd.std[k]!;
    }
  }
  const hidden = options.hidden ?? 64;
  const depth = options.depth ?? 2;
  if (!Number.isInteger(hidden) || hidden < 1 || !Number.isInteger(depth) || depth < 1)
    throw new ValueError(op, `hidden and depth must be positive integers, got ${hidden}, ${depth}`);
  const items: LayerLike[] = [];
  for (let l = 0; l < depth; l++) items.push(linear(hidden), silu);
  items.push(linear(2 * d));
  const net: Layer = sequential(...items);
  const { rng } = options;
  let params: PyTree = net.init(rng, [d]) as PyTree;
  const opt = options.optimizer ?? adam({ lr: 1e-3 });
  let state = opt.init(params);
  const next = batchSampler(op, fromTypedArray(pairs, [n, 2 * d]), options.batchSize ?? 128, rng);
  const heads = (p: PyTree, z: NDArray) => split(net.apply(p as never, z).y, 2, { axis: 1 });
  const lossGrad = valueAndGrad((p: PyTree, batch: NDArray) => {
    const [z, target] = split(batch, 2, { axis: 1 });
    const [mu, logVar] = heads(p, z!);
    return gaussianNllLoss(mu!, logVar!, target!);
  });
  const steps = options.steps ?? 2000;
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(op, `steps must be a non-negative integer, got ${steps}`);
  for (let s = 0; s < steps; s++) {
    const [, g] = lossGrad(params, next());
    const upd = opt.update(params, g as PyTree, state);
    params = upd.params;
    state = upd.state;
  }
  const forward = (x: NDArray) => {
    if (x.ndim !== 2 || x.shape[1] !== d)
      throw new ValueError(
        'GaussianForecaster',
        `u must be [n, ${d}], got [${x.shape.join(', ')}]`,
      );
    const z = mul(sub(x, uMean), uInvStd);
    const [mu, logVar] = heads(params, z);
    return {
      mean: add(x, add(mul(mu!, dStd), dMean)),
      std: exp(mul(add(logVar!, logVarShift), 0.5)),
    };
  };
  return {
    dim: d,
    params,
    predict: forward,
    sample(x, sampleOptions) {
      const { members } = sampleOptions;
      const spread = sampleOptions.spread ?? 1;
      if (!Number.isInteger(members) || members < 1)
        throw new ValueError(
          'GaussianForecaster.sample',
          `members must be a positive integer, got ${members}`,
        );
      if (!(spread >= 0))
        throw new ValueError('GaussianForecaster.sample', `spread must be ≥ 0, got ${spread}`);
      const { mean, std } = forward(x);
      const m = mean.dataSync() as ArrayLike<number>;
      const s = std.dataSync() as ArrayLike<number>;
      const rows = x.shape[0]!;
      const out = new Float64Array(rows * members * d);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < members; j++)
          for (let k = 0; k < d; k++)
            out[(i * members + j) * d + k] =
              m[i * d + k]! + spread * s[i * d + k]! * sampleOptions.rng.nextNormal();
      return fromTypedArray(out, [rows, members, d]);
    },
  };
}
