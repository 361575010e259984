// One attempt at one job, the same in a worker thread and in a queue worker process: skip it when its result
// exists, else run the task with a generator seeded by the job, encode the result and create its file
// atomically — only if no other attempt created it meanwhile, so each job completes exactly once.
import { existsSync } from 'node:fs';
import { Generator } from '@sciml/linalg';
import type { SweepJob } from '../design/jobs.js';
import { createFileAtomic } from '../store/atomic.js';
import { type ResultFormat, encodeResult } from '../store/codec.js';
import type { SweepLayout } from '../store/layout.js';
import { clearFailure, journal } from '../store/records.js';
import type { Task } from './task.js';

/** How an attempt ended when it did not throw. */
export interface AttemptOutcome {
  /** `'done'`: the task ran and its result was written; `'exists'`: the result was already on disk. */
  readonly status: 'done' | 'exists';
  readonly ms: number;
}

/** Runs one attempt of `job`. Throws what the task throws, or a ResultFormatError for a result no file holds. */
export async function runAttempt(
  task: Task,
  job: SweepJob,
  attempt: number,
  layout: SweepLayout,
  format: ResultFormat,
  onProgress: (fraction: number) => void = () => {},
): Promise<AttemptOutcome> {
  const path = layout.result(job.id, format);
  const t0 = performance.now();
  // A result on disk is final (it was renamed into place whole): running again could only rewrite it
  if (existsSync(path)) {
    // an earlier attempt wrote it and died before it could report (kill -9 between rename and journal)
    await journal(layout, { event: 'found', jobId: job.id, attempt });
    return { status: 'exists', ms: 0 };
  }
  await journal(layout, { event: 'start', jobId: job.id, attempt });
  const result = await task(job.params, {
    rng: new Generator(job.seed),
    progress: (fraction) => onProgress(Math.min(1, Math.max(0, fraction))),
    jobId: job.id,
    attempt,
  });
  const bytes = encodeResult(format, { jobId: job.id, params: job.params, seed: job.seed }, result);
  // exactly one attempt creates the file, even if two ran the job at once (a lock that expired under load)
  if (!(await createFileAtomic(path, bytes, layout.tmpDir))) {
    await journal(layout, { event: 'found', jobId: job.id, attempt });
    return { status: 'exists', ms: performance.now() - t0 };
  }
  await clearFailure(layout, job.id);
  const ms = performance.now() - t0;
  await journal(layout, { event: 'done', jobId: job.id, attempt, ms });
  return { status: 'done', ms };
}
