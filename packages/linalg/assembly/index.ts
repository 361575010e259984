// Entry of the WebAssembly kernels module (compiled by scripts/build-wasm.mjs).
export { gemm_f64, gemm_f64_scratch_bytes } from './gemm_f64';
export { gemm_f32, gemm_f32_scratch_bytes } from './gemm_f32';
export { sum_f64, dot_f64, sum_f32, dot_f32 } from './reduce';
export { tanh_f64, mul_add_tanh_f64, tanh_f32, mul_add_tanh_f32 } from './tanh';
