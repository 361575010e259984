import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@sciml/linalg';
import { afterEach, describe, expect, it } from 'vitest';
import { markedJobs, TASKS, tempDir } from '../../test/helpers.js';
import { grid } from '../design/grid.js';
import { product } from '../design/combine.js';
import { jobsOf } from '../design/jobs.js';
import type { Design } from '../design/params.js';
import { ResultFormatError, TaskModuleError } from '../errors.js';
import { readResult } from '../store/index-file.js';
import { readJournal } from '../store/records.js';
import { runSweep } from '../sweep.js';
import { localRunner } from './local.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
const runner = localRunner({ workers: 2 });
const fast = { attempts: 2, backoffMs: 10 };

describe('local runner', () => {
  it('runs every job once and stores what the task returned, seeded by the job', async () => {
    const out = folder();
    const design = grid({ a: [0, 0.5, 1, 1.5], b: [0, 2] });
    const summary = await runSweep(
      { task: TASKS, design, out },
      { runner, retry: fast, progress: false },
    );
    expect(summary).toMatchObject({ total: 8, done: 8, ran: 8, skipped: 0, cancelled: false });
    expect(summary.failed).toEqual([]);
    for (const job of jobsOf(design)) {
      const stored = await readResult(out, job.id);
      const { a, b } = job.params as { a: number; b: number };
      expect(stored.params).toEqual(job.params);
      expect(stored.metrics).toEqual({ loss: (a - 1) ** 2 + b, label: `a=${a}` });
      // the same three normals a Generator seeded with the job's seed draws
      const rng = new Generator(job.seed);
      const noise = [rng.nextNormal(), rng.nextNormal(), rng.nextNormal()];
      expect(Array.from(stored.arrays.get('coef')!.dataSync())).toEqual([
        a + 0.01 * noise[0]!,
        2 * a + 0.01 * noise[1]!,
        3 * a + 0.01 * noise[2]!,
      ]);
      expect(stored.arrays.get('nested.ab')!.shape).toEqual([1, 2]);
    }
    expect(summary.index.rows.every((r) => r.status === 'done')).toBe(true);
    expect(existsSync(join(out, 'index.csv'))).toBe(true);
    expect(existsSync(join(out, 'tmp'))).toBe(false);
  });

  it('resumes: a re-run does only the jobs whose results are missing', async () => {
    const out = folder();
    const mark = join(out, 'ran.txt');
    const design = product(grid({ a: [1, 2, 3, 4, 5, 6] }), [{ mark }]);
    await runSweep({ task: TASKS, design, out, format: 'npz' }, { runner, progress: false });
    expect(markedJobs(mark)).toHaveLength(6);
    const jobs = jobsOf(design);
    rmSync(join(out, 'results', `${jobs[1]!.id}.npz`));
    rmSync(join(out, 'results', `${jobs[4]!.id}.npz`));
    rmSync(mark);
    const again = await runSweep(
      { task: TASKS, design, out, format: 'npz' },
      { runner, progress: false },
    );
    expect(again).toMatchObject({ total: 6, done: 6, ran: 2, skipped: 4 });
    expect(markedJobs(mark).sort()).toEqual([jobs[1]!.id, jobs[4]!.id].sort());
  });

  it('records failed jobs with their errors, retries with backoff, leaves the others alone', async () => {
    const out = folder();
    const design: Design = [
      { a: 1 },
      { a: 2, fail: true },
      { a: 3, failAttempts: 1 },
      { a: 4, bad: true },
      { a: 5 },
    ];
    const summary = await runSweep(
      { task: TASKS, design, out },
      { runner, retry: fast, progress: false },
    );
    expect(summary.done).toBe(3);
    const byA = new Map(summary.failed.map((f) => [f.params.a, f]));
    expect([...byA.keys()].sort()).toEqual([2, 4]);
    expect(byA.get(2)).toMatchObject({
      attempts: 2,
      error: { name: 'RangeError', message: 'job a=2 fails on purpose' },
    });
    // a result no file can hold is not retried
    expect(byA.get(4)).toMatchObject({ attempts: 1, error: { name: ResultFormatError.name } });
    expect(byA.get(4)!.error.message).toMatch(/'callback' is function/);
    const events = await readJournal(out);
    const flaky = jobsOf(design)[2]!.id;
    expect(events.filter((e) => e.jobId === flaky).map((e) => e.event)).toEqual([
      'start',
      'retry',
      'start',
      'done',
    ]);
    expect(readdirSync(join(out, 'failed')).sort()).toEqual(
      [jobsOf(design)[1]!.id, jobsOf(design)[3]!.id].map((id) => `${id}.json`).sort(),
    );
    const rows = new Map(summary.index.rows.map((r) => [r.params.a, r]));
    expect(rows.get(2)!.status).toBe('failed');
    expect(rows.get(3)!.status).toBe('done');
  });

  it('replaces a thread that dies and retries its job', async () => {
    const out = folder();
    const summary = await runSweep(
      { task: TASKS, design: [{ a: 1, crash: true }, { a: 2 }], out },
      { runner, retry: fast, progress: false },
    );
    expect(summary).toMatchObject({ done: 2, failed: [] });
  });

  it('fails with a TaskModuleError for a missing module or export, before running anything', async () => {
    const out = folder();
    await expect(
      runSweep(
        { task: join(out, 'nope.mjs'), design: [{ a: 1 }], out },
        { runner, progress: false },
      ),
    ).rejects.toThrow(TaskModuleError);
    await expect(
      runSweep(
        { task: { module: TASKS, export: 'notATask' }, design: [{ a: 1 }], out },
        { runner, progress: false },
      ),
    ).rejects.toThrow(/exports no function named 'notATask'/);
    const named = await runSweep(
      { task: { module: TASKS, export: 'named' }, design: [{ a: 4 }], out },
      { runner, progress: false },
    );
    expect(named.index.rows[0]!.metrics).toEqual({ twice: 8 });
  });

  it('cancels on abort, keeps finished results, and a re-run finishes the rest', async () => {
    const out = folder();
    const design = grid({ a: [1, 2, 3, 4, 5, 6, 7, 8], sleepMs: [60] });
    const controller = new AbortController();
    let sawInFlight = false;
    const first = await runSweep(
      { task: TASKS, design, out },
      {
        runner,
        signal: controller.signal,
        progress: (p) => {
          // the fixture reports progress(0.5) halfway through each job
          if (p.inFlight > 0) sawInFlight = true;
          if (p.done >= 2) controller.abort();
        },
      },
    );
    expect(sawInFlight).toBe(true);
    expect(first.cancelled).toBe(true);
    expect(first.done).toBeGreaterThanOrEqual(2);
    expect(first.done).toBeLessThan(8);
    const second = await runSweep({ task: TASKS, design, out }, { runner, progress: false });
    expect(second).toMatchObject({ done: 8, skipped: first.done, ran: 8 - first.done });
  });
});
