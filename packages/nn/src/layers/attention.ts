import {
  type NDArray,
  ShapeError,
  ValueError,
  add,
  formatShape,
  fromTypedArray,
  softmax,
  matmul,
  mul,
  permute,
  reshape,
  slice,
} from '@sciml/linalg';
import { glorotUniform, zerosInit } from '../initializers.js';

import { dropoutForward } from './dropout.js';
import { type Layer, statelessLayer } from './layer.js';
import { type LinearParams, linearForward } from './linear.js';
import { positiveInt } from './shapes.js';

/** Parameters of multi-head attention in PyTorch's `nn.MultiheadAttention` layout. @public */
export type AttentionParams = {
  /** Stacked query/key/value projections `[3E, E]`. */
  in_proj_weight: NDArray;
  /** Stacked projection biases `[3E]`. */
  in_proj_bias: NDArray;
  /** Output projection (`weight [E, E]`, `bias [E]`). */
  out_proj: LinearParams;
};

/** Options of {@link multiHeadSelfAttention}. @public */
export interface AttentionOptions {
  /** Mask future positions (position t attends to ≤ t), as a decoder does (default false). */
  causal?: boolean;
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
}

/** The additive causal mask: 0 on and below the diagonal, −1e9 above (finite, so no inf − inf). */
function causalMask(T: number, dtype: 'float32' | 'float64'): NDArray {
  const m = dtype === 'float32' ? new Float32Array(T * T) : new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return fromTypedArray(m, [T, T]);
}

/**
 * Multi-head self-attention (Vaswani et al. 2017, §3.2): for x `[N, T, E]`, Q, K, V = x W_{q,k,v}ᵀ + b split
 * into h heads of size d = E/h, head_i = softmax(Q_i K_iᵀ/√d) V_i, output = concat(heads) W_oᵀ + b_o.
 * Parameter names and layout match PyTorch's `nn.MultiheadAttention(E, h, batch_first=True)`.
 * @public
 */
export function multiHeadSelfAttention(
  embedDim: number,
  numHeads: number,
  options: AttentionOptions = {},
): Layer<AttentionParams> {
  const op = 'multiHeadSelfAttention';
  positiveInt(op, 'embedDim', embedDim);
  positiveInt(op, 'numHeads', numHeads);
  if (embedDim % numHeads !== 0)
    throw new ValueError(op, `embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
  const E = embedDim;
  const d = E / numHeads;
  const check = (s: readonly number[]): void => {
    if (s.length !== 2 || s[1] !== E)
      throw new ShapeError(op, `expects examples [T, ${E}], got ${formatShape(s)}`);
  };
  return statelessLayer<AttentionParams>(op, {
    init(rng, s, { dtype }) {
      check(s);
      return {
        in_proj_weight: glorotUniform([3 * E, E], { rng, dtype }),
        in_proj_bias: zerosInit([3 * E], { dtype }),
        out_proj: {
          weight: glorotUniform([E, E], { rng, dtype }),
          bias: zerosInit([E], { dtype }),
        },
      };
    },
    outputShape(s) {
      check(s);
      return [...s];
    },
    forward(params, x, o) {
      if (x.ndim !== 3 || x.shape[2] !== E)
        throw new ShapeError(op, `expects [N, T, ${E}], got ${formatShape(x.shape)}`);
      const [N, T] = x.shape as [number, number, number];
      const qkv = linearForward({ weight: params.in_proj_weight, bias: params.in_proj_bias }, x);
      // [N, T, E] → [N, h, T, d]
      const heads = (k: number): NDArray =>
        permute(
          reshape(slice(qkv, null, null, `${k * E}:${(k + 1) * E}`), [N, T, numHeads, d]),
          [0, 2, 1, 3],
        );
      let scores = mul(matmul(heads(0), heads(1), { transB: true }), 1 / Math.sqrt(d));
      if (options.causal) scores = add(scores, causalMask(T, x.dtype as 'float64'));
      const weights = dropoutForward(softmax(scores), options.dropout ?? 0, o);
      const context = reshape(permute(matmul(weights, heads(2)), [0, 2, 1, 3]), [N, T, E]);
      return linearForward(params.out_proj, context);
    },
  });
}
