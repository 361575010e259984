import { type NDArray, add, matmul } from '@sciml/linalg';
import { type Initializer, glorotUniform, zerosInit } from '../initializers.js';
import { type Layer, statelessLayer } from './layer.js';
import { lastAxis, lastDim, positiveInt } from './shapes.js';

/** Parameters of a linear layer, PyTorch names and layout. @public */
export type LinearParams = {
  /** Weights `[out, in]` (PyTorch's layout). */
  weight: NDArray;
  /** Bias `[out]` (absent with `bias: false`). */
  bias?: NDArray;
};

/** Options of {@link linear}. @public */
export interface LinearOptions {
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default Glorot uniform). */
  init?: Initializer;
}

/** y = x Wᵀ + b for x `[..., in]` with W `[out, in]` — the functional form of a linear layer. @public */
export function linearForward(params: LinearParams, x: NDArray): NDArray {
  const y = matmul(x, params.weight, { transB: true });
  return params.bias ? add(y, params.bias) : y;
}

/**
 * Linear (dense, fully connected) layer y = x Wᵀ + b on the last axis, PyTorch's `nn.Linear` with the input
 * size taken from the input shape (Flax's `Dense(features)`).
 * @example `const layer = linear(10); const params = layer.init(new Generator(0), [784]);`
 * @public
 */
export function linear(outFeatures: number, options: LinearOptions = {}): Layer<LinearParams> {
  const op = 'linear';
  positiveInt(op, 'outFeatures', outFeatures);
  const init = options.init ?? glorotUniform;
  return statelessLayer<LinearParams>(op, {
    init: (rng, inputShape, { dtype }) => {
      const weight = init([outFeatures, lastDim(op, inputShape)], { rng, dtype });
      return options.bias === false
        ? { weight }
        : { weight, bias: zerosInit([outFeatures], { dtype }) };
    },
    outputShape: (inputShape) => {
      lastDim(op, inputShape);
      return [...inputShape.slice(0, -1), outFeatures];
    },
    forward: (params, x) => {
      lastAxis(op, x, params.weight.shape[1]!);
      return linearForward(params, x);
    },
  });
}

/** Keras/Flax name of {@link linear}. @public */
export const dense = linear;
