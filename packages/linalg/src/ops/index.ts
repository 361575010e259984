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
export type { AxisOptions, SliceSpec } from './shape.js';
export { diag, diagonal, dot, kron, matmul, norm, outer, trace, unvec, vec } from './linear.js';
export type { MatmulOptions, NormOrder } from './linear.js';
export { fromMlMatrix, toMlMatrix } from './interop.js';
export type { MlMatrixLike } from './interop.js';
export { castIfNeeded, scalarLike, scalarOn } from './lift.js';
export type { ArrayOrScalar } from './lift.js';
export {
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
} from './conv.js';
export type { ConvOptions, ConvTransposeOptions, Padding } from './conv.js';
export {
  avgPool1d,
  avgPool2d,
  globalAvgPool,
  globalMaxPool,
  maxPool1d,
  maxPool2d,
} from './pool.js';
export type { AvgPoolOptions, PoolOptions } from './pool.js';
export { logSoftmax, softmax } from './softmax.js';
export type { SoftmaxOptions } from './softmax.js';
