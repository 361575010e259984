import {
  type NDArray,
  ShapeError,
  add,
  div,
  formatShape,
  mean,
  mul,
  sqrt,
  square,
  sub,
} from '@sciml/linalg';
import { onesInit, zerosInit } from '../initializers.js';
import { type Layer, statelessLayer } from './layer.js';

/** Parameters of layer normalisation (PyTorch names). @public */
export type LayerNormParams = {
  /** γ with the normalised shape. */
  weight: NDArray;
  /** β with the normalised shape. */
  bias: NDArray;
};

/**
 * y = γ(x − μ)/√(σ² + ε) + β with μ, σ² over the trailing axes of x (biased variance), and γ, β of the
 * normalised shape — the functional form of layer normalisation.
 * @public
 */
export function layerNormForward(params: LayerNormParams, x: NDArray, eps = 1e-5): NDArray {
  const k = params.weight.ndim;
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const mu = mean(x, { axis: axes, keepdims: true });
  const variance = mean(square(sub(x, mu)), { axis: axes, keepdims: true });
  return add(mul(div(sub(x, mu), sqrt(add(variance, eps))), params.weight), params.bias);
}

/**
 * Layer normalisation (Ba, Kiros & Hinton 2016) over the last `axes` per-example axes (default 1), with
 * learned γ, β as PyTorch's `nn.LayerNorm(normalized_shape)`; the same in training and evaluation.
 * @public
 */
export function layerNorm(options: { axes?: number; eps?: number } = {}): Layer<LayerNormParams> {
  const op = 'layerNorm';
  const k = options.axes ?? 1;
  const normalized = (s: readonly number[]): number[] => {
    if (s.length < k)
      throw new ShapeError(
        op,
        `normalises the last ${k} axes, but examples have shape ${formatShape(s)}`,
      );
    return s.slice(s.length - k);
  };
  return statelessLayer<LayerNormParams>(op, {
    init: (_rng, s, { dtype }) => ({
      weight: onesInit(normalized(s), { dtype }),
      bias: zerosInit(normalized(s), { dtype }),
    }),
    outputShape: (s) => {
      normalized(s);
      return [...s];
    },
    forward: (params, x) => layerNormForward(params, x, options.eps),
  });
}
