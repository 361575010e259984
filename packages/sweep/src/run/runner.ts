// The contract between runSweep and a runner: the runner gets the jobs still missing and reports each one's
// end; runSweep owns the folder, the definition, resume, the index and the progress display.
import type { SweepJob } from '../design/jobs.js';
import type { ResultFormat } from '../store/codec.js';
import type { SweepLayout } from '../store/layout.js';
import type { FailedJob } from '../store/records.js';

/**
 * Retry policy: up to `attempts` tries per job, waiting `backoffMs · 2^(k−1)` before retry k (exponential
 * backoff). A task module that cannot load or a result that cannot be stored is never retried.
 * @public
 */
export interface RetryOptions {
  /** Tries per job, the first included (default 3). */
  readonly attempts?: number;
  /** Wait before the first retry, doubled for each further one (default 1000 ms). */
  readonly backoffMs?: number;
}

/**
 * Everything a runner needs to run a sweep's missing jobs.
 * @public
 */
export interface RunContext {
  /** The jobs to run: those without a result. */
  readonly jobs: readonly SweepJob[];
  /** The sweep folder's paths. */
  readonly layout: SweepLayout;
  /** Result file format. */
  readonly format: ResultFormat;
  /** Absolute path of the task module and its export name. */
  readonly task: { readonly path: string; readonly exportName: string | undefined };
  /** Tries per job. */
  readonly attempts: number;
  /** Wait before the first retry in ms, doubled for each further one. */
  readonly backoffMs: number;
  /** Aborted: stop taking jobs and resolve. */
  readonly signal: AbortSignal | undefined;
  /** Called once per job that ended: written (or found written), or failed for good. */
  readonly onJobEnd: (
    jobId: string,
    outcome: { ok: true } | { ok: false; failure: FailedJob },
  ) => void;
  /** Called when a running job reports progress (its task called `progress(fraction)`). */
  readonly onJobProgress: (jobId: string, fraction: number) => void;
}

/**
 * A way of running jobs: {@link localRunner} (worker threads, the default) or {@link queueRunner}
 * (BullMQ on Redis, workers on any number of machines).
 * @public
 */
export interface Runner {
  /** `'local'` or `'queue'`. */
  readonly kind: string;
  /** Runs the jobs; resolves when every job ended or the signal aborted. */
  run(context: RunContext): Promise<void>;
}

/** Exponential backoff before retry `retry` (1-based). */
export function backoffDelay(backoffMs: number, retry: number): number {
  return backoffMs * 2 ** (retry - 1);
}
