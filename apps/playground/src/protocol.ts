/** Messages between the page and the worker that runs the demos. */
import type { BackendChoice, DemoResult, Progress } from './demos/index.js';

/** Page → worker: run one demo. */
export interface RunRequest {
  type: 'run';
  id: number;
  demo: string;
  params: Record<string, number>;
  backend: BackendChoice;
}

/** How the worker's wasm kernels run: the value the tests read to see the pool in use. */
export interface KernelStatus {
  /** The page (and so the worker) is cross-origin isolated: SharedArrayBuffer exists. */
  isolated: boolean;
  /** WebAssembly kernels in use (false: the TypeScript fallbacks). */
  wasm: boolean;
  /** Threads a large product uses (1: single-threaded). */
  threads: number;
  /** Product blocks computed by pool workers so far. */
  workerTasks: number;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: 'ready'; kernels: KernelStatus }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; result: DemoResult; kernels: KernelStatus; ms: number }
  | { type: 'error'; id: number; message: string };
