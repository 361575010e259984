/**
 * `@sciml/nn`: neural-network building blocks on @sciml NDArrays. This first release has the initialisers,
 * the losses and a functional dense layer; layers, models and training loops follow.
 *
 * @packageDocumentation
 */

export { dense, initDense } from './dense.js';
export type { DenseParams } from './dense.js';
export {
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  lecunNormal,
  zerosInit,
} from './initializers.js';
export type { InitOptions } from './initializers.js';
export {
  binaryCrossEntropyWithLogits,
  huberLoss,
  maeLoss,
  mseLoss,
  softmaxCrossEntropy,
} from './losses.js';
