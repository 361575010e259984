// The sweep's index: one row per job with its parameters, status, metrics and file, as JSON and CSV.
import { readFile, rm } from 'node:fs/promises';
import { writeCsv } from '@sciml/data';
import type { ParamValue } from '../design/params.js';
import { writeFileAtomic } from './atomic.js';
import { type Metric, type StoredResult, decodeResult } from './codec.js';
import { SweepLayout } from './layout.js';
import { type FailedJob, listFailures, listResults, readDefinition } from './records.js';

/**
 * One job in a sweep's index.
 * @public
 */
export interface IndexRow {
  /** The job's id. */
  readonly jobId: string;
  /** Position in the design. */
  readonly index: number;
  /** Whether the job has a result, failed for good, or neither yet. */
  readonly status: 'done' | 'failed' | 'pending';
  /** The job's parameters. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The result's metrics (its numbers, strings and booleans); empty unless done. */
  readonly metrics: Readonly<Record<string, Metric>>;
  /** The result file, relative to the sweep folder; undefined unless done. */
  readonly file?: string;
  /** The error of a failed job. */
  readonly error?: FailedJob['error'];
  /** Attempts made by a failed job. */
  readonly attempts?: number;
}

/**
 * A sweep's index.
 * @public
 */
export interface SweepIndex {
  /** The sweep folder. */
  readonly dir: string;
  /** One row per job, in design order. */
  readonly rows: readonly IndexRow[];
  /** Jobs with a result. */
  readonly done: number;
  /** Jobs failed for good. */
  readonly failed: number;
  /** Jobs with neither yet. */
  readonly pending: number;
}

/**
 * Reads one stored result by job id.
 * @public
 */
export async function readResult(dir: string, jobId: string): Promise<StoredResult> {
  const layout = new SweepLayout(dir);
  const { format } = await readDefinition(layout);
  const path = layout.result(jobId, format);
  return decodeResult(format, await readFile(path), path);
}

/**
 * Scans a sweep folder and rebuilds its index (`index.json`, `index.csv`), without running anything.
 * @public
 */
export async function buildIndex(dir: string): Promise<SweepIndex> {
  const layout = new SweepLayout(dir);
  const definition = await readDefinition(layout);
  const done = await listResults(layout, definition.format);
  const failures = await listFailures(layout);
  const rows: IndexRow[] = [];
  for (const job of definition.jobs) {
    if (done.has(job.id)) {
      const path = layout.result(job.id, definition.format);
      const stored = decodeResult(definition.format, await readFile(path), path);
      rows.push({
        jobId: job.id,
        index: job.index,
        status: 'done',
        params: job.params,
        metrics: stored.metrics,
        file: `results/${job.id}.${definition.format}`,
      });
    } else {
      const failure = failures.get(job.id);
      rows.push({
        jobId: job.id,
        index: job.index,
        status: failure ? 'failed' : 'pending',
        params: job.params,
        metrics: {},
        ...(failure ? { error: failure.error, attempts: failure.attempts } : {}),
      });
    }
  }
  const index: SweepIndex = {
    dir,
    rows,
    done: rows.filter((r) => r.status === 'done').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    pending: rows.filter((r) => r.status === 'pending').length,
  };
  await writeFileAtomic(layout.indexJson, `${JSON.stringify(index.rows, null, 1)}\n`);
  await writeFileAtomic(layout.indexCsv, indexCsv(rows));
  return index;
}

/** The index as CSV: job, status, one column per parameter and per metric, file, error. */
function indexCsv(rows: readonly IndexRow[]): string {
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const column = (f: (r: IndexRow) => unknown): string[] =>
    rows.map((r) => (f(r) === undefined ? '' : String(f(r))));
  const columns: Record<string, string[]> = {
    jobId: column((r) => r.jobId),
    index: column((r) => r.index),
    status: column((r) => r.status),
  };
  for (const p of params) columns[p] = column((r) => r.params[p]);
  for (const m of metrics) columns[m in columns ? `metric.${m}` : m] = column((r) => r.metrics[m]);
  columns.file = column((r) => r.file);
  columns.error = column((r) => (r.error ? `${r.error.name}: ${r.error.message}` : undefined));
  return writeCsv(columns);
}

/** Removes the temporary files of writes that never finished (a killed worker's). */
export async function removeTemporaryFiles(dir: string): Promise<void> {
  await rm(new SweepLayout(dir).tmpDir, { recursive: true, force: true });
}
