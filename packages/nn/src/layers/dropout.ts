import { type Generator, type NDArray, ValueError, astype, greaterEqual, mul } from '@sciml/linalg';
import { type Empty, type Layer, statelessLayer } from './layer.js';

/**
 * Inverted dropout (Srivastava et al. 2014): in training, zeroes each entry with probability p and scales
 * the survivors by 1/(1 − p), so E[y] = x and evaluation is the identity.
 * @public
 */
export function dropoutForward(
  x: NDArray,
  p: number,
  options: { rng?: Generator; training?: boolean } = {},
): NDArray {
  if (!options.training || p === 0) return x;
  if (!options.rng)
    throw new ValueError(
      'dropout',
      'needs an rng in training mode: apply(params, x, { training: true, rng })',
    );
  // the mask is drawn where x lives (the GPU's Philox kernel), the same bits on every backend
  const u = options.rng.deviceUniform(x.shape, { backend: x.backend });
  const keep = astype(greaterEqual(u, p), x.dtype as 'float64');
  return mul(x, mul(keep, 1 / (1 - p)));
}

/** Dropout layer with drop probability `p` in [0, 1) (PyTorch's `nn.Dropout`). @public */
export function dropout(p: number): Layer<Empty> {
  if (!(p >= 0 && p < 1)) throw new ValueError('dropout', `p must be in [0, 1), got ${p}`);
  return statelessLayer<Empty>('dropout', {
    init: () => ({}),
    outputShape: (s) => [...s],
    forward: (_p, x, options) => dropoutForward(x, p, options),
  });
}
