// The small JSON files beside the results: the sweep's definition, failure records and the journal.
import { appendFile, readFile, readdir, rm } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
import { hostname } from 'node:os';
import type { SweepJob } from '../design/jobs.js';
import { describeError } from '../errors.js';
import { ensureDir, writeFileAtomic } from './atomic.js';
import type { ResultFormat } from './codec.js';
import type { SweepLayout } from './layout.js';

/**
 * The definition of a sweep as stored in its folder (`sweep.json`).
 * @public
 */
export interface SweepDefinition {
  /** Format version of this file. */
  readonly version: 1;
  /** The task module's path (and export), as given. */
  readonly task: { readonly module: string; readonly export?: string };
  /** File format of the results. */
  readonly format: ResultFormat;
  /** Every job of the sweep, in design order. */
  readonly jobs: readonly SweepJob[];
}

/**
 * A job that failed for good.
 * @public
 */
export interface FailedJob {
  /** The job's id. */
  readonly jobId: string;
  /** The job's parameters. */
  readonly params: SweepJob['params'];
  /** Attempts made. */
  readonly attempts: number;
  /** The last error. */
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
  /** When it failed (ISO 8601). */
  readonly at: string;
}

/** Who is writing: host, process and thread, for the journal. */
export const WORKER_NAME = `${hostname()}:${process.pid}:${threadId}`;

export async function writeDefinition(
  layout: SweepLayout,
  definition: SweepDefinition,
): Promise<void> {
  await writeFileAtomic(layout.definition, `${JSON.stringify(definition, null, 1)}\n`);
}

export async function readDefinition(layout: SweepLayout): Promise<SweepDefinition> {
  return JSON.parse(await readFile(layout.definition, 'utf8')) as SweepDefinition;
}

export async function writeFailure(
  layout: SweepLayout,
  job: SweepJob,
  attempts: number,
  error: unknown,
): Promise<FailedJob> {
  const record: FailedJob = {
    jobId: job.id,
    params: job.params,
    attempts,
    error: describeError(error),
    at: new Date().toISOString(),
  };
  await writeFileAtomic(layout.failed(job.id), `${JSON.stringify(record, null, 1)}\n`);
  return record;
}

export async function clearFailure(layout: SweepLayout, jobId: string): Promise<void> {
  await rm(layout.failed(jobId), { force: true });
}

/** Ids of the jobs with a failure record. */
export async function listFailures(layout: SweepLayout): Promise<Map<string, FailedJob>> {
  const out = new Map<string, FailedJob>();
  let names: string[];
  try {
    names = await readdir(layout.failedDir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    out.set(
      name.slice(0, -5),
      JSON.parse(await readFile(`${layout.failedDir}/${name}`, 'utf8')) as FailedJob,
    );
  }
  return out;
}

/** Ids of the jobs whose result file exists (temporary files are ignored). */
export async function listResults(layout: SweepLayout, format: ResultFormat): Promise<Set<string>> {
  let names: string[];
  try {
    names = await readdir(layout.resultsDir);
  } catch {
    return new Set();
  }
  const ext = `.${format}`;
  return new Set(names.filter((n) => n.endsWith(ext)).map((n) => n.slice(0, -ext.length)));
}

/**
 * A journal event.
 * @public
 */
export interface JournalEvent {
  /**
   * `found`: an attempt found the result already written (by an attempt that died before its `done`).
   * `recovered`: the end of a run found a result no line accounts for (its attempt died between creating the
   * file and journaling `done`, and no later attempt ran); written by `runSweep` with `attempt` 0.
   */
  readonly event: 'start' | 'done' | 'found' | 'recovered' | 'retry' | 'failed';
  /** The job's id. */
  readonly jobId: string;
  /** 1 for the first attempt, 2 for the first retry, ...; 0 for `recovered`. */
  readonly attempt: number;
  /** Who: `host:pid:thread`. */
  readonly worker: string;
  /** When, in ms since the epoch. */
  readonly t: number;
  /** Duration of the attempt in ms (`done`). */
  readonly ms?: number;
  /** The error (`retry`, `failed`). */
  readonly error?: string;
}

/** Appends one line to the journal (O_APPEND: lines from concurrent writers do not interleave). */
export async function journal(
  layout: SweepLayout,
  event: Omit<JournalEvent, 'worker' | 't'>,
): Promise<void> {
  await ensureDir(layout.dir);
  await appendFile(
    layout.journal,
    `${JSON.stringify({ ...event, worker: WORKER_NAME, t: Date.now() })}\n`,
  );
}

/** Journal events that account for a result: the attempt that created it, or a later look that found it. */
const COMPLETION_EVENTS: ReadonlySet<JournalEvent['event']> = new Set([
  'done',
  'found',
  'recovered',
]);

/**
 * Journals a `recovered` line for each of `jobIds` whose result exists but which no `done`, `found` or
 * `recovered` line accounts for, so that the journal accounts for every result (a worker killed with
 * SIGKILL between its result's link(2) and its `done` line leaves such a result). A live attempt journals
 * within milliseconds of creating its file, so unaccounted results are looked at again after `settleMs`
 * before they count as recovered. Returns the recovered job ids.
 */
export async function journalRecoveredResults(
  layout: SweepLayout,
  jobIds: readonly string[],
  format: ResultFormat,
  settleMs = 500,
): Promise<string[]> {
  const results = await listResults(layout, format);
  const unaccounted = async (): Promise<string[]> => {
    const accounted = new Set(
      (await readJournal(layout.dir))
        .filter((e) => COMPLETION_EVENTS.has(e.event))
        .map((e) => e.jobId),
    );
    return jobIds.filter((id) => results.has(id) && !accounted.has(id));
  };
  if ((await unaccounted()).length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const recovered = await unaccounted();
  for (const jobId of recovered) await journal(layout, { event: 'recovered', jobId, attempt: 0 });
  return recovered;
}

/**
 * Reads a sweep's journal.
 * @public
 */
export async function readJournal(dir: string): Promise<JournalEvent[]> {
  let text: string;
  try {
    text = await readFile(`${dir}/journal.jsonl`, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JournalEvent);
}
