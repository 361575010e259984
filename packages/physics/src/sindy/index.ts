// Public exports of SINDy; re-exported by src/index.ts.
export { SINDY_MAX_LIBRARY_TERMS, SINDy } from './sindy.js';
export type {
  SINDyFitOptions,
  SINDyOptions,
  SINDyScoreOptions,
  SINDySimulateOptions,
} from './sindy.js';
export type { MatrixLike } from './matrix.js';
export { defineLibrary } from './library/feature-library.js';
export type { FeatureLibrary, FeatureLibrarySpec } from './library/feature-library.js';
export { polynomialLibrary } from './library/polynomial.js';
export type { PolynomialLibraryOptions } from './library/polynomial.js';
export { fourierLibrary } from './library/fourier.js';
export type { FourierLibraryOptions } from './library/fourier.js';
export { customLibrary } from './library/custom.js';
export type { CustomFunction, CustomLibraryOptions } from './library/custom.js';
export { concatLibraries, tensorLibraries } from './library/combine.js';
export type {
  DerivativeEstimate,
  Differentiator,
  TimeGrid,
} from './differentiation/differentiator.js';
export { finiteDifference } from './differentiation/finite-difference.js';
export type { FiniteDifferenceOptions } from './differentiation/finite-difference.js';
export { savitzkyGolay } from './differentiation/savitzky-golay.js';
export type { SavitzkyGolayOptions } from './differentiation/savitzky-golay.js';
export { tvRegularized } from './differentiation/tv-regularized.js';
export type { TVRegularizedOptions } from './differentiation/tv-regularized.js';
export type { SparseOptimizer, SparseRegressionResult } from './optimizers/optimizer.js';
export { stlsq } from './optimizers/stlsq.js';
export type { STLSQOptions } from './optimizers/stlsq.js';
export { lassoOptimizer } from './optimizers/lasso.js';
export type { LassoOptimizerOptions } from './optimizers/lasso.js';
export { sr3 } from './optimizers/sr3.js';
export type { SR3Options } from './optimizers/sr3.js';
export { ensemble } from './optimizers/ensemble.js';
export type { EnsembleOptions } from './optimizers/ensemble.js';
export { weakForm } from './weak/weak-form.js';
export type { WeakForm, WeakFormOptions } from './weak/weak-form.js';
export type { ControlSignal } from './sindy.js';
export { rvm } from './optimizers/rvm.js';
export type { RVMOptions } from './optimizers/rvm.js';
export { selectModel } from './model-selection.js';
export type {
  InformationCriterion,
  ModelCandidate,
  ModelSelectionResult,
  SelectModelOptions,
} from './model-selection.js';
export { pdeFind } from './pde/pde-find.js';
export type { PDEFindOptions, PDEFindResult } from './pde/pde-find.js';
