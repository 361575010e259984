// One worker thread that runs a queue worker's jobs, one at a time. A queue worker runs tasks here rather
// than on its own event loop, so a long synchronous computation cannot starve the timers that renew the
// job's lock in Redis (a starved lock expires and the job is handed to another worker as stalled).
import { Worker } from 'node:worker_threads';
import type { SweepJob } from '../design/jobs.js';
import { TaskModuleError } from '../errors.js';
import type { ResultFormat } from '../store/codec.js';
import { compiledModule, threadExecArgv } from './compiled.js';
import type { FromThread, ToThread } from './thread-entry.js';

/** A failed attempt as the thread reported it. */
export class ThreadJobError extends Error {
  constructor(
    readonly error: { name: string; message: string; stack?: string },
    readonly permanent: boolean,
  ) {
    super(error.message);
    this.name = error.name;
  }
}

interface Pending {
  resolve: (status: 'done' | 'exists') => void;
  reject: (error: ThreadJobError) => void;
  onProgress: (fraction: number) => void;
}

/** A worker thread with the task loaded. `start` resolves once it is, or rejects with a TaskModuleError. */
export class TaskThread {
  readonly #worker: Worker;
  #pending: Pending | undefined;
  #alive = true;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Whether the thread is alive and not running a job. */
  get idle(): boolean {
    return this.#alive && this.#pending === undefined;
  }

  get alive(): boolean {
    return this.#alive;
  }

  static start(task: { path: string; exportName: string | undefined }): Promise<TaskThread> {
    const worker = new Worker(compiledModule('./thread-entry.ts', import.meta.url), {
      workerData: { task },
      execArgv: threadExecArgv(),
    });
    const thread = new TaskThread(worker);
    return new Promise((resolve, reject) => {
      const died = (why: string): void => {
        const was = thread.#alive;
        thread.#alive = false;
        if (!was) return;
        const pending = thread.#pending;
        thread.#pending = undefined;
        pending?.reject(
          new ThreadJobError({ name: 'TaskError', message: `worker thread died: ${why}` }, false),
        );
        reject(
          new TaskModuleError(
            'startWorker',
            task.path,
            `worker thread died while loading the task: ${why}`,
          ),
        );
      };
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
      worker.on('message', (message: FromThread) => {
        const pending = thread.#pending;
        switch (message.type) {
          case 'ready':
            resolve(thread);
            return;
          case 'load-error':
            thread.#alive = false;
            void worker.terminate();
            reject(new TaskModuleError('startWorker', task.path, message.error.message));
            return;
          case 'progress':
            pending?.onProgress(message.fraction);
            return;
          case 'done':
            thread.#pending = undefined;
            pending?.resolve(message.status);
            return;
          case 'error':
            thread.#pending = undefined;
            pending?.reject(new ThreadJobError(message.error, message.permanent));
            return;
        }
      });
    });
  }

  /** Runs one attempt of a job in the thread. Rejects with a ThreadJobError when it fails or the thread dies. */
  run(
    job: SweepJob,
    attempt: number,
    dir: string,
    format: ResultFormat,
    onProgress: (fraction: number) => void,
  ): Promise<'done' | 'exists'> {
    if (!this.idle) throw new Error('TaskThread.run: the thread is busy or dead');
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, onProgress };
      const message: ToThread = { type: 'run', job, attempt, dir, format };
      this.#worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.#alive = false;
    await this.#worker.terminate();
  }
}
