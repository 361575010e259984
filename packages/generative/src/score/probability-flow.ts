import { type NDArray, ValueError, add, mul, slice } from '@sciml/linalg';
import { odeint } from '@sciml/physics';
import { type ContinuousSampleOptions, checkSampleOptions, tweedieDenoise } from './reverse-sde.js';
import type { TimeScoreFn, VpSde } from './vp-sde.js';

/** Options of {@link probabilityFlow}. */
export interface ProbabilityFlowOptions {
  /** Relative tolerance of the adaptive Dormand–Prince solve (default 1e-5, Song et al. 2021 App. D.2). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
}

/**
 * Transports x `[n, d]` from time `from` to time `to` along the probability-flow ODE of a VP-SDE
 * (Song et al. 2021, eq. 13): dx/dt = f − ½g² ∇ₓ ln p_t = −½β(t)(x + s(x, t)). Its solutions have the same
 * marginals p_t as the SDE, and the map is deterministic and invertible: `from = ε, to = 1` encodes data as
 * latents of the prior N(0, I), `from = 1, to = ε` decodes them. Solved by @sciml/physics' `odeint` (RK45);
 * a decreasing direction runs in τ = −t so that the solver's times increase.
 */
export function probabilityFlow(
  score: TimeScoreFn,
  sde: VpSde,
  x: NDArray,
  from: number,
  to: number,
  options: ProbabilityFlowOptions = {},
): NDArray {
  const op = 'probabilityFlow';
  if (!(from > 0 && from <= 1 && to > 0 && to <= 1 && from !== to))
    throw new ValueError(
      op,
      `from and to must be distinct times in (0, 1] (the score is singular at 0), got ${from} → ${to}`,
    );
  if (x.ndim !== 2) throw new ValueError(op, `x must be [n, d], got [${x.shape.join(', ')}]`);
  const sign = to > from ? 1 : -1;
  // τ = sign·t increases; dx/dτ = sign·dx/dt
  const field = (tau: number, y: NDArray) => {
    const t = sign * tau;
    return mul(add(y, score(y, t)), -0.5 * sign * sde.beta(t));
  };
  const ys = odeint(
    field,
    x,
    [sign * from, sign * to],
    {},
    {
      rtol: options.rtol ?? 1e-5,
      atol: options.atol ?? 1e-5,
    },
  );
  return slice(ys, 1);
}

/** Options of {@link probabilityFlowSample}. */
export interface ProbabilityFlowSampleOptions
  extends ContinuousSampleOptions,
    ProbabilityFlowOptions {
  /** Finish with the Tweedie step E[x₀ | x_ε] as in `reverseSdeSample` (default false). */
  denoise?: boolean;
}

/**
 * Samples deterministically given x(1) ~ N(0, I) by solving the probability-flow ODE from t = 1 to ε
 * (Song et al. 2021, §4.3): the continuous-time limit of DDIM with η = 0. Returns `[n, d]`.
 */
export function probabilityFlowSample(
  score: TimeScoreFn,
  sde: VpSde,
  options: ProbabilityFlowSampleOptions,
): NDArray {
  const eps = checkSampleOptions('probabilityFlowSample', options);
  const x1 = options.xT ?? options.rng.normal([options.n, options.dim]);
  const x = probabilityFlow(score, sde, x1, 1, eps, options);
  return options.denoise ? tweedieDenoise(score, sde, x, eps) : x;
}
