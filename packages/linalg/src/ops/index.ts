// Public array operations; re-exported by src/index.ts.
export * from './elementwise.js';
export { argmax, argmin, logsumexp, max, mean, min, prod, std, sum, variance } from './reduce.js';
export type { ReduceOptions } from './reduce.js';
export {
  broadcastArrays,
  broadcastTo,
  concat,
  expandDims,
  mT,
  pad,
  permute,
  ravel,
  reshape,
  resolveRange,
  scatterAdd,
  slice,
  split,
  squeeze,
  stack,
  take,
  transpose,
} from './shape.js';
export type { SliceSpec } from './shape.js';
export { diag, diagonal, dot, kron, matmul, norm, outer, trace, unvec, vec } from './linear.js';
export type { MatmulOptions, NormOrder } from './linear.js';
export { fromMlMatrix, toMlMatrix } from './interop.js';
export type { MlMatrixLike } from './interop.js';
export { castIfNeeded, scalarLike, scalarOn } from './lift.js';
export type { ArrayOrScalar } from './lift.js';
