/**
 * Streaming typed arrays through the wasm arena in fixed-size chunks: each chunk is copied in,
 * processed while it is still in L2, and (for maps) copied out. The arena therefore never grows
 * past CHUNK elements per operand, whatever the array length.
 */
import type { FloatArray } from '../core/dtype.js';
import { align16, type KernelRuntime } from './wasm-module.js';

/** Elements per operand per chunk: 4 operands × 16 Ki × 8 B = 512 KiB, inside a 1 MiB L2. */
export const CHUNK = 16384;

/** Byte offsets of `operands` chunk slots (above the resident blocks) of `bytes`-sized elements (reserved in the arena). */
export function chunkSlots(rt: KernelRuntime, operands: number, bytes: number): number[] | null {
  const slot = align16(CHUNK * bytes);
  if (!rt.reserve(rt.base + operands * slot)) return null;
  return Array.from({ length: operands }, (_, i) => rt.base + i * slot);
}

/** Copy `src[start, start+len)` into the arena at byte offset `ptr`. */
export function copyIn(
  rt: KernelRuntime,
  src: FloatArray,
  start: number,
  len: number,
  ptr: number,
): void {
  const view = src instanceof Float64Array ? rt.f64(ptr, len) : rt.f32(ptr, len);
  view.set(src.subarray(start, start + len));
}

/** Copy `len` elements from the arena at `ptr` into `dst` at `start`. */
export function copyOut(
  rt: KernelRuntime,
  dst: FloatArray,
  start: number,
  len: number,
  ptr: number,
): void {
  dst.set(dst instanceof Float64Array ? rt.f64(ptr, len) : rt.f32(ptr, len), start);
}
