/** Introspection of the kernels runtime, for tests, benchmarks and memory accounting. */
import { currentPool, getPool } from './pool.js';
import { getRuntime } from './wasm-module.js';

/**
 * Byte length of this thread's kernels memory (0 without WebAssembly). It grows to the largest
 * call's working set and then stays put: repeated calls reuse the same arena.
 */
export function kernelMemoryBytes(): number {
  return getRuntime()?.byteLength ?? 0;
}

/**
 * Start the worker pool if it is not running and resolve, once its workers have booted, with the
 * number of threads a large gemm will use (1 where there is no pool: browsers, one core).
 */
export async function kernelPoolReady(): Promise<number> {
  const rt = getRuntime();
  const pool = currentPool() ?? (rt ? getPool(rt) : null);
  return pool ? 1 + (await pool.whenReady()) : 1;
}
