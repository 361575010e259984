/**
 * NDArray, fast CPU kernels (TypeScript + WebAssembly SIMD), decompositions, solvers, inverse problems and data analysis for scientific machine learning.
 *
 * @packageDocumentation
 */

export {};
