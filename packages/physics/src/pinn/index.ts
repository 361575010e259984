// Physics-informed neural networks; re-exported by src/index.ts.
export { unitCubePoints } from './sampling.js';
export type { Sampler, SampleOptions } from './sampling.js';
export { disk, interval, rectangle, sampleInitial, timeSpace } from './geometry.js';
export type { Geometry } from './geometry.js';
export { directional, partial } from './derivatives.js';
export type { Derivatives, Field } from './derivatives.js';
export { dirichletBC, neumannBC, periodicBC, robinBC } from './conditions.js';
export type { Condition, ConditionOptions, Values } from './conditions.js';
export { hardDirichlet, trainPinn } from './train.js';
export type {
  LeastSquaresVariable,
  PinnLogRecord,
  PinnResult,
  PinnVariable,
  Residual,
  TrainPinnOptions,
} from './train.js';
export { rarRefine } from './rar.js';
export { poissonFem1D } from './fem1d.js';
export type { PoissonFem1DOptions } from './fem1d.js';
export { annealedWeights } from './weights.js';
export { radResample } from './rad.js';
export type { RadOptions } from './rad.js';
export { fourierFeatures } from './fourier.js';
export type { FourierFeatureOptions } from './fourier.js';
export { gaussLegendre, volterraIntegral } from './quadrature.js';
export type { VolterraOptions } from './quadrature.js';
export { gaussianRandomField } from './grf.js';
export type { GaussianRandomFieldOptions } from './grf.js';
export { deepONet, trainDeepONet } from './deeponet.js';
export type { DeepONet, DeepONetParams, TrainDeepONetOptions } from './deeponet.js';
export { projectLinearCoefficients } from './varpro.js';
export type { ProjectedResidual } from './varpro.js';
