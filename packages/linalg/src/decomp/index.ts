// Public exports of this area; re-exported by src/index.ts.
export { cholesky, choSolve } from './cholesky.js';
export { det, inv, lu, luFactor, luSolve, slogdet, solve } from './lu.js';
export type { LUFactor, LUResult, SlogdetResult } from './lu.js';
export { solveTriangular } from './triangular.js';
export type { TriangularSolveOptions } from './triangular.js';
