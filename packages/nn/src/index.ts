/**
 * `@sciml/nn`: neural networks on @sciml NDArrays. A functional core (a layer is `init(rng, inputShape)`
 * plus `apply(params, x, { state, rng, training })` over pytrees, as in Flax/Haiku) with a thin `Module`
 * wrapper; layers with PyTorch's parameter names and layouts; activations, initialisers, regularisers and
 * losses; `fit`/`evaluate`/`predict` over @sciml/data batches with @sciml/optim optimisers; safetensors
 * checkpoints that load in PyTorch; autoencoders and the neural tangent kernel.
 *
 * @packageDocumentation
 */

export {
  ACTIVATIONS,
  elu,
  gelu,
  leakyRelu,
  mish,
  relu,
  sigmoid,
  silu,
  sine,
  softplus,
  tanh,
} from './activations.js';
export type { ActivationName } from './activations.js';
export {
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  onesInit,
  orthogonal,
  sirenUniform,
  zerosInit,
} from './initializers.js';
export type { InitOptions, Initializer } from './initializers.js';
export {
  binaryCrossEntropyWithLogits,
  crossEntropyWithLogits,
  gaussianKl,
  gaussianNllLoss,
  huberLoss,
  maeLoss,
  mseLoss,
  nllLoss,
  oneHot,
} from './losses.js';
export type { LossOptions, Reduction } from './losses.js';
export { decayWeights, isWeight, l1Penalty, l2Penalty } from './regularizers.js';
export type { ParamFilter } from './regularizers.js';
export { mapWithPath, namedLeaves } from './tree-paths.js';

export type { ApplyOptions, Empty, Layer, LayerInitOptions, LayerOutput } from './layers/layer.js';
export { activation } from './layers/activation.js';
export { multiHeadSelfAttention } from './layers/attention.js';
export type { AttentionOptions, AttentionParams } from './layers/attention.js';
export { batchNorm } from './layers/batch-norm.js';
export type { BatchNormOptions, BatchNormParams, BatchNormState } from './layers/batch-norm.js';
export {
  conv1dLayer,
  conv2dLayer,
  convTranspose1dLayer,
  convTranspose2dLayer,
} from './layers/conv.js';
export type { ConvLayerOptions, ConvParams, ConvTransposeLayerOptions } from './layers/conv.js';
export { dropout, dropoutForward } from './layers/dropout.js';
export { embedding } from './layers/embedding.js';
export type { EmbeddingParams } from './layers/embedding.js';
export { layerNorm, layerNormForward } from './layers/layer-norm.js';
export type { LayerNormParams } from './layers/layer-norm.js';
export { dense, linear, linearForward } from './layers/linear.js';
export type { LinearOptions, LinearParams } from './layers/linear.js';
export { gru, lstm, rnn } from './layers/recurrent.js';
export type { RecurrentOptions, RecurrentParams } from './layers/recurrent.js';
export {
  GATES,
  gruCell,
  initRecurrentCell,
  lstmCell,
  rnnCell,
} from './layers/recurrent-cells.js';
export type { CellKind, RecurrentCellParams } from './layers/recurrent-cells.js';
export { flatten, reshape } from './layers/reshape.js';
export {
  avgPool1dLayer,
  avgPool2dLayer,
  globalAvgPoolLayer,
  globalMaxPoolLayer,
  maxPool1dLayer,
  maxPool2dLayer,
} from './layers/pool.js';
export { residual } from './layers/residual.js';
export type { ResidualTree } from './layers/residual.js';
export { sequential } from './layers/sequential.js';
export type { LayerLike, SequentialTree } from './layers/sequential.js';
export { transformerEncoderBlock } from './layers/transformer.js';
export type {
  TransformerEncoderOptions,
  TransformerEncoderParams,
} from './layers/transformer.js';

export { Module } from './module.js';
export type { ModuleOptions } from './module.js';

export { earlyStopping, progressBar } from './train/callbacks.js';
export type {
  Callback,
  EarlyStoppingOptions,
  EpochLogs,
  ProgressOutput,
  TrainingControl,
} from './train/callbacks.js';
export { evaluate, evaluateAsync, fit, fitAsync, predict } from './train/fit.js';
export type {
  EvaluateOptions,
  FitAsyncOptions,
  FitOptions,
  History,
  LossFn,
  TrainingData,
} from './train/fit.js';
export { accuracy, accuracyArray, accuracyMetric } from './train/metrics.js';
export type { Metric } from './train/metrics.js';

export {
  loadCheckpoint,
  loadModelSafetensors,
  modelToSafetensors,
  optimizerStateFromSafetensors,
  optimizerStateToSafetensors,
  saveCheckpoint,
} from './io/checkpoint.js';

export {
  autoencoder,
  contractiveLoss,
  contractivePenalty,
  denoisingLoss,
  reconstructionLoss,
} from './models/autoencoder.js';
export type { Autoencoder, AutoencoderParams } from './models/autoencoder.js';
export { empiricalNtk, linearize } from './models/ntk.js';
export type { ModelFn } from './models/ntk.js';
