// Public exports of the neural emulators; re-exported by src/index.ts.
export { autoregressiveEmulator, emulatorScales } from './emulator.js';
export type { Emulator, EmulatorForm, EmulatorOptions, EmulatorScales } from './emulator.js';
export {
  jacobianPenalty,
  oneStepLoss,
  randomDirections,
  rolloutLoss,
  rolloutWindows,
} from './losses.js';
export type { RolloutLossOptions } from './losses.js';
export { escapeSteps, spectralRadii, stepJacobian } from './stability.js';
export type { EscapeStepsOptions } from './stability.js';
export { normalizedError, validPredictionTime } from './metrics.js';
export type { ValidPredictionTimeOptions } from './metrics.js';
export { trainEmulator } from './train.js';
export type { TrainEmulatorOptions, TrainEmulatorResult } from './train.js';
export { streamFunctionField } from './divergence-free.js';
export type { StreamFunctionField } from './divergence-free.js';
export { fitCorrectionOffline, hybridEmulator } from './hybrid.js';
export type { HybridEmulatorOptions } from './hybrid.js';
export {
  ensembleForecast,
  gaussianEmulator,
  gaussianNll,
  oneStepResidualRms,
} from './probabilistic.js';
export type {
  EnsembleForecast,
  EnsembleForecastOptions,
  GaussianEmulator,
  GaussianPrediction,
} from './probabilistic.js';
