/**
 * A persistent pool of worker threads for large gemm and sparse-product calls: Node's
 * worker_threads, or Web Workers inside a browser worker of a cross-origin-isolated page
 * (SharedArrayBuffer needs COOP/COEP, and `Atomics.wait` is refused on a window's main thread).
 *
 * Every worker instantiates the kernels module on the caller's shared wasm memory, then blocks in
 * `Atomics.wait` on its control block. A parallel gemm is a *job*: C cut into a few row (or
 * column) blocks, which the calling thread and the woken workers claim one at a time from a shared
 * counter (`Atomics.add`) until none is left. Claiming dynamically keeps a busy machine from
 * stalling the call: a worker that the OS does not schedule simply claims fewer blocks, and one
 * that has not started by the time the blocks run out is cancelled instead of awaited. The caller
 * waits with `Atomics.wait`, so a parallel gemm stays a synchronous call (a wake-up costs ~12 µs).
 * Workers are `unref()`ed and never keep the process alive; they start lazily on the first large
 * product, and calls made while they boot use fewer threads. Results are bitwise identical for
 * any thread count: each C element is computed by one thread in the same order of operations.
 */
import { isNode, type KernelRuntime } from './wasm-module.js';
import { ValueError } from '../core/errors.js';

/** Which gemm a job runs: gemm_f64, gemm_f32, or their variants reading a pre-packed B. */
export type GemmOp = 0 | 1 | 2 | 3;
export const OP_GEMM_F64: GemmOp = 0;
export const OP_GEMM_F32: GemmOp = 1;
export const OP_GEMM_F64_PACKED: GemmOp = 2;
export const OP_GEMM_F32_PACKED: GemmOp = 3;
/** Which row-range kernel a job runs: spmv_f64 or spmm_f64 (assembly/spmv.ts). */
export type RowsOp = 4 | 5;
export const OP_SPMV_F64: RowsOp = 4;
export const OP_SPMM_F64: RowsOp = 5;
/** Most row blocks one row-range job may be cut into. */
export const MAX_ROW_BLOCKS = 64;

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

/** Job block (Int32Array shared by all threads) slots. */
const NEXT = 0;
const COUNT = 1;
const OP = 2;
const BY_COLS = 3;
const CHUNK = 4;
const BYTES = 5;
const SCRATCH_BYTES = 6;
const BASE = 7;
/** Row-range jobs (BY_COLS = 2): argument index of the row-pointer array and of the output. */
const PTR_ARG = BASE + 12;
const OUT_ARG = PTR_ARG + 1;
/** Row-range jobs: block i covers rows [job[BOUNDS + i], job[BOUNDS + i + 1]). */
const BOUNDS = OUT_ARG + 1;
const JOB_INTS = BOUNDS + MAX_ROW_BLOCKS + 1;

/** Per-worker control block slots and states (a fresh block is 0: idle). */
const STATE = 0;
const READY = 1;
const FAILED_TASK = 2;
const BLOCKS_DONE = 3;
const CTL_INTS = 4;
const IDLE = 0;
const POSTED = 1;
const BUSY = 2;
const DONE = 3;
const FAILED = 4;
const STOP = 5;

/**
 * Arguments of block `i` of the job in `job`, computed by thread `thread` (which selects its own
 * scratch area). Shared verbatim with the workers through `Function.prototype.toString`, so it
 * must stay self-contained.
 */
function taskArgs(job: Int32Array, i: number, thread: number): number[] {
  const args: number[] = [];
  for (let t = 0; t < 12; t++) args.push(job[7 + t]!);
  if (job[3] === 2) {
    // row range (sparse kernels): args[0] is the row count; the row pointers (int32) and the
    // output rows (job[5] bytes each) start at the block's first row
    const r0 = job[21 + i]!;
    args[0] = job[22 + i]! - r0;
    args[job[19]!] = args[job[19]!]! + r0 * 4;
    args[job[20]!] = args[job[20]!]! + r0 * job[5]!;
    return args;
  }
  const start = i * job[4]!;
  const bytes = job[5]!;
  if (job[3] === 1) {
    args[1] = Math.min(job[4]!, args[1]! - start);
    args[6] = args[6]! + start * args[8]! * bytes;
    args[9] = args[9]! + start * bytes;
  } else {
    args[0] = Math.min(job[4]!, args[0]! - start);
    args[3] = args[3]! + start * args[4]! * bytes;
    args[9] = args[9]! + start * args[10]! * bytes;
  }
  args[11] = args[11]! + thread * job[6]!;
  return args;
}

// Runs in the worker: instantiate, signal ready, then claim blocks of posted jobs. Node hands it
// its data as `workerData`; a Web Worker receives it as its first message.
const WORKER_BODY = `
const run = ({ module, memory, job, ctl, thread }) => {
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const taskArgs = ${taskArgs.toString()};
Atomics.store(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  const s = Atomics.load(ctl, ${STATE});
  if (s === ${STOP}) break;
  if (s !== ${POSTED}) { Atomics.wait(ctl, ${STATE}, s); continue; }
  if (Atomics.compareExchange(ctl, ${STATE}, ${POSTED}, ${BUSY}) !== ${POSTED}) continue;
  const f = [ex.gemm_f64, ex.gemm_f32, ex.gemm_f64_packed, ex.gemm_f32_packed, ex.spmv_f64, ex.spmm_f64][job[${OP}]];
  let failed = -1;
  let done = 0;
  for (;;) {
    const i = Atomics.add(job, ${NEXT}, 1);
    if (i >= job[${COUNT}]) break;
    try {
      f(...taskArgs(job, i, thread));
      done++;
    } catch (e) {
      failed = i;
      break;
    }
  }
  ctl[${FAILED_TASK}] = failed;
  ctl[${BLOCKS_DONE}] = done;
  Atomics.store(ctl, ${STATE}, failed < 0 ? ${DONE} : ${FAILED});
  Atomics.notify(ctl, ${STATE});
}
};
`;
const NODE_WORKER_SOURCE = `${WORKER_BODY}\nrun(require('node:worker_threads').workerData);\n`;
const WEB_WORKER_SOURCE = `${WORKER_BODY}\nself.onmessage = (e) => run(e.data);\n`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<unknown>;
}
/** What every pool worker receives. */
interface WorkerData {
  module: KernelRuntime['module'];
  memory: KernelRuntime['memory'];
  job: Int32Array;
  ctl: Int32Array;
  thread: number;
}
/** Starts pool workers on one platform. */
type SpawnWorker = (data: WorkerData, name: string) => WorkerLike;
/** The Web Worker API as far as the pool uses it. */
interface WebWorkerApi {
  Worker: new (
    url: string,
    options?: { name?: string },
  ) => {
    postMessage(data: unknown): void;
    terminate(): void;
  };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string };
}
interface WorkerThreadsModule {
  isMainThread: boolean;
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
  private readonly job = new Int32Array(new SharedArrayBuffer(JOB_INTS * 4));
  private closed = false;
  /** Blocks computed by workers so far (tests use it to see that the pool really ran). */
  workerTasks = 0;
  /** The memory the workers share: a job's pointers mean something only in it. */
  readonly memory: KernelRuntime['memory'];

  constructor(runtime: KernelRuntime, size: number, spawn: SpawnWorker) {
    this.memory = runtime.memory;
    for (let i = 0; i < size; i++) {
      const ctl = new Int32Array(new SharedArrayBuffer(CTL_INTS * 4));
      const worker = spawn(
        {
          module: runtime.module,
          memory: runtime.memory,
          job: this.job,
          ctl,
          thread: i + 1,
        },
        `sciml-linalg-kernels-${i}`,
      );
      worker.unref();
      this.workers.push({ worker, ctl });
    }
  }

  /** Number of workers started. */
  get size(): number {
    return this.workers.length;
  }

  /** Number of workers that have finished booting and can take part in a job now. */
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
   * Compute `whole` (one gemm call) as `count` blocks of `chunk` rows (or columns, `byCols`) of
   * C, claimed by the calling thread and up to `helpers` ready workers. Thread t uses the
   * scratch area at `whole[11] + t·scratchBytes`. `runLocal` runs one block's arguments on the
   * calling thread; blocks whose worker failed are rerun there, so errors surface as its own.
   */
  runGemm(
    op: GemmOp,
    whole: GemmArgs,
    split: { byCols: boolean; chunk: number; count: number; bytes: number; scratchBytes: number },
    helpers: number,
    runLocal: (args: number[]) => void,
  ): void {
    const job = this.job;
    job[COUNT] = split.count;
    job[OP] = op;
    job[BY_COLS] = split.byCols ? 1 : 0;
    job[CHUNK] = split.chunk;
    job[BYTES] = split.bytes;
    job[SCRATCH_BYTES] = split.scratchBytes;
    for (let t = 0; t < 12; t++) job[BASE + t] = whole[t]!;
    this.runJob(split.count, helpers, runLocal);
  }

  /**
   * Run a row-range kernel (`op`, arguments `whole`: row count first) as the row blocks
   * [bounds[i], bounds[i+1]), claimed like gemm blocks. The argument at `ptrArg` is the int32
   * row-pointer array and the one at `outArg` the output, whose rows are `outRowBytes` long.
   */
  runRows(
    op: RowsOp,
    whole: number[],
    rows: { bounds: ArrayLike<number>; ptrArg: number; outArg: number; outRowBytes: number },
    helpers: number,
    runLocal: (args: number[]) => void,
  ): void {
    const count = rows.bounds.length - 1;
    if (count < 1 || count > MAX_ROW_BLOCKS || whole.length > 12) {
      throw new ValueError('KernelPool.runRows', `expected 1…${MAX_ROW_BLOCKS} row blocks`);
    }
    const job = this.job;
    job[COUNT] = count;
    job[OP] = op;
    job[BY_COLS] = 2;
    job[BYTES] = rows.outRowBytes;
    job[PTR_ARG] = rows.ptrArg;
    job[OUT_ARG] = rows.outArg;
    for (let t = 0; t < 12; t++) job[BASE + t] = whole[t] ?? 0;
    for (let t = 0; t <= count; t++) job[BOUNDS + t] = rows.bounds[t]!;
    this.runJob(count, helpers, runLocal);
  }

  /** Post the job already written to `this.job` (`count` blocks) and take part in it. */
  private runJob(count: number, helpers: number, runLocal: (args: number[]) => void): void {
    const job = this.job;
    Atomics.store(job, NEXT, 0);
    const posted: PoolWorker[] = [];
    for (const w of this.workers) {
      if (posted.length >= helpers) break;
      if (Atomics.load(w.ctl, READY) !== 1) continue;
      Atomics.store(w.ctl, STATE, POSTED);
      Atomics.notify(w.ctl, STATE);
      posted.push(w);
    }
    for (;;) {
      const i = Atomics.add(job, NEXT, 1);
      if (i >= count) break;
      runLocal(taskArgs(job, i, 0));
    }
    for (const w of posted) {
      // a worker that has not started yet is cancelled: no block is left for it
      if (Atomics.compareExchange(w.ctl, STATE, POSTED, IDLE) === POSTED) continue;
      let s = Atomics.load(w.ctl, STATE);
      while (s === BUSY) {
        Atomics.wait(w.ctl, STATE, BUSY);
        s = Atomics.load(w.ctl, STATE);
      }
      this.workerTasks += w.ctl[BLOCKS_DONE]!;
      if (s === FAILED) runLocal(taskArgs(job, w.ctl[FAILED_TASK]!, 0));
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

let pool: KernelPool | undefined;
let poolUnavailable = false;
let maxThreads: number | undefined;

function defaultThreads(): number {
  const os = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:os') as
    | { availableParallelism?: () => number; cpus: () => unknown[] }
    | undefined;
  const browserCores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length) : (browserCores ?? 1);
  return Math.max(1, Math.min(cores, 8));
}

/** Node: eval'd worker_threads, from the main thread only. */
function nodeSpawner(): SpawnWorker | null {
  if (!isNode()) return null;
  const proc = (globalThis as { process?: NodeProcess }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as
    | WorkerThreadsModule
    | undefined;
  // Only the main thread starts a pool: code that already spreads work over its own workers
  // should not have each of them fan out again (cores² threads).
  if (!threads?.isMainThread) return null;
  return (workerData, name) =>
    new threads.Worker(NODE_WORKER_SOURCE, { eval: true, name, workerData });
}

/**
 * Browsers: Web Workers from a Blob URL, only where the page is cross-origin isolated (else
 * there is no SharedArrayBuffer to share) and only from a worker (a window's main thread may not
 * block in `Atomics.wait`, which a parallel gemm does while its helpers finish).
 */
function webSpawner(): SpawnWorker | null {
  const g = globalThis as Partial<WebWorkerApi> & {
    crossOriginIsolated?: boolean;
    WorkerGlobalScope?: abstract new () => unknown;
  };
  if (isNode() || g.crossOriginIsolated !== true) return null;
  if (!g.Worker || !g.Blob || !g.URL || !g.WorkerGlobalScope) return null;
  if (!(globalThis instanceof g.WorkerGlobalScope)) return null;
  const { Worker, Blob, URL } = g as WebWorkerApi;
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  return (data, name) => {
    const worker = new Worker(url, { name });
    worker.postMessage(data);
    return {
      unref: () => {},
      terminate: async () => worker.terminate(),
    };
  };
}

/** Threads (the calling one included) that a large gemm may use; 1 means single-threaded. */
export function kernelThreads(): number {
  maxThreads ??= defaultThreads();
  return maxThreads;
}

/**
 * Set how many threads (the calling one included) a large gemm may use; 1 keeps every product on
 * the calling thread. Takes effect at the next call. The pool's size is fixed when it starts (at
 * the first large product, with the setting of that moment); to enlarge it, call
 * {@link shutdownKernelPool} first.
 */
export function setKernelThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ValueError(
      'setKernelThreads',
      `expected an integer >= 1, got ${threads}; pass e.g. setKernelThreads(2)`,
    );
  }
  maxThreads = threads;
}

/**
 * The pool sharing `runtime`'s memory, created on first call; null when a single thread is
 * configured, with a non-shared memory, in Node worker threads or without
 * `process.getBuiltinModule` (Node < 20.16), and in browsers outside a worker of a
 * cross-origin-isolated page.
 */
export function getPool(runtime: KernelRuntime): KernelPool | null {
  // the workers compute on the memory the pool was made for: for a runtime on any other memory (this
  // thread's plain one) there is no pool, or a job's pointers would be read in the wrong memory
  if (pool) return pool.memory === runtime.memory ? pool : null;
  const size = kernelThreads() - 1;
  if (poolUnavailable || size < 1) return null;
  const spawn = runtime.shared ? (nodeSpawner() ?? webSpawner()) : null;
  if (!spawn) {
    poolUnavailable = true;
    return null;
  }
  try {
    pool = new KernelPool(runtime, size, spawn);
  } catch {
    poolUnavailable = true;
    return null;
  }
  return pool;
}

/** Current pool, if one is running. */
export function currentPool(): KernelPool | null {
  return pool ?? null;
}

/** Terminate the worker pool (a later large product starts a new one). */
export async function shutdownKernelPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.close();
}
