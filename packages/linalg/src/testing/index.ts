// Test utilities for backends and packages built on @sciml/linalg (subpath export `@sciml/linalg/testing`).
export { conformanceCases, fixtureValues, primitivesWithoutCases } from './conformance.js';
export type { ConformanceCase, ConformanceContext } from './conformance.js';
