/**
 * The per-block steps of tall-skinny QR (src/decomp/kernels/tsqr.ts) in the wasm kernels
 * (assembly/tsqr.ts): one block of rows is copied in, factored (or turned into its rows of Q) column-major
 * with f64x2 sweeps, and copied out. Each function returns false, having written nothing, when the wasm
 * kernels or the memory are unavailable; the caller then runs its TypeScript loops.
 */
import { align16, getPlainRuntime } from './wasm-module.js';

/**
 * Householder QR of the row-major rows×n `block`: `factored` (rows·n) receives the column-major factored
 * block (R on and above the diagonal, reflector tails below), `taus` (n) the reflector coefficients.
 * `factored` may be `block` itself: the block is copied in before anything is written out.
 */
export function tsqrFactorBlockWasm(
  block: Float64Array,
  rows: number,
  n: number,
  factored: Float64Array,
  taus: Float64Array,
): boolean {
  const rt = getPlainRuntime();
  if (!rt) return false;
  const size = align16(rows * n * 8);
  const a = rt.base;
  const x = a + size;
  const t = x + size;
  if (!rt.reserve(t + align16(n * 8))) return false;
  rt.f64(a, rows * n).set(block);
  rt.exports.tsqr_factor_f64(a, rows, n, x, t);
  factored.set(rt.f64(x, rows * n));
  taus.set(rt.f64(t, n));
  return true;
}

/**
 * The block's rows of Q, H₀ ⋯ H_{n−1} [S; 0], written row-major into `out` (rows·n), from the factored
 * block and τs of {@link tsqrFactorBlockWasm} and the row-major n×n `s`. `out` may be `factored` itself.
 */
export function tsqrQBlockWasm(
  factored: Float64Array,
  rows: number,
  n: number,
  taus: Float64Array,
  s: Float64Array,
  out: Float64Array,
): boolean {
  const rt = getPlainRuntime();
  if (!rt) return false;
  const size = align16(rows * n * 8);
  const x = rt.base;
  const q = x + size;
  const o = q + size;
  const t = o + size;
  const sp = t + align16(n * 8);
  if (!rt.reserve(sp + align16(n * n * 8))) return false;
  rt.f64(x, rows * n).set(factored);
  rt.f64(t, n).set(taus);
  rt.f64(sp, n * n).set(s);
  rt.exports.tsqr_q_f64(x, rows, n, t, sp, q, o);
  out.set(rt.f64(o, rows * n));
  return true;
}
