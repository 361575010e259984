// Public exports of this area; re-exported by src/index.ts.
export { cholesky, choSolve } from './cholesky.js';
export { choleskyBanded, choSolveBanded, solvehBanded } from './banded.js';
export type { BandedOptions } from './banded.js';
export { BandedLU, luFactorBanded, solveBanded } from './banded-lu.js';
export { det, inv, lu, luFactor, luSolve, slogdet, solve } from './lu.js';
export type { LUFactor, LUResult, SlogdetResult } from './lu.js';
export { solveTriangular } from './triangular.js';
export type { TriangularSolveOptions } from './triangular.js';
export { gramSchmidt } from './gram-schmidt.js';
export { qr, qrPivoted } from './qr.js';
export type { PivotedQRResult, QROptions, QRResult } from './qr.js';
export { eigh, eigvalsh } from './eigh.js';
export type { EighOptions, EighResult } from './eigh.js';
export { svd, svdCompact, svdTruncated, svdvals } from './svd.js';
export type { SVDResult } from './svd.js';
export { lstsq } from './lstsq.js';
export type { LstsqOptions, LstsqResult } from './lstsq.js';
export { cond, matrixNorm } from './norms.js';
export type { MatrixNormOrder } from './norms.js';
export { pinv } from './pinv.js';
export { inverseIteration, powerIteration } from './power-iteration.js';
export type { EigenpairResult, PowerIterationOptions } from './power-iteration.js';
export { randomizedSvd } from './randomized-svd.js';
export type { RandomizedSVDOptions } from './randomized-svd.js';
export {
  columnSpace,
  crFactorization,
  leftNullSpace,
  matrixRank,
  nullSpace,
  rowSpace,
} from './rank-spaces.js';
export type { CRResult } from './rank-spaces.js';
export { eig, eigvals } from './eig.js';
export type { EigResult } from './eig.js';
export { tril, triu } from './util.js';
