/**
 * What code generated outside this package needs to link against the wasm kernels: `jit` emits a small
 * WebAssembly module per fused elementwise group that imports the kernels' linear memory (so its operands sit
 * in the same arena) and their tanh functions (so tanh inside a group is bit for bit eager's tanh).
 */
import { align16, getPlainRuntime, MAX_PAGES } from './wasm-module.js';

/** The kernels' memory, its scratch arena and tanh, as imports for a generated module. @public */
export interface KernelLinkage {
  /** The linear memory, to be imported as `env.memory` (opaque: pass it to `WebAssembly.Instance`). */
  readonly memory: object;
  /** Whether the memory is shared (the import must then declare `shared` and {@link KernelLinkage.maxPages}). */
  readonly shared: boolean;
  /** The memory's maximum in 64 KiB pages (declared by the shared variant), or undefined for none. */
  readonly maxPages: number | undefined;
  /** The kernels' `tanh_f64(x, out, n)` on byte offsets into the memory. */
  readonly tanhF64: (x: number, out: number, n: number) => void;
  /** The kernels' `tanh_f32(x, out, n)` on byte offsets into the memory. */
  readonly tanhF32: (x: number, out: number, n: number) => void;
  /**
   * Reserves `bytes` of scratch above the resident blocks and returns its 16-aligned byte offset, or null when
   * the memory cannot grow that far. Valid until the next call into the kernels of another caller.
   */
  scratch(bytes: number): number | null;
  /** The memory's current buffer (replaced when the memory grows: take it after {@link KernelLinkage.scratch}). */
  buffer(): ArrayBuffer | SharedArrayBuffer;
}

let linkage: KernelLinkage | null | undefined;

/**
 * The linkage of this thread's plain-memory kernels instance (copies into a plain memory are ~3× faster than
 * into the shared one, and generated groups never use worker threads), or null without WebAssembly. @public
 */
export function kernelLinkage(): KernelLinkage | null {
  if (linkage !== undefined) return linkage;
  const rt = getPlainRuntime();
  linkage = rt && {
    memory: rt.memory,
    shared: rt.shared,
    maxPages: rt.shared ? MAX_PAGES : undefined,
    tanhF64: rt.exports.tanh_f64,
    tanhF32: rt.exports.tanh_f32,
    scratch: (bytes) => {
      const at = align16(rt.base);
      return rt.reserve(at + bytes) ? at : null;
    },
    buffer: () => rt.memory.buffer,
  };
  return linkage;
}
