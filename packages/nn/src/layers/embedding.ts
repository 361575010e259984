import { type NDArray, DTypeError, ShapeError, formatShape, take } from '@sciml/linalg';
import { type Layer, statelessLayer } from './layer.js';
import { positiveInt } from './shapes.js';

/** Parameters of an embedding (PyTorch name): one row per token. @public */
export type EmbeddingParams = {
  /** Table `[numEmbeddings, dim]`. */
  weight: NDArray;
};

/**
 * Embedding lookup (PyTorch's `nn.Embedding`): int32 indices of any shape → rows of a learned table, output
 * `[...indices, dim]`; rows start N(0, 1) as in PyTorch. The gradient scatters back into the used rows.
 * @public
 */
export function embedding(numEmbeddings: number, dim: number): Layer<EmbeddingParams> {
  const op = 'embedding';
  positiveInt(op, 'numEmbeddings', numEmbeddings);
  positiveInt(op, 'dim', dim);
  return statelessLayer<EmbeddingParams>(op, {
    init: (rng, _s, { dtype }) => ({ weight: rng.normal([numEmbeddings, dim], { dtype }) }),
    outputShape: (s) => [...s, dim],
    forward: (params, x) => {
      if (x.dtype !== 'int32')
        throw new DTypeError(op, `indices must be int32, got ${x.dtype}; use astype(x, 'int32')`);
      if (x.ndim === 0)
        throw new ShapeError(op, `indices need a batch axis, got ${formatShape(x.shape)}`);
      return take(params.weight, x, 0);
    },
  });
}
