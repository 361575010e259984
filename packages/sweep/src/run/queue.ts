// The queue runner: the producer side of a distributed sweep. It enqueues the missing jobs on a BullMQ queue
// in Redis (job id = the job's hash, so a job is never queued twice), then watches the results folder until
// every job has a result or a failure record. Workers (`sciml-sweep worker <task-module>`, any number, on any
// machine that sees the folder) do the work. A job the queue lost (a Redis without persistence restarted)
// is enqueued again once nothing is waiting or running. Queue events feed the progress display (a job's
// reported progress) and wake the watcher when a job ends; the folder stays the record of what is done.
import { Queue, QueueEvents } from 'bullmq';
import { ValueError } from '@sciml/linalg';
import type { SweepJob } from '../design/jobs.js';
import { listFailures, listResults } from '../store/records.js';
import { defaultRedisUrl, probeRedis, queueConnection } from './redis.js';
import type { RunContext, Runner } from './runner.js';

/** The default queue name. */
export const DEFAULT_QUEUE = 'sciml-sweep';

/**
 * Options of {@link queueRunner}.
 * @public
 */
export interface QueueRunnerOptions {
  /** Redis URL (default: `REDIS_URL`, else `redis://127.0.0.1:6379`). */
  readonly connection?: string;
  /** Queue name, the same the workers are given (default `'sciml-sweep'`). */
  readonly queue?: string;
  /** How often the results folder and the queue are checked, in ms (default 250). */
  readonly pollMs?: number;
}

/**
 * What queue workers receive per job: the job, its sweep folder and the file format.
 * @public
 */
export interface QueueJobData {
  /** The job. */
  readonly job: SweepJob;
  /** Absolute path of the sweep folder (shared storage). */
  readonly dir: string;
  /** Result file format. */
  readonly format: 'safetensors' | 'npz';
}

const PREFIX = 'job-';

/** The BullMQ job id of a sweep job: prefixed, since BullMQ refuses ids that look like integers (all digits). */
export function queueJobId(id: string): string {
  return `${PREFIX}${id}`;
}

const PENDING_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'paused',
  'waiting-children',
] as const;

/**
 * A runner that enqueues jobs on a BullMQ queue in Redis for `sciml-sweep worker` processes to run. The
 * sweep folder must be on storage the workers share (the same machine, NFS, a Kubernetes volume).
 * @public
 */
export function queueRunner(options: QueueRunnerOptions = {}): Runner {
  const pollMs = options.pollMs ?? 250;
  if (!(pollMs > 0)) throw new ValueError('queueRunner', `pollMs must be positive, got ${pollMs}`);
  return {
    kind: 'queue',
    run: (context) =>
      runQueue(
        context,
        options.connection ?? defaultRedisUrl(),
        options.queue ?? DEFAULT_QUEUE,
        pollMs,
      ),
  };
}

async function runQueue(ctx: RunContext, url: string, name: string, pollMs: number): Promise<void> {
  if (ctx.jobs.length === 0) return;
  await probeRedis('runSweep', url);
  const connection = queueConnection(url);
  const queue = new Queue<QueueJobData>(name, { connection });
  queue.on('error', () => {}); // reconnects are expected (a Redis restart); the poll loop waits them out
  const eventsConnection = queueConnection(url);
  const events = new QueueEvents(name, { connection: eventsConnection });
  events.on('error', () => {});
  let wake: () => void = () => {};
  const sleep = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  events.on('progress', ({ jobId, data }) => {
    if (typeof data === 'number' && jobId.startsWith(PREFIX))
      ctx.onJobProgress(jobId.slice(PREFIX.length), data);
  });
  // a job ended: look at the folder now rather than at the next tick (at most every pollMs / 5)
  let lastWake = 0;
  const ended = (): void => {
    const now = performance.now();
    if (now - lastWake < pollMs / 5) return;
    lastWake = now;
    wake();
  };
  events.on('completed', ended);
  events.on('failed', ended);
  const enqueue = async (jobs: readonly SweepJob[]): Promise<void> => {
    const fresh: SweepJob[] = [];
    for (const job of jobs) {
      const existing = await queue.getJob(queueJobId(job.id));
      if (existing) {
        const state = await existing.getState();
        // still queued or running (an earlier producer's): leave it; ended: make room for a new try
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        await existing.remove();
      }
      fresh.push(job);
    }
    await queue.addBulk(
      fresh.map((job) => ({
        name: 'sweep-job',
        data: { job, dir: ctx.layout.dir, format: ctx.format },
        opts: {
          jobId: queueJobId(job.id),
          attempts: ctx.attempts,
          backoff: { type: 'exponential', delay: ctx.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  };
  try {
    await enqueue(ctx.jobs);
    const open = new Map(ctx.jobs.map((j) => [j.id, j]));
    let idlePolls = 0;
    while (open.size > 0 && ctx.signal?.aborted !== true) {
      await sleep();
      // counts before the folder: a job that leaves the queue has written its file or record already
      const counts = await queue.getJobCounts(...PENDING_STATES);
      const pending = PENDING_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
      const results = await listResults(ctx.layout, ctx.format);
      const failures = await listFailures(ctx.layout);
      for (const id of [...open.keys()]) {
        if (results.has(id)) {
          open.delete(id);
          ctx.onJobEnd(id, { ok: true });
        } else if (failures.has(id)) {
          open.delete(id);
          ctx.onJobEnd(id, { ok: false, failure: failures.get(id)! });
        }
      }
      idlePolls = pending === 0 && open.size > 0 ? idlePolls + 1 : 0;
      if (idlePolls >= 2) {
        process.stderr.write(
          `sciml-sweep: the queue lost ${open.size} job(s); enqueuing them again\n`,
        );
        await enqueue([...open.values()]);
        idlePolls = 0;
      }
    }
    if (ctx.signal?.aborted) {
      // cancel: drop what waits; running jobs finish and keep their results
      await queue.drain(true);
    }
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
    eventsConnection.disconnect();
  }
}
