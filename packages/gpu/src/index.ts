/// <reference types="@webgpu/types" />
/**
 * `@sciml/gpu`: a WebGPU backend for @sciml (Dawn in Node through the `webgpu` package, or a browser's
 * `navigator.gpu`): fused elementwise kernels, tiled matmul, reductions, data movement and Philox random
 * numbers in float32, with batched submission, a buffer pool and leak counters.
 *
 * @packageDocumentation
 */

export { autotuneMatmul } from './autotune.js';
export type { AutotuneResult, TileTiming } from './autotune.js';
export { GpuBackend } from './backend/gpu-backend.js';
export type { BackendSettings } from './backend/gpu-backend.js';
export type { ContextOptions } from './backend/context.js';
export { createGpuBackend, useGpu } from './create.js';
export type { GpuBackendOptions } from './create.js';
export type { AcquiredDevice, AdapterInfo, AdapterOptions } from './device/acquire.js';
export {
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  GpuUnavailableError,
  GpuValidationError,
  WgslCompileError,
} from './errors.js';
export { MATMUL_TILES, tileName } from './kernels/matmul.js';
export type { MatmulTile } from './kernels/matmul.js';
export type { KernelSource } from './exec/pipelines.js';
export type { RandomKind } from './kernels/random.js';
export { randomBits, randomNormal, randomUniform } from './random.js';
export type { GpuRandomOptions } from './random.js';
