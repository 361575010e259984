import { type NDArray, ValueError, add } from '@sciml/linalg';
import { type LinearParams, linear, linearForward, silu, zerosInit } from '@sciml/nn';
import type { Denoiser } from './denoiser.js';
import { timestepEmbedding } from './time-embedding.js';

/** Parameters of a {@link residualMlpDenoiser}. */
export type ResidualMlpDenoiserParams = {
  /** x → width. */
  input: LinearParams;
  /** Sinusoidal embedding → width (then SiLU): the time features every block reads. */
  time: LinearParams;
  /** The residual blocks. */
  blocks: { inner: LinearParams; time: LinearParams; outer: LinearParams }[];
  /** width → d, zero-initialised so that training starts from ε_θ = 0. */
  output: LinearParams;
};

/** Options of {@link residualMlpDenoiser}. */
export interface ResidualMlpDenoiserOptions {
  /** Data dimension d. */
  dim: number;
  /** Width of the residual stream (default 256). */
  width?: number;
  /** Number of residual blocks (default 3). */
  blocks?: number;
  /** Size of the sinusoidal time embedding (default 64). */
  embeddingDim?: number;
  /** Maximum period of the embedding (default 10 000, suited to T ≈ 1000 steps). */
  maxPeriod?: number;
  /** Parameter dtype (default float64). */
  dtype?: 'float64' | 'float32';
}

/**
 * An MLP ε-network with residual blocks that each read the timestep, the dense analogue of the ResNet blocks of
 * the DDPM U-Net (Ho et al. 2020, appendix B): e = SiLU(W_e emb(t)), h₀ = W_in x, then per block
 * h ← h + W₂ SiLU(W₁ SiLU(h) + W_t e), and ε_θ = W_out SiLU(h). Unlike {@link mlpDenoiser}, whose only sight of t
 * is the input concatenation, every block is conditioned on the noise level, which the ε-prediction needs most
 * near t = 0 where the data's fine structure is resolved.
 */
export function residualMlpDenoiser(
  options: ResidualMlpDenoiserOptions,
): Denoiser<ResidualMlpDenoiserParams> {
  const op = 'residualMlpDenoiser';
  const { dim } = options;
  const width = options.width ?? 256;
  const nBlocks = options.blocks ?? 3;
  const embeddingDim = options.embeddingDim ?? 64;
  for (const [name, v] of [
    ['dim', dim],
    ['width', width],
    ['blocks', nBlocks],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(op, `${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(embeddingDim) || embeddingDim < 2 || embeddingDim % 2 !== 0)
    throw new ValueError(op, `embeddingDim must be a positive even integer, got ${embeddingDim}`);
  const maxPeriod = options.maxPeriod ?? 10_000;
  const dtype = options.dtype ?? 'float64';
  const dense = linear(width);
  const out = linear(dim, { init: zerosInit });
  return {
    dim,
    init: (rng) => ({
      input: dense.init(rng, [dim], { dtype }),
      time: dense.init(rng, [embeddingDim], { dtype }),
      blocks: Array.from({ length: nBlocks }, () => ({
        inner: dense.init(rng, [width], { dtype }),
        time: dense.init(rng, [width], { dtype }),
        outer: dense.init(rng, [width], { dtype }),
      })),
      output: out.init(rng, [width], { dtype }),
    }),
    apply: (params, x, t) => {
      if (x.ndim !== 2 || x.shape[1] !== dim || t.length !== x.shape[0])
        throw new ValueError(
          op,
          `needs x of shape [n, ${dim}] and n timesteps, got [${x.shape.join(', ')}] and ${t.length}`,
        );
      const emb = timestepEmbedding(t, embeddingDim, {
        maxPeriod,
        dtype: x.dtype === 'float32' ? 'float32' : 'float64',
      });
      const e = silu(linearForward(params.time, emb));
      let h: NDArray = linearForward(params.input, x);
      for (const b of params.blocks) {
        const inner = add(linearForward(b.inner, silu(h)), linearForward(b.time, e));
        h = add(h, linearForward(b.outer, silu(inner)));
      }
      return linearForward(params.output, silu(h));
    },
  };
}
