import type { PyTree } from '@sciml/autodiff';
import { type Generator, type NDArray, ValueError, concat } from '@sciml/linalg';
import { type Layer, type LayerLike, linear, sequential, silu } from '@sciml/nn';
import { timestepEmbedding } from './time-embedding.js';

/** A noise-prediction network ε_θ(x_t, t): `init` draws θ, `apply` maps a batch `[n, d]` and n timesteps to `[n, d]`. */
export interface Denoiser<P extends PyTree = PyTree> {
  /** Data dimension d. */
  readonly dim: number;
  /** Draws the parameters. */
  init(rng: Generator): P;
  /** ε_θ(x_t, t) for a batch x `[n, d]` at timesteps t (host numbers, length n). */
  apply(params: P, x: NDArray, t: ArrayLike<number>): NDArray;
}

/** Options of {@link mlpDenoiser}. */
export interface MlpDenoiserOptions {
  /** Data dimension d. */
  dim: number;
  /** Width of the hidden layers (default 128). */
  hidden?: number;
  /** Number of hidden layers (default 3). */
  depth?: number;
  /** Size of the sinusoidal time embedding (default 32). */
  embeddingDim?: number;
  /** Maximum period of the embedding (default 10 000, suited to T ≈ 1000 steps). */
  maxPeriod?: number;
  /** Parameter dtype (default float64); the embedding follows the dtype of the input. */
  dtype?: 'float64' | 'float32';
}

/**
 * An MLP denoiser for low-dimensional data: [x, emb(t)] → (Linear → SiLU) × depth → Linear(d), with the
 * sinusoidal time embedding of {@link timestepEmbedding} concatenated to the input (the toy-data setup of
 * Ho et al. 2020's 2-D experiments and of most DDPM tutorials).
 */
export function mlpDenoiser(options: MlpDenoiserOptions): Denoiser & { readonly net: Layer } {
  const { dim } = options;
  const hidden = options.hidden ?? 128;
  const depth = options.depth ?? 3;
  const embeddingDim = options.embeddingDim ?? 32;
  for (const [name, v] of [
    ['dim', dim],
    ['hidden', hidden],
    ['depth', depth],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError('mlpDenoiser', `${name} must be a positive integer, got ${v}`);
  }
  const items: LayerLike[] = [];
  for (let l = 0; l < depth; l++) items.push(linear(hidden), silu);
  items.push(linear(dim));
  const net = sequential(...items);
  const maxPeriod = options.maxPeriod ?? 10_000;
  const dtype = options.dtype ?? 'float64';
  return {
    dim,
    net,
    init: (rng) => net.init(rng, [dim + embeddingDim], { dtype }),
    apply: (params, x, t) => {
      if (x.ndim !== 2 || x.shape[1] !== dim || t.length !== x.shape[0])
        throw new ValueError(
          'mlpDenoiser',
          `needs x of shape [n, ${dim}] and n timesteps, got [${x.shape.join(', ')}] and ${t.length}`,
        );
      const emb = timestepEmbedding(t, embeddingDim, {
        maxPeriod,
        dtype: x.dtype === 'float32' ? 'float32' : 'float64',
      });
      return net.apply(params as never, concat([x, emb], { axis: 1 })).y;
    },
  };
}
