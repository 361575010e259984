// Body of one worker thread (the local runner's, and a queue worker's: there the thread keeps CPU-bound tasks
// off the event loop that renews the job's lock): load the task once, then run the jobs the main thread sends.
import { parentPort, workerData } from 'node:worker_threads';
import type { SweepJob } from '../design/jobs.js';
import { describeError, isPermanent } from '../errors.js';
import type { ResultFormat } from '../store/codec.js';
import { SweepLayout } from '../store/layout.js';
import { runAttempt } from './execute.js';
import { loadTask } from './task.js';

/** Messages from the main thread. */
export type ToThread = {
  type: 'run';
  job: SweepJob;
  attempt: number;
  /** The job's sweep folder and format, when they are not the thread's own (queue workers). */
  dir?: string;
  format?: ResultFormat;
};
/** Messages to the main thread. */
export type FromThread =
  | { type: 'ready' }
  | { type: 'load-error'; error: { name: string; message: string } }
  | { type: 'done'; jobId: string; status: 'done' | 'exists' }
  | {
      type: 'error';
      jobId: string;
      permanent: boolean;
      error: { name: string; message: string; stack?: string };
    }
  | { type: 'progress'; jobId: string; fraction: number };

interface ThreadData {
  task: { path: string; exportName: string | undefined };
  dir?: string;
  format?: ResultFormat;
}

const port = parentPort!;
const data = workerData as ThreadData;
const send = (message: FromThread): void => port.postMessage(message);

try {
  const task = await loadTask({
    module: data.task.path,
    ...(data.task.exportName ? { export: data.task.exportName } : {}),
  });
  port.on('message', async (message: ToThread) => {
    const { job, attempt } = message;
    try {
      const layout = new SweepLayout((message.dir ?? data.dir)!);
      const format = (message.format ?? data.format)!;
      const outcome = await runAttempt(task, job, attempt, layout, format, (fraction) =>
        send({ type: 'progress', jobId: job.id, fraction }),
      );
      send({ type: 'done', jobId: job.id, status: outcome.status });
    } catch (error) {
      send({
        type: 'error',
        jobId: job.id,
        permanent: isPermanent(error),
        error: describeError(error),
      });
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load-error', error: describeError(error) });
}
