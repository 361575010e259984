/**
 * `@sciml/linalg/kernels`: the CPU hot kernels on typed arrays — WebAssembly SIMD (compiled from assembly/
 * at build time and embedded as base64) with a plain-TypeScript reference of each — plus the worker-pool
 * controls and tuning constants. Internals, kept off the main entry; benchmarks and jit use them.
 *
 * @packageDocumentation
 */
export { gemm, gemmF32, gemmF64, PARALLEL_MIN_WORK, WASM_MIN_WORK } from './gemm.js';
export { gemmReference, gemmReferenceF32, gemmReferenceF64 } from './gemm-reference.js';
export type { FloatArray } from '../core/dtype.js';
export { cpuGemm, setCpuGemm } from '../cpu/cpu-backend.js';
export type { Gemm } from '../cpu/matmul.js';
export {
  dotF32,
  dotF64,
  dotReference,
  REDUCE_MIN_LENGTH,
  sumF32,
  sumF64,
  sumReference,
} from './reduce.js';
export {
  fusedMulAddTanhF32,
  fusedMulAddTanhF64,
  fusedMulAddTanhReference,
  TANH_MIN_LENGTH,
  tanhF32,
  tanhF64,
  tanhReference,
  tanhStage,
} from './tanh.js';
export type { TanhStage } from './tanh.js';
export { batchedOuterF32, batchedOuterF64, batchedOuterReference } from './outer.js';
export type { OuterShape } from './outer.js';
export { mulRunsOuterKernel } from '../cpu/outer-product.js';
export { kernelThreads, setKernelThreads, shutdownKernelPool } from './pool.js';
export { initKernels } from './wasm-module.js';
export { kernelMemoryBytes, kernelPoolReady, kernelPoolStats } from './status.js';
export type { KernelPoolStats } from './status.js';
export {
  SPMV_MIN_NNZ,
  SPMV_PARALLEL_MIN_NNZ,
  SPMV_RESIDENT_MAX_BYTES,
  spmmF64,
  spmmReference,
  spmvF64,
  spmvReference,
} from './spmv.js';
export type { CsrKernelArrays } from './spmv.js';
export { bluesteinTables } from '../fft/execute.js';
export { householderQrF64 } from '../decomp/kernels/qr.js';
export { recycleStorage } from '../core/host-pool.js';
export { kernelLinkage } from './linkage.js';
export type { KernelLinkage } from './linkage.js';
