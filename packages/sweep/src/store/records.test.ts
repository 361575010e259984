// The journal accounts for every result, even one whose attempt died between creating the file and
// journaling `done` (kill -9 of a queue worker at that instant; seen once in the chaos test as 99 of 100).
import { afterEach, describe, expect, it } from 'vitest';
import { completionCounts, TASKS, tempDir } from '../../test/helpers.js';
import { grid } from '../design/grid.js';
import { runAttempt } from '../run/execute.js';
import type { Runner } from '../run/runner.js';
import { loadTask } from '../run/task.js';
import { runSweep } from '../sweep.js';
import { createFileAtomic } from './atomic.js';
import { encodeResult } from './codec.js';
import { readJournal } from './records.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A runner whose attempt at `victim` creates the result and "dies" before journaling, as kill -9 would. */
function dyingRunner(victimIndex: number): Runner {
  return {
    kind: 'test',
    async run(ctx) {
      const task = await loadTask(ctx.task.path);
      for (const [i, job] of ctx.jobs.entries()) {
        if (i === victimIndex) {
          const bytes = encodeResult(
            ctx.format,
            { jobId: job.id, params: job.params, seed: job.seed },
            { loss: 0 },
          );
          expect(
            await createFileAtomic(ctx.layout.result(job.id, ctx.format), bytes, ctx.layout.tmpDir),
          ).toBe(true);
        } else {
          await runAttempt(task, job, 1, ctx.layout, ctx.format);
        }
        ctx.onJobEnd(job.id, { ok: true });
      }
    },
  };
}

describe('journal', () => {
  it('accounts for a result whose attempt died before its done line: one recovered line, attempt 0', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const design = grid({ a: [0, 1, 2, 3] });
    const summary = await runSweep(
      { task: TASKS, design, out: t.dir },
      { runner: dyingRunner(2), progress: false },
    );
    expect(summary).toMatchObject({ total: 4, done: 4, ran: 4 });
    const events = await readJournal(t.dir);
    const counts = completionCounts(events);
    expect(counts.size).toBe(4);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    const recovered = events.filter((e) => e.event === 'recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ attempt: 0 });
    // and only the victim: the others' done lines account for them
    expect(events.filter((e) => e.event === 'done' && e.jobId === recovered[0]!.jobId)).toEqual([]);
  });

  it('a resumed sweep adds no second line for results it already accounted for', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const design = grid({ a: [0, 1, 2] });
    await runSweep(
      { task: TASKS, design, out: t.dir },
      { runner: dyingRunner(0), progress: false },
    );
    const again = await runSweep(
      { task: TASKS, design, out: t.dir },
      { runner: dyingRunner(0), progress: false },
    );
    expect(again).toMatchObject({ total: 3, done: 3, skipped: 3, ran: 0 });
    const events = await readJournal(t.dir);
    expect(events.filter((e) => e.event === 'recovered')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'done')).toHaveLength(2);
  });
});
