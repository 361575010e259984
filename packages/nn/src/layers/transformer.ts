import { type FloatDType, type NDArray, add } from '@sciml/linalg';
import { relu } from '../activations.js';
import { glorotUniform, onesInit, zerosInit } from '../initializers.js';
import { type AttentionParams, multiHeadSelfAttention } from './attention.js';
import { dropoutForward } from './dropout.js';
import { type Layer, statelessLayer } from './layer.js';
import { type LayerNormParams, layerNormForward } from './layer-norm.js';
import { type LinearParams, linearForward } from './linear.js';

/** Parameters of a transformer encoder block (PyTorch's `nn.TransformerEncoderLayer` names). @public */
export type TransformerEncoderParams = {
  /** Self-attention. */
  self_attn: AttentionParams;
  /** Feed-forward expansion E → F. */
  linear1: LinearParams;
  /** Feed-forward contraction F → E. */
  linear2: LinearParams;
  /** Norm after (or before, with `normFirst`) attention. */
  norm1: LayerNormParams;
  /** Norm after (or before) the feed-forward network. */
  norm2: LayerNormParams;
};

/** Options of {@link transformerEncoderBlock}. @public */
export interface TransformerEncoderOptions {
  /** Hidden width F of the feed-forward network (default 4E). */
  feedForward?: number;
  /** Dropout after attention and in the feed-forward path, in training (default 0). */
  dropout?: number;
  /** Pre-norm x + f(norm(x)) (Xiong et al. 2020) instead of post-norm norm(x + f(x)) (default false). */
  normFirst?: boolean;
  /** Causal self-attention (default false). */
  causal?: boolean;
  /** Feed-forward activation (default ReLU, as PyTorch). */
  activation?: (x: NDArray) => NDArray;
}

/**
 * Transformer encoder block (Vaswani et al. 2017, §3.1) on `[N, T, E]`: self-attention and a position-wise
 * feed-forward network, each with a residual connection and layer normalisation — PyTorch's
 * `nn.TransformerEncoderLayer(E, h, F, batch_first=True)` with the same parameter names.
 * @public
 */
export function transformerEncoderBlock(
  embedDim: number,
  numHeads: number,
  options: TransformerEncoderOptions = {},
): Layer<TransformerEncoderParams> {
  const E = embedDim;
  const F = options.feedForward ?? 4 * E;
  const p = options.dropout ?? 0;
  const act = options.activation ?? relu;
  const attn = multiHeadSelfAttention(E, numHeads, { causal: options.causal });
  const norm = (dtype: FloatDType | undefined): LayerNormParams => ({
    weight: onesInit([E], { dtype }),
    bias: zerosInit([E], { dtype }),
  });
  return statelessLayer<TransformerEncoderParams>('transformerEncoderBlock', {
    init(rng, s, { dtype }) {
      const lin = (o: number, i: number): LinearParams => ({
        weight: glorotUniform([o, i], { rng, dtype }),
        bias: zerosInit([o], { dtype }),
      });
      return {
        self_attn: attn.init(rng, s, { dtype }),
        linear1: lin(F, E),
        linear2: lin(E, F),
        norm1: norm(dtype),
        norm2: norm(dtype),
      };
    },
    outputShape: (s) => attn.outputShape(s),
    forward(params, x, o) {
      const sa = (h: NDArray): NDArray =>
        dropoutForward(attn.apply(params.self_attn, h, o).y, p, o);
      const ff = (h: NDArray): NDArray =>
        dropoutForward(
          linearForward(
            params.linear2,
            dropoutForward(act(linearForward(params.linear1, h)), p, o),
          ),
          p,
          o,
        );
      const n1 = (h: NDArray): NDArray => layerNormForward(params.norm1, h);
      const n2 = (h: NDArray): NDArray => layerNormForward(params.norm2, h);
      if (options.normFirst) {
        const h = add(x, sa(n1(x)));
        return add(h, ff(n2(h)));
      }
      const h = n1(add(x, sa(x)));
      return n2(add(h, ff(h)));
    },
  });
}
