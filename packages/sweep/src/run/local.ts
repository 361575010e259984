// The local runner: a pool of worker threads, one per core by default, each running one job at a time.
// Retries with exponential backoff; a thread that dies (a crash inside the task) is replaced and its job
// counted as a failed attempt.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ValueError } from '@sciml/linalg';
import type { SweepJob } from '../design/jobs.js';
import { TaskError, TaskModuleError } from '../errors.js';
import { journal, writeFailure } from '../store/records.js';
import { compiledModule, threadExecArgv } from './compiled.js';
import { type RunContext, type Runner, backoffDelay } from './runner.js';
import type { FromThread } from './thread-entry.js';

/**
 * Options of {@link localRunner}.
 * @public
 */
export interface LocalRunnerOptions {
  /** Worker threads (default: one per core, `os.availableParallelism()`). */
  readonly workers?: number;
}

interface Slot {
  worker: Worker;
  job: SweepJob | undefined;
  attempt: number;
  ready: boolean;
}

/**
 * The default runner: jobs run in `worker_threads` on this machine, one thread per core.
 * @public
 */
export function localRunner(options: LocalRunnerOptions = {}): Runner {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new ValueError('localRunner', `workers must be a positive integer, got ${workers}`);
  }
  return { kind: 'local', run: (context) => runLocal(context, workers) };
}

function runLocal(ctx: RunContext, threads: number): Promise<void> {
  const entry = compiledModule('./thread-entry.ts', import.meta.url);
  const queue: { job: SweepJob; attempt: number }[] = ctx.jobs.map((job) => ({ job, attempt: 1 }));
  let remaining = ctx.jobs.length;
  const slots = new Set<Slot>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  if (remaining === 0) return Promise.resolve();

  return new Promise<void>((resolve, reject) => {
    let finished = false;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      for (const slot of slots) void slot.worker.terminate();
      ctx.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => finish();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (ctx.signal?.aborted) return finish();

    const ended = (): void => {
      remaining--;
      if (remaining === 0) finish();
      else dispatchAll();
    };

    const attemptFailed = (
      slot: Slot,
      error: { name: string; message: string; stack?: string },
      permanent: boolean,
    ): void => {
      const job = slot.job!;
      const attempt = slot.attempt;
      slot.job = undefined;
      if (permanent || attempt >= ctx.attempts) {
        void writeFailure(ctx.layout, job, attempt, error).then(async (failure) => {
          await journal(ctx.layout, {
            event: 'failed',
            jobId: job.id,
            attempt,
            error: `${error.name}: ${error.message}`,
          });
          ctx.onJobEnd(job.id, { ok: false, failure });
          ended();
        }, finish);
        return;
      }
      void journal(ctx.layout, {
        event: 'retry',
        jobId: job.id,
        attempt,
        error: `${error.name}: ${error.message}`,
      });
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          queue.push({ job, attempt: attempt + 1 });
          dispatchAll();
        },
        backoffDelay(ctx.backoffMs, attempt),
      );
      timers.add(timer);
      dispatchAll();
    };

    const spawn = (): void => {
      const slot: Slot = {
        worker: new Worker(entry, {
          workerData: { task: ctx.task, dir: ctx.layout.dir, format: ctx.format },
          execArgv: threadExecArgv(),
        }),
        job: undefined,
        attempt: 0,
        ready: false,
      };
      slots.add(slot);
      let dead = false;
      slot.worker.on('message', (message: FromThread) => {
        if (finished) return;
        switch (message.type) {
          case 'ready':
            slot.ready = true;
            dispatch(slot);
            return;
          case 'load-error':
            return finish(new TaskModuleError('runSweep', ctx.task.path, message.error.message));
          case 'done': {
            const id = slot.job!.id;
            slot.job = undefined;
            ctx.onJobEnd(id, { ok: true });
            ended();
            dispatch(slot);
            return;
          }
          case 'error':
            attemptFailed(slot, message.error, message.permanent);
            dispatch(slot);
            return;
          case 'progress':
            ctx.onJobProgress(message.jobId, message.fraction);
            return;
        }
      });
      // A thread that dies takes its job's attempt with it; replace it so the pool keeps its size
      const died = (why: string): void => {
        if (dead) return;
        dead = true;
        slots.delete(slot);
        if (finished) return;
        if (!slot.ready) {
          finish(
            new TaskModuleError(
              'runSweep',
              ctx.task.path,
              `worker thread died while loading the task: ${why}`,
            ),
          );
          return;
        }
        if (slot.job)
          attemptFailed(
            slot,
            new TaskError('runSweep', slot.job.id, slot.attempt, `worker thread died: ${why}`),
            false,
          );
        spawn();
      };
      slot.worker.on('error', (error) => died(error.message));
      slot.worker.on('exit', (code) => died(`exit code ${code}`));
    };

    const dispatch = (slot: Slot): void => {
      if (finished || !slot.ready || slot.job !== undefined) return;
      const next = queue.shift();
      if (!next) return;
      slot.job = next.job;
      slot.attempt = next.attempt;
      slot.worker.postMessage({ type: 'run', job: next.job, attempt: next.attempt });
    };
    const dispatchAll = (): void => {
      for (const slot of slots) dispatch(slot);
    };
    for (let i = 0; i < Math.min(threads, ctx.jobs.length); i++) spawn();
  });
}
