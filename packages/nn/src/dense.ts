import { type FloatDType, type Generator, type NDArray, add, matmul } from '@sciml/linalg';
import { glorotUniform, zerosInit } from './initializers.js';

/** Parameters of a dense (fully connected) layer: a pytree of NDArrays. */
export interface DenseParams {
  /** Weights (in, out). */
  W: NDArray;
  /** Bias (out). */
  b: NDArray;
}

/** Initialises a dense layer with Glorot-uniform weights and zero bias. */
export function initDense<D extends FloatDType = 'float64'>(
  inFeatures: number,
  outFeatures: number,
  options: { rng: Generator; dtype?: D },
): DenseParams {
  return {
    W: glorotUniform([inFeatures, outFeatures], options),
    b: zerosInit([outFeatures], { dtype: options.dtype }),
  };
}

/** y = x W + b for a batch x (N, in) — written with @sciml/linalg ops, so autodiff differentiates it. */
export function dense(params: DenseParams, x: NDArray): NDArray {
  return add(matmul(x, params.W), params.b);
}
