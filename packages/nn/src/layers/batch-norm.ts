import { stopGradient } from '@sciml/autodiff';
import {
  type NDArray,
  ShapeError,
  add,
  div,
  formatShape,
  mean,
  mul,
  reshape,
  sqrt,
  square,
  sub,
} from '@sciml/linalg';
import { onesInit, zerosInit } from '../initializers.js';
import type { Layer } from './layer.js';

/** Parameters of batch normalisation (PyTorch names): scale γ and shift β per channel. @public */
export type BatchNormParams = {
  /** γ `[C]`. */
  weight: NDArray;
  /** β `[C]`. */
  bias: NDArray;
};

/** Running statistics of batch normalisation (PyTorch's buffers). @public */
export type BatchNormState = {
  /** Running mean `[C]`. */
  running_mean: NDArray;
  /** Running (unbiased) variance `[C]`. */
  running_var: NDArray;
};

/** Options of {@link batchNorm}. @public */
export interface BatchNormOptions {
  /** Weight of the new batch in the running averages, r ← (1 − m)r + m·batch (default 0.1, PyTorch). */
  momentum?: number;
  /** ε added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015) over the channel axis 1 of `[N, C]` or `[N, C, ...spatial]`:
 * y = γ(x − μ_B)/√(σ²_B + ε) + β with batch statistics in training (biased variance), which also update
 * the running mean and unbiased variance; evaluation normalises with the running statistics
 * (PyTorch's `BatchNorm1d/2d`).
 * @public
 */
export function batchNorm(options: BatchNormOptions = {}): Layer<BatchNormParams, BatchNormState> {
  const op = 'batchNorm';
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const channels = (s: readonly number[]): number => {
    if (s.length === 0)
      throw new ShapeError(
        op,
        'needs per-example inputs [C] or [C, ...spatial], got a scalar shape',
      );
    return s[0]!;
  };
  return {
    kind: op,
    init: (_rng, s, { dtype } = {}) => ({
      weight: onesInit([channels(s)], { dtype }),
      bias: zerosInit([channels(s)], { dtype }),
    }),
    initState: (s, { dtype } = {}) => ({
      running_mean: zerosInit([channels(s)], { dtype }),
      running_var: onesInit([channels(s)], { dtype }),
    }),
    outputShape: (s) => {
      channels(s);
      return [...s];
    },
    apply(params, x, { state, training } = {}) {
      const C = params.weight.shape[0]!;
      if (x.ndim < 2 || x.shape[1] !== C)
        throw new ShapeError(op, `expects [N, ${C}, ...] inputs, got ${formatShape(x.shape)}`);
      const st = state ?? this.initState(x.shape.slice(1), { dtype: x.dtype as 'float64' });
      // per-channel arrays broadcast as [1, C, 1, ...]
      const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
      const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
      let mu: NDArray;
      let variance: NDArray;
      let nextState = st;
      if (training) {
        mu = mean(x, { axis: axes, keepdims: true });
        variance = mean(square(sub(x, mu)), { axis: axes, keepdims: true });
        const count = x.size / C;
        const m = stopGradient(reshape(mu, [C]));
        const unbiased = stopGradient(mul(reshape(variance, [C]), count / Math.max(count - 1, 1)));
        nextState = {
          running_mean: add(mul(st.running_mean, 1 - momentum), mul(m, momentum)),
          running_var: add(mul(st.running_var, 1 - momentum), mul(unbiased, momentum)),
        };
      } else {
        mu = reshape(st.running_mean, bshape);
        variance = reshape(st.running_var, bshape);
      }
      const xhat = div(sub(x, mu), sqrt(add(variance, eps)));
      const y = add(mul(xhat, reshape(params.weight, bshape)), reshape(params.bias, bshape));
      return { y, state: nextState };
    },
  };
}
