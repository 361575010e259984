// Public exports of this area; re-exported by src/index.ts.
export { cholesky, choSolve } from './cholesky.js';
export { det, inv, lu, luFactor, luSolve, slogdet, solve } from './lu.js';
export type { LUFactor, LUResult, SlogdetResult } from './lu.js';
export { solveTriangular } from './triangular.js';
export type { TriangularSolveOptions } from './triangular.js';
export { gramSchmidt } from './gram-schmidt.js';
export { qr, qrPivoted } from './qr.js';
export type { PivotedQRResult, QROptions, QRResult } from './qr.js';
export { eigh, eigvalsh } from './eigh.js';
export type { EighResult } from './eigh.js';
export { svd, svdCompact, svdTruncated, svdvals } from './svd.js';
export type { SVDResult } from './svd.js';
