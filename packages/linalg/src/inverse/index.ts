// Public exports of this area; re-exported by src/index.ts.
export { landweber } from './landweber.js';
export type { LandweberOptions, LandweberResult } from './landweber.js';
export { differenceOperator } from './operators.js';
export { discrepancyPrinciple, gcv, lCurve, logGrid } from './parameter-choice.js';
export type { GcvResult, LCurve } from './parameter-choice.js';
export {
  filteredResidualNormSq,
  filteredSolution,
  filteredSolutionNormSq,
  landweberFilterFactors,
  svdSystem,
  tikhonovFilterFactors,
  tsvdFilterFactors,
  tsvdSolve,
} from './svd-filter.js';
export type { SvdSystem } from './svd-filter.js';
export { resolutionMatrix, ridge, tikhonov } from './tikhonov.js';
export type { TikhonovOptions } from './tikhonov.js';
export * from './problems/index.js';
