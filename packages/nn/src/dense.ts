import { type FloatDType, type NDArray, add, matmul } from '@sciml/linalg';
import { type InitOptions, glorotUniform, zerosInit } from './initializers.js';

/** Parameters of a dense (fully connected) layer: a pytree of NDArrays. */
export interface DenseParams {
  /** Weights (in, out). */
  W: NDArray;
  /** Bias (out). */
  b: NDArray;
}

/** Initialises a dense layer with Glorot-uniform weights and zero bias. */
export function initDense<D extends FloatDType = FloatDType>(
  inFeatures: number,
  outFeatures: number,
  options: InitOptions<D>,
): DenseParams {
  return {
    W: glorotUniform([inFeatures, outFeatures], options),
    b: zerosInit([outFeatures], { dtype: options.dtype, backend: options.backend }),
  };
}

/** y = x W + b for a batch x (N, in) — written with @sciml/linalg ops, so autodiff differentiates it. */
export function dense(params: DenseParams, x: NDArray): NDArray {
  return add(matmul(x, params.W), params.b);
}
