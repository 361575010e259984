/**
 * A persistent pool of worker threads for large gemm calls (Node only).
 *
 * Every worker instantiates the kernels module on the caller's shared wasm memory, then blocks in
 * `Atomics.wait` on its own control block. The calling thread writes a task (a row or column
 * block of C) into each control block, computes its own block, and waits for the others with
 * `Atomics.wait` — so a parallel gemm stays a synchronous call, with no event-loop round trip
 * (a wake-up costs ~12 µs here). Workers are `unref()`ed and never keep the process alive; they
 * start lazily on the first large product, and calls made while they boot simply use fewer
 * threads (results are bitwise identical for any thread count: each C element is computed by
 * one thread with the same order of operations).
 */
import { isNode, type KernelRuntime } from './wasm-module.js';

/** Control block (Int32Array) slots and task states (a fresh block is 0: idle). */
const STATE = 0;
const READY = 1;
const OP = 2;
const ARGS = 3;
const CTL_INTS = 16;
const RUN = 1;
const DONE = 2;
const FAILED = 3;
const STOP = 4;

/** Opcode of a task: which gemm the worker runs. */
export type GemmOp = 0 | 1;
export const OP_GEMM_F64: GemmOp = 0;
export const OP_GEMM_F32: GemmOp = 1;

/** Arguments of one gemm_f64/gemm_f32 call: m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, scratch. */
export type GemmArgs = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

// Runs in the worker (CommonJS eval). Kept tiny: instantiate, signal ready, serve tasks.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  const s = Atomics.load(ctl, ${STATE});
  if (s === ${STOP}) break;
  if (s !== ${RUN}) { Atomics.wait(ctl, ${STATE}, s); continue; }
  try {
    const f = ctl[${OP}] === ${OP_GEMM_F64} ? ex.gemm_f64 : ex.gemm_f32;
    const a = ${ARGS};
    f(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3] >>> 0, ctl[a + 4], ctl[a + 5], ctl[a + 6] >>> 0,
      ctl[a + 7], ctl[a + 8], ctl[a + 9] >>> 0, ctl[a + 10], ctl[a + 11] >>> 0);
    Atomics.store(ctl, ${STATE}, ${DONE});
  } catch (e) {
    Atomics.store(ctl, ${STATE}, ${FAILED});
  }
  Atomics.notify(ctl, ${STATE});
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreadsModule {
  Worker: new (
    src: string,
    options: { eval: true; workerData: unknown; name?: string },
  ) => WorkerLike;
}
interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

interface PoolWorker {
  worker: WorkerLike;
  ctl: Int32Array;
}

/** Worker threads sharing one kernels memory; see the file header. */
export class KernelPool {
  private readonly workers: PoolWorker[] = [];
  private closed = false;
  /** Tasks completed by workers so far (tests use it to see that the pool really ran). */
  workerTasks = 0;

  constructor(runtime: KernelRuntime, size: number, threads: WorkerThreadsModule) {
    for (let i = 0; i < size; i++) {
      const ctl = new Int32Array(new SharedArrayBuffer(CTL_INTS * 4));
      const worker = new threads.Worker(WORKER_SOURCE, {
        eval: true,
        name: `sciml-linalg-kernels-${i}`,
        workerData: { module: runtime.module, memory: runtime.memory, ctl },
      });
      worker.unref();
      this.workers.push({ worker, ctl });
    }
  }

  /** Number of workers started so far. */
  get size(): number {
    return this.workers.length;
  }

  /** Number of workers that have finished booting and can take a task now. */
  readyCount(): number {
    let n = 0;
    for (const w of this.workers) if (Atomics.load(w.ctl, READY) === 1) n++;
    return this.closed ? 0 : n;
  }

  /** Resolves when every worker has booted (or after `timeoutMs`), with the ready count. */
  async whenReady(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.readyCount() < this.workers.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return this.readyCount();
  }

  /**
   * Run `tasks[0]` on the calling thread (through `runLocal`) and `tasks[1..]` on ready workers,
   * returning when all are done. A task whose worker failed is rerun on the calling thread, so
   * an error surfaces as the calling thread's own.
   */
  runGemm(op: GemmOp, tasks: GemmArgs[], runLocal: (args: GemmArgs) => void): void {
    const busy: { w: PoolWorker; task: GemmArgs }[] = [];
    let next = 1;
    for (const w of this.workers) {
      if (next >= tasks.length) break;
      if (Atomics.load(w.ctl, READY) !== 1) continue;
      const task = tasks[next++]!;
      w.ctl[OP] = op;
      for (let i = 0; i < task.length; i++) w.ctl[ARGS + i] = task[i]!;
      Atomics.store(w.ctl, STATE, RUN);
      Atomics.notify(w.ctl, STATE);
      busy.push({ w, task });
    }
    // tasks the workers could not take (fewer ready than planned) run here too
    for (let i = next; i < tasks.length; i++) runLocal(tasks[i]!);
    if (tasks.length > 0) runLocal(tasks[0]!);
    for (const { w, task } of busy) {
      let s = Atomics.load(w.ctl, STATE);
      while (s === RUN) {
        Atomics.wait(w.ctl, STATE, RUN);
        s = Atomics.load(w.ctl, STATE);
      }
      if (s === FAILED) runLocal(task);
      else this.workerTasks++;
    }
  }

  /** Stop and terminate every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.workers) {
      Atomics.store(w.ctl, STATE, STOP);
      Atomics.notify(w.ctl, STATE);
    }
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }
}

let pool: KernelPool | null | undefined;
let maxThreads: number | undefined;

function defaultThreads(): number {
  const os = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:os') as
    | { availableParallelism?: () => number; cpus: () => unknown[] }
    | undefined;
  if (!os) return 1;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

/** Threads (the calling one included) that a large gemm may use; 1 means single-threaded. */
export function kernelThreads(): number {
  maxThreads ??= defaultThreads();
  return maxThreads;
}

/**
 * Set how many threads (the calling one included) a large gemm may use; 1 disables the pool.
 * Takes effect for pools created afterwards: call before the first large product, or after
 * {@link shutdownKernelPool}.
 */
export function setKernelThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`setKernelThreads: expected an integer >= 1, got ${threads}`);
  }
  maxThreads = threads;
}

/**
 * The pool sharing `runtime`'s memory, created on first call; null in browsers, with a
 * non-shared memory, without `process.getBuiltinModule` (Node < 20.16), or with one thread.
 */
export function getPool(runtime: KernelRuntime): KernelPool | null {
  if (pool !== undefined) return pool;
  const size = kernelThreads() - 1;
  const proc = (globalThis as { process?: NodeProcess }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as
    | WorkerThreadsModule
    | undefined;
  if (size < 1 || !runtime.shared || !isNode() || !threads) {
    pool = null;
    return pool;
  }
  try {
    pool = new KernelPool(runtime, size, threads);
  } catch {
    pool = null;
  }
  return pool;
}

/** Current pool, if one was created. */
export function currentPool(): KernelPool | null {
  return pool ?? null;
}

/** Terminate the worker pool (a later large product starts a new one). */
export async function shutdownKernelPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.close();
}
