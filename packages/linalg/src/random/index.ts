// Seedable random numbers; re-exported by src/index.ts.
export { Generator, normal, uniform } from './generator.js';
export type { RandomArrayOptions } from './generator.js';
export { philox4x32 } from './philox.js';
export { counterRandomReference } from './counter.js';
export { SOBOL_MAX_DIMENSIONS, latinHypercubePoints, sobolPoints } from './qmc.js';
