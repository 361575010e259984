// runSweep: one call for every runner. It writes the sweep's definition, skips the jobs whose results exist
// (resume), hands the rest to the runner, and rebuilds the index at the end.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ValueError } from '@sciml/linalg';
import { jobsOf } from './design/jobs.js';
import type { Design } from './design/params.js';
import { ProgressTracker, type SweepProgress, terminalProgress } from './report/progress.js';
import { localRunner } from './run/local.js';
import type { RetryOptions, Runner } from './run/runner.js';
import { type TaskRef, resolveTaskRef } from './run/task.js';
import type { ResultFormat } from './store/codec.js';
import { type SweepIndex, buildIndex, removeTemporaryFiles } from './store/index-file.js';
import { SweepLayout } from './store/layout.js';
import {
  type FailedJob,
  clearFailure,
  journalRecoveredResults,
  listResults,
  writeDefinition,
} from './store/records.js';

/**
 * A sweep: which task, over which design, into which folder.
 * @public
 */
export interface SweepSpec {
  /** The task module (and export). */
  readonly task: TaskRef;
  /** The parameter sets, one job each. */
  readonly design: Design;
  /** The sweep's folder (results, index, report). Re-running with the same folder resumes. */
  readonly out: string;
  /** Result file format (default `'safetensors'`). */
  readonly format?: ResultFormat;
}

/**
 * Options of {@link runSweep}.
 * @public
 */
export interface RunSweepOptions {
  /** Where jobs run (default {@link localRunner}()). */
  readonly runner?: Runner;
  /** Retries with exponential backoff (default 3 attempts, 1 s first wait). */
  readonly retry?: RetryOptions;
  /** Aborting it cancels the sweep: running jobs are dropped, finished results stay, a re-run resumes. */
  readonly signal?: AbortSignal;
  /** A progress listener, `true` for a terminal progress bar on stderr, `false` for none (default: a bar when stderr is a terminal). */
  readonly progress?: boolean | ((progress: SweepProgress) => void);
  /**
   * Run only shard `index` of `count`: the jobs whose design position is `index` mod `count` (a Kubernetes
   * Indexed Job gives each pod its `JOB_COMPLETION_INDEX`). The other shards' jobs are left to their pods.
   */
  readonly shard?: { readonly index: number; readonly count: number };
}

/**
 * What a run of a sweep did.
 * @public
 */
export interface SweepSummary {
  /** The sweep folder (absolute). */
  readonly dir: string;
  /** Jobs in the sweep (in this shard, when sharded). */
  readonly total: number;
  /** Jobs with a result after this run (resumed ones included). */
  readonly done: number;
  /** Jobs whose results existed before this run and were not run again. */
  readonly skipped: number;
  /** Jobs run to a result in this run. */
  readonly ran: number;
  /** Jobs that failed for good in this run. */
  readonly failed: readonly FailedJob[];
  /** True when the signal aborted the sweep before every job ended. */
  readonly cancelled: boolean;
  /** Wall time of this run in ms. */
  readonly elapsedMs: number;
  /** The rebuilt index. */
  readonly index: SweepIndex;
}

/**
 * Runs a sweep: every job of the design whose result is not yet in `out`, on the chosen runner (worker
 * threads by default, or a BullMQ queue). Results are written atomically, one file per job; failed jobs are
 * recorded with their errors; the index (`index.json`, `index.csv`) is rebuilt at the end.
 * @example `await runSweep({ task: './fit.mjs', design: grid({ lambda: [0.1, 1] }), out: 'runs/lambda' })`
 * @public
 */
export async function runSweep(
  spec: SweepSpec,
  options: RunSweepOptions = {},
): Promise<SweepSummary> {
  const format = spec.format ?? 'safetensors';
  if (format !== 'safetensors' && format !== 'npz') {
    throw new ValueError(
      'runSweep',
      `format must be 'safetensors' or 'npz', got '${String(format)}'`,
    );
  }
  const attempts = options.retry?.attempts ?? 3;
  const backoffMs = options.retry?.backoffMs ?? 1000;
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new ValueError('runSweep', `retry.attempts must be a positive integer, got ${attempts}`);
  }
  if (!(backoffMs >= 0))
    throw new ValueError('runSweep', `retry.backoffMs must be >= 0, got ${backoffMs}`);
  const shard = options.shard ?? { index: 0, count: 1 };
  if (
    !Number.isSafeInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isSafeInteger(shard.index) ||
    shard.index < 0 ||
    shard.index >= shard.count
  ) {
    throw new ValueError(
      'runSweep',
      `shard must have 0 <= index < count, got ${shard.index} of ${shard.count}`,
    );
  }
  const allJobs = jobsOf(spec.design);
  const jobs = allJobs.filter((j) => j.index % shard.count === shard.index);
  const task = resolveTaskRef(spec.task);
  const layout = new SweepLayout(resolve(spec.out));
  await mkdir(layout.dir, { recursive: true });
  await writeDefinition(layout, {
    version: 1,
    task: { module: task.path, ...(task.exportName ? { export: task.exportName } : {}) },
    format,
    jobs: allJobs,
  });
  const existing = await listResults(layout, format);
  const missing = jobs.filter((j) => !existing.has(j.id));
  // a job tried again gets a fresh record if it fails again
  for (const job of missing) await clearFailure(layout, job.id);

  const tracker = new ProgressTracker(jobs.length, jobs.length - missing.length);
  const listener =
    typeof options.progress === 'function'
      ? options.progress
      : (options.progress ?? process.stderr.isTTY === true)
        ? terminalProgress()
        : undefined;
  const failed: FailedJob[] = [];
  let ran = 0;
  const t0 = performance.now();
  listener?.(tracker.snapshot());
  await (options.runner ?? localRunner()).run({
    jobs: missing,
    layout,
    format,
    task,
    attempts,
    backoffMs,
    signal: options.signal,
    onJobEnd: (id, outcome) => {
      if (outcome.ok) ran++;
      else failed.push(outcome.failure);
      tracker.jobEnded(id, outcome.ok);
      listener?.(tracker.snapshot());
    },
    onJobProgress: (id, fraction) => {
      tracker.jobProgress(id, fraction);
      listener?.(tracker.snapshot());
    },
  });
  const cancelled = options.signal?.aborted === true && ran + failed.length < missing.length;
  // a result whose attempt was killed between creating it and journaling `done` has no line: account for it
  await journalRecoveredResults(
    layout,
    jobs.map((j) => j.id),
    format,
  );
  const index = await buildIndex(layout.dir);
  // temporary files are in flight only while some job (of any shard) is pending
  if (index.pending === 0) await removeTemporaryFiles(layout.dir);
  return {
    dir: layout.dir,
    total: jobs.length,
    done: tracker.snapshot().done,
    skipped: jobs.length - missing.length,
    ran,
    failed,
    cancelled,
    elapsedMs: performance.now() - t0,
    index,
  };
}
