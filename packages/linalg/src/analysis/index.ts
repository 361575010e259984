// Public exports of this area; re-exported by src/index.ts.
export { GaussianProcess, gpLogMarginalLikelihood } from './gaussian-process.js';
export type { GPHyperparameters, GPPrediction } from './gaussian-process.js';
export { KernelRidge } from './kernel-ridge.js';
export { linearKernel, polynomialKernel, rbfKernel, squaredDistances } from './kernels.js';
export type { Kernel } from './kernels.js';
export { lowRankApproximation } from './low-rank.js';
export type { LowRankApproximation } from './low-rank.js';
export { singularValueThresholding, softImpute } from './matrix-completion.js';
export type { CompletionOptions, CompletionResult } from './matrix-completion.js';
export {
  marchenkoPasturEdges,
  marchenkoPasturMedian,
  optimalHardThreshold,
} from './noise-floor.js';
export type { HardThreshold } from './noise-floor.js';
export { PCA } from './pca.js';
export type { PCAOptions } from './pca.js';
export { BayesianLinearRegression } from './bayesian-linear-regression.js';
export type { BayesianPrediction } from './bayesian-linear-regression.js';
