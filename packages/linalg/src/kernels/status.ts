/** Introspection of the kernels runtime, for tests, benchmarks and memory accounting. */
import { currentPool, getPool } from './pool.js';
import { getPlainRuntime, getRuntime } from './wasm-module.js';

/**
 * Byte length of this thread's kernels memories (0 without WebAssembly): the shared one the worker pool
 * computes in and, in Node, the plain one of single-threaded calls. Each grows to the largest working set
 * of its calls and then stays put: repeated calls reuse the same arena.
 */
export function kernelMemoryBytes(): number {
  const shared = getRuntime();
  const plain = getPlainRuntime();
  return (shared?.byteLength ?? 0) + (plain && plain !== shared ? plain.byteLength : 0);
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

/** What the worker pool has done so far: threads a large gemm uses and blocks computed by workers. */
export interface KernelPoolStats {
  /** Threads (the calling one included) of the running pool; 1 when no pool runs. */
  threads: number;
  /** Gemm blocks that pool workers (not the calling thread) have computed since the pool started. */
  workerTasks: number;
}

/**
 * How the worker pool is being used: in a browser, whether a cross-origin-isolated page really
 * spreads large products over Web Workers (`workerTasks > 0` after one) or runs single-threaded.
 */
export function kernelPoolStats(): KernelPoolStats {
  const pool = currentPool();
  return pool
    ? { threads: 1 + pool.readyCount(), workerTasks: pool.workerTasks }
    : { threads: 1, workerTasks: 0 };
}
