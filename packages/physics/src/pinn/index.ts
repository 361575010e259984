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
export type { PinnLogRecord, PinnResult, Residual, TrainPinnOptions } from './train.js';
export { rarRefine } from './rar.js';
export { poissonFem1D } from './fem1d.js';
export type { PoissonFem1DOptions } from './fem1d.js';
