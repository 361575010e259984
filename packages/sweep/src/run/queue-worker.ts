// A queue worker: takes jobs from a BullMQ queue and runs them with the user's task in worker threads (one
// per concurrent job), writing results into the folder each job names. Started by
// `sciml-sweep worker <task-module>` on any machine.
import { UnrecoverableError, Worker } from 'bullmq';
import { ValueError } from '@sciml/linalg';
import { SweepLayout } from '../store/layout.js';
import { journal, writeFailure } from '../store/records.js';
import { DEFAULT_QUEUE, type QueueJobData } from './queue.js';
import { defaultRedisUrl, probeRedis, queueConnection } from './redis.js';
import { TaskThread, ThreadJobError } from './task-thread.js';
import { type TaskRef, loadTask, resolveTaskRef } from './task.js';

/**
 * Options of {@link startWorker}.
 * @public
 */
export interface QueueWorkerOptions {
  /** The task module (and export). */
  readonly task: TaskRef;
  /** Redis URL (default: `REDIS_URL`, else `redis://127.0.0.1:6379`). */
  readonly connection?: string;
  /** Queue name (default `'sciml-sweep'`). */
  readonly queue?: string;
  /** Jobs run at once by this worker (default 1: one process per core scales better for CPU-bound tasks). */
  readonly concurrency?: number;
  /** How long a job's lock lasts without renewal, ms (default 30 000). A dead worker's job is retried after it. */
  readonly lockDurationMs?: number;
  /** How often stalled jobs (of dead workers) are looked for, ms (default 30 000). */
  readonly stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it counts as failed (default 3). */
  readonly maxStalledCount?: number;
  /** Called for connection errors while the worker waits for Redis to come back (default: print to stderr). */
  readonly onError?: (error: Error) => void;
}

/**
 * A running queue worker.
 * @public
 */
export interface SweepWorker {
  /** Jobs this worker ran to a result so far. */
  readonly completed: number;
  /** Stops taking jobs, waits for the running ones, and disconnects. */
  close(): Promise<void>;
}

/**
 * Starts a queue worker: loads the task (a {@link TaskModuleError} if it cannot), checks Redis (a
 * {@link QueueConnectionError} if unreachable), then runs jobs until closed.
 * @public
 */
export async function startWorker(options: QueueWorkerOptions): Promise<SweepWorker> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new ValueError(
      'startWorker',
      `concurrency must be a positive integer, got ${concurrency}`,
    );
  }
  // load once here first: a missing module or export fails now, with its typed error
  await loadTask(options.task);
  const url = options.connection ?? defaultRedisUrl();
  await probeRedis('startWorker', url);
  const onError =
    options.onError ?? ((e: Error) => process.stderr.write(`sciml-sweep worker: ${e.message}\n`));
  // one thread per concurrent job, so CPU-bound tasks never block the lock renewals on this event loop
  const ref = resolveTaskRef(options.task);
  const threads = await Promise.all(
    Array.from({ length: concurrency }, () => TaskThread.start(ref)),
  );
  const idleThread = async (): Promise<TaskThread> => {
    const i = threads.findIndex((t) => t.idle);
    if (i >= 0) return threads[i]!;
    // BullMQ runs at most `concurrency` jobs at once, so no idle thread means a dead one: replace it
    const dead = threads.findIndex((t) => !t.alive);
    threads[dead] = await TaskThread.start(ref);
    return threads[dead]!;
  };
  let completed = 0;
  const connection = queueConnection(url);
  const worker = new Worker<QueueJobData>(
    options.queue ?? DEFAULT_QUEUE,
    async (bullJob) => {
      const { job, dir, format } = bullJob.data;
      const layout = new SweepLayout(dir);
      const attempt = bullJob.attemptsMade + 1;
      try {
        const thread = await idleThread();
        const status = await thread.run(job, attempt, dir, format, (f) => {
          void bullJob.updateProgress(f).catch(() => {});
        });
        if (status === 'done') completed++;
        return status;
      } catch (error) {
        const permanent = error instanceof ThreadJobError && error.permanent;
        const failure = error instanceof ThreadJobError ? error.error : error;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (permanent || attempt >= (bullJob.opts.attempts ?? 1)) {
          await writeFailure(layout, job, attempt, failure);
          await journal(layout, { event: 'failed', jobId: job.id, attempt, error: message });
        } else {
          await journal(layout, { event: 'retry', jobId: job.id, attempt, error: message });
        }
        if (permanent) throw new UnrecoverableError(message);
        throw error;
      }
    },
    {
      connection,
      concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 3,
    },
  );
  worker.on('error', onError);
  await worker.waitUntilReady();
  return {
    get completed() {
      return completed;
    },
    async close() {
      await worker.close();
      connection.disconnect();
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
