// Entry of the WebAssembly kernels module (compiled by scripts/build-wasm.mjs).
export {
  gemm_f64, gemm_f64_scratch_bytes, gemm_f64_pack_b, gemm_f64_packed, gemm_f64_packed_b_bytes,
} from './gemm_f64';
export {
  gemm_f32, gemm_f32_scratch_bytes, gemm_f32_pack_b, gemm_f32_packed, gemm_f32_packed_b_bytes,
} from './gemm_f32';
export { sum_f64, dot_f64, sum_f32, dot_f32 } from './reduce';
export { tanh_f64, mul_add_tanh_f64, tanh_f32, mul_add_tanh_f32 } from './tanh';
export { spmv_f64, spmm_f64 } from './spmv';
export { im2col_f32, im2col_f64, col2im_f32, col2im_f64, add_f32, add_f64 } from './conv';
export { tsqr_factor_f64, tsqr_q_f64 } from './tsqr';
export { outer_rows_f32, outer_rows_f64 } from './outer';
export {
  fft_c128, fft_c128_twiddle_bytes, fft_c128_scratch_bytes, fft_c128_split, scale_c128, rfft_post_c128, gather_c128, scatter_c128,
  irfft_pre_c128,
} from './fft';
export {
  fft_c64, fft_c64_twiddle_bytes, fft_c64_scratch_bytes, scale_c64, rfft_post_c64,
} from './fft_c64';
