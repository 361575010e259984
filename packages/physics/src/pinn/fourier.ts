// Random Fourier-feature input embedding for coordinate networks.
import {
  type Generator,
  type NDArray,
  ShapeError,
  ValueError,
  astype,
  concat,
  cos,
  fromTypedArray,
  matmul,
  sin,
} from '@sciml/linalg';
import type { Empty, Layer } from '@sciml/nn';

/** Options of {@link fourierFeatures}. @public */
export interface FourierFeatureOptions {
  /** Standard deviation σ of the frequencies B ~ N(0, σ²) (default 1): sets the bandwidth the net can fit. */
  sigma?: number;
  /** Generator that draws B (required: the embedding is fixed at construction). */
  rng: Generator;
}

/**
 * Random Fourier features γ(x) = [cos(2πBx), sin(2πBx)] with a fixed B ∈ ℝ^{m×d}, B_ij ~ N(0, σ²)
 * (Tancik et al., NeurIPS 2020; Wang, Wang & Perdikaris, CMAME 384 (2021) 113938): a layer with no trainable
 * parameters mapping (n, d) to (n, 2m). Placed before an MLP, it lets the network fit frequencies up to ~σ,
 * which a plain tanh network learns only very slowly (spectral bias).
 * @example `sequential(fourierFeatures(2, 64, { sigma: 10, rng }), linear(64), tanh, linear(1))`
 * @public
 */
export function fourierFeatures(
  inputDim: number,
  m: number,
  options: FourierFeatureOptions,
): Layer<Empty> & { readonly B: NDArray } {
  const op = 'fourierFeatures';
  if (!(Number.isSafeInteger(inputDim) && inputDim >= 1 && Number.isSafeInteger(m) && m >= 1))
    throw new ValueError(op, `inputDim and m must be positive integers, got ${inputDim}, ${m}`);
  const sigma = options.sigma ?? 1;
  if (!(sigma > 0 && Number.isFinite(sigma)))
    throw new ValueError(op, `sigma must be finite and > 0, got ${sigma}`);
  if (options.rng === undefined)
    throw new ValueError(op, 'needs { rng: new Generator(seed) } to draw the frequencies');
  // 2πBᵀ stored (d, m) so that the embedding is one matmul
  const b = new Float64Array(inputDim * m);
  for (let i = 0; i < b.length; i++) b[i] = 2 * Math.PI * sigma * options.rng.nextNormal();
  const Bt = fromTypedArray(b, [inputDim, m]);
  const check = (x: NDArray) => {
    if (x.ndim !== 2 || x.shape[1] !== inputDim)
      throw new ShapeError(op, `expects (n, ${inputDim}) inputs, got [${x.shape.join(', ')}]`);
  };
  return {
    kind: op,
    B: Bt,
    init: () => ({}),
    initState: () => ({}),
    outputShape: (s) => {
      if (s.length !== 1 || s[0] !== inputDim)
        throw new ShapeError(op, `expects per-example shape [${inputDim}], got [${s.join(', ')}]`);
      return [2 * m];
    },
    apply: (_p, x) => {
      check(x);
      const z = matmul(x, x.dtype === Bt.dtype ? Bt : astype(Bt, x.dtype));
      return { y: concat([cos(z), sin(z)], { axis: 1 }), state: {} };
    },
  };
}
