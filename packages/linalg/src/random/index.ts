// Seedable random numbers; re-exported by src/index.ts.
export { Generator, normal, uniform } from './generator.js';
export type { RandomArrayOptions } from './generator.js';
export { philox4x32 } from './philox.js';
