import { type Generator, type NDArray, ValueError, add, fromTypedArray, mul } from '@sciml/linalg';
import { sdeint } from '@sciml/physics';
import { forwardBrownianPath } from './brownian.js';
import type { TimeScoreFn, VpSde } from './vp-sde.js';

/** Options shared by the continuous-time samplers. */
export interface ContinuousSampleOptions {
  /** Random generator (draws x(1) ~ N(0, I), and the Brownian path of the SDE). */
  rng: Generator;
  /** Number of samples. */
  n: number;
  /** Data dimension d. */
  dim: number;
  /** Stop at t = ε instead of 0, where the score blows up (default 1e-3, Song et al. 2021). */
  eps?: number;
  /** Start from these x(1) `[n, d]` instead of drawing them. */
  xT?: NDArray;
}

/** Options of {@link reverseSdeSample}. */
export interface ReverseSdeOptions extends ContinuousSampleOptions {
  /** Euler–Maruyama steps from t = 1 to ε (default 1000). */
  steps?: number;
  /**
   * Finish with one Tweedie denoising step x̂₀ = (x + (1 − ᾱ(ε)) s(x, ε))/√ᾱ(ε), the posterior mean
   * E[x₀ | x_ε] (Song et al. 2021's "noise removal"; default false: return x_ε itself).
   */
  denoise?: boolean;
}

/** Validates the shared sampler options; returns ε. */
export function checkSampleOptions(op: string, o: ContinuousSampleOptions): number {
  const eps = o.eps ?? 1e-3;
  if (!(eps > 0 && eps < 1)) throw new ValueError(op, `eps must lie in (0, 1), got ${eps}`);
  for (const [name, v] of [
    ['n', o.n],
    ['dim', o.dim],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(op, `${name} must be a positive integer, got ${v}`);
  }
  if (o.xT && (o.xT.ndim !== 2 || o.xT.shape[0] !== o.n || o.xT.shape[1] !== o.dim))
    throw new ValueError(
      op,
      `xT must be [${o.n}, ${o.dim}] (n, dim), got [${o.xT.shape.join(', ')}]`,
    );
  return eps;
}

/** E[x₀ | x_t] = (x + (1 − ᾱ) s(x, t))/√ᾱ by Tweedie's formula (Efron 2011). */
export function tweedieDenoise(score: TimeScoreFn, sde: VpSde, x: NDArray, t: number): NDArray {
  const abar = sde.alphaBar(t);
  return mul(add(x, mul(score(x, t), 1 - abar)), 1 / Math.sqrt(abar));
}

/**
 * Samples by integrating the reverse-time SDE (Anderson 1982; Song et al. 2021, eq. 6)
 * dx = [f(x, t) − g(t)² ∇ₓ ln p_t(x)] dt + g(t) dW̄ of a VP-SDE, f = −½βx, g = √β, backwards from
 * x(1) ~ N(0, I) to t = ε, with the learnt (or exact) score in place of ∇ ln p_t. In forward time
 * s = 1 − t it is dx = ½β(x + 2 s(x, t)) ds + √β dW, which the `sdeint` of \@sciml/physics solves by
 * Euler–Maruyama: the "Euler–Maruyama predictor" of Song et al. Returns `[n, d]`.
 */
export function reverseSdeSample(
  score: TimeScoreFn,
  sde: VpSde,
  options: ReverseSdeOptions,
): NDArray {
  const op = 'reverseSdeSample';
  const eps = checkSampleOptions(op, options);
  const steps = options.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(op, `steps must be a positive integer, got ${steps}`);
  const { rng, n, dim } = options;
  const x1 = options.xT ?? rng.normal([n, dim]);
  const span = 1 - eps;
  const shape = [n, dim];
  const res = sdeint(
    (s, y, out) => {
      const t = 1 - s;
      const beta = sde.beta(t);
      const sc = score(fromTypedArray(y, shape), t).dataSync();
      for (let i = 0; i < out.length; i++) out[i] = 0.5 * beta * (y[i]! + 2 * Number(sc[i]));
    },
    (s, _y, out) => out.fill(Math.sqrt(sde.beta(1 - s))),
    [0, span],
    Float64Array.from(x1.dataSync() as ArrayLike<number>),
    { dt: span / steps, bm: forwardBrownianPath(rng, 0, n * dim), tEval: [span] },
  );
  const x = fromTypedArray(Float64Array.from(res.y.dataSync() as ArrayLike<number>), shape);
  return options.denoise ? tweedieDenoise(score, sde, x, eps) : x;
}
