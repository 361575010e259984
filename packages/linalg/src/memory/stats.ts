/**
 * `memoryStats()`: what scopes hold on a backend, plus the backend's own device counters where it keeps any
 * (the optional `Backend.memoryStats` hook; a GPU reports its buffers; the CPU's arrays are typed arrays,
 * and what its storage pool keeps of disposed ones is `hostPoolStats()`).
 */
import type { Backend, DeviceMemoryStats } from '../backend/backend.js';
import { resolveBackend } from '../backend/registry.js';
import { scopedUsage } from './scope.js';

/** Memory held on one backend. @public */
export interface MemoryStats {
  /** The backend's registry name. */
  readonly backend: string;
  /** Arrays on this backend owned by open scopes (each freed when its scope closes unless returned or kept). */
  readonly scopedArrays: number;
  /** Bytes of those arrays (elements × element size). */
  readonly scopedBytes: number;
  /**
   * The backend's device counters (live and pooled buffers), where it reports them; undefined on the CPU (see
   * `hostPoolStats` for its storage pool).
   */
  readonly device: DeviceMemoryStats | undefined;
}

/**
 * Memory held on `backend` (default: the selected backend): arrays owned by open scopes and, where the
 * backend has device memory, its live and pooled buffers. Tests assert leaks with it.
 * @example
 * ```ts
 * const before = memoryStats();
 * scope(() => { zeros([4]); });
 * memoryStats().scopedArrays === before.scopedArrays; // true
 * ```
 * @public
 */
export function memoryStats(backend?: Backend | string): MemoryStats {
  const b = resolveBackend(backend);
  const scoped = scopedUsage(b.name);
  return {
    backend: b.name,
    scopedArrays: scoped.arrays,
    scopedBytes: scoped.bytes,
    device: b.memoryStats?.(),
  };
}
