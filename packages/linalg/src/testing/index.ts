// Test utilities for backends and packages built on @sciml/linalg (subpath export `@sciml/linalg/testing`).
export { conformanceCases, fixtureValues, primitivesWithoutCases } from './conformance.js';
export type { ConformanceCase, ConformanceContext } from './conformance.js';
export {
  referenceAvgPool2d,
  referenceConv2d,
  referenceConvTranspose2d,
  referenceConvWeightGrad2d,
  referenceMaxPool2d,
} from './nn-reference.js';
export type { RefConvGeometry, RefPoolGeometry, RefResult } from './nn-reference.js';
