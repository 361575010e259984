// The queue runner against a real redis-server and real `sciml-sweep worker` processes (no mocks).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grid } from '../src/design/grid.js';
import { product } from '../src/design/combine.js';
import { jobsOf } from '../src/design/jobs.js';
import type { Design } from '../src/design/params.js';
import { QueueConnectionError, ResultFormatError } from '../src/errors.js';
import { localRunner } from '../src/run/local.js';
import { queueRunner } from '../src/run/queue.js';
import { startWorker } from '../src/run/queue-worker.js';
import { readResult } from '../src/store/index-file.js';
import { readJournal } from '../src/store/records.js';
import { runSweep } from '../src/sweep.js';
import { completionCounts, markedJobs, TASKS, tempDir } from './helpers.js';
import { type RedisServer, freePort, startRedisServer } from '../src/run/redis-server.js';
import { type WorkerProcess, spawnWorker, stopWorker } from './workers.js';

const QUEUE = `test-${process.pid}`;
// REDIS_URL when set (a server CI or the user runs), else a private redis-server on a free port
let redis: { url: string; server?: RedisServer };
let workers: WorkerProcess[] = [];
const cleanups: (() => void)[] = [];

function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const queue = () => queueRunner({ connection: redis.url, queue: QUEUE, pollMs: 100 });
const fast = { attempts: 3, backoffMs: 50 };

beforeAll(async () => {
  if (process.env.REDIS_URL) redis = { url: process.env.REDIS_URL };
  else {
    const server = await startRedisServer();
    redis = { url: server.url, server };
  }
  workers = [spawnWorker(TASKS, redis.url, QUEUE), spawnWorker(TASKS, redis.url, QUEUE)];
  await Promise.all(workers.map((w) => w.ready));
});

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await redis?.server?.stop();
  for (const c of cleanups) c();
});

describe('queue runner (BullMQ on a real redis-server, two worker processes)', () => {
  it('a 200-job sweep gives byte-identical results to the local runner, each job run once', async () => {
    const design = grid({ a: Array.from({ length: 100 }, (_, i) => i / 10), b: [0, 1] });
    const local = folder();
    const distributed = folder();
    const l = await runSweep(
      { task: TASKS, design, out: local },
      { runner: localRunner({ workers: 2 }), progress: false },
    );
    const q = await runSweep(
      { task: TASKS, design, out: distributed },
      { runner: queue(), retry: fast, progress: false },
    );
    expect(l).toMatchObject({ total: 200, done: 200 });
    expect(q).toMatchObject({ total: 200, done: 200, ran: 200, failed: [] });
    for (const job of jobsOf(design)) {
      const name = `results/${job.id}.safetensors`;
      expect(readFileSync(join(distributed, name)).equals(readFileSync(join(local, name)))).toBe(
        true,
      );
    }
    const counts = completionCounts(await readJournal(distributed));
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // both worker processes took jobs
    const pids = new Set((await readJournal(distributed)).map((e) => e.worker.split(':')[1]));
    expect(pids).toEqual(new Set(workers.map((w) => String(w.child.pid))));
  });

  it('records failures (task throws, unstorable result) with typed errors; other jobs are unaffected', async () => {
    const out = folder();
    const design: Design = [
      { a: 1 },
      { a: 2, fail: true },
      { a: 3, bad: true },
      { a: 4 },
      { a: 5, failAttempts: 1 },
    ];
    const summary = await runSweep(
      { task: TASKS, design, out },
      { runner: queue(), retry: { attempts: 2, backoffMs: 50 }, progress: false },
    );
    expect(summary.done).toBe(3);
    const byA = new Map(summary.failed.map((f) => [f.params.a, f]));
    expect([...byA.keys()].sort()).toEqual([2, 3]);
    expect(byA.get(2)).toMatchObject({
      attempts: 2,
      error: { name: 'RangeError', message: 'job a=2 fails on purpose' },
    });
    expect(byA.get(3)).toMatchObject({ attempts: 1, error: { name: ResultFormatError.name } });
    const rows = new Map(summary.index.rows.map((r) => [r.params.a, r.status]));
    expect(rows).toEqual(
      new Map([
        [1, 'done'],
        [2, 'failed'],
        [3, 'failed'],
        [4, 'done'],
        [5, 'done'],
      ]),
    );
  });

  it('resume enqueues only the jobs whose results are missing', async () => {
    const out = folder();
    const mark = join(out, 'ran.txt');
    // with a job whose id is all digits, which BullMQ would refuse as an id unprefixed
    let k = 0;
    while (!/^\d+$/.test(jobsOf([{ a: k, mark }])[0]!.id)) k++;
    const design = product(grid({ a: [1, 2, 3, 4, 5, 6, 7, k] }), [{ mark }]);
    await runSweep({ task: TASKS, design, out }, { runner: queue(), progress: false });
    const jobs = jobsOf(design);
    for (const k of [0, 5, 7]) rmSync(join(out, 'results', `${jobs[k]!.id}.safetensors`));
    rmSync(mark);
    const again = await runSweep(
      { task: TASKS, design, out },
      { runner: queue(), progress: false },
    );
    expect(again).toMatchObject({ done: 8, ran: 3, skipped: 5 });
    expect(markedJobs(mark).sort()).toEqual([0, 5, 7].map((k) => jobs[k]!.id).sort());
  });

  it("cancel drops the waiting jobs, shows running jobs' progress from queue events, and a re-run resumes", async () => {
    const out = folder();
    const design = grid({ a: Array.from({ length: 20 }, (_, i) => i), sleepMs: [100] });
    const controller = new AbortController();
    let sawInFlight = false;
    const first = await runSweep(
      { task: TASKS, design, out },
      {
        runner: queue(),
        signal: controller.signal,
        progress: (p) => {
          if (p.inFlight > 0) sawInFlight = true;
          if (p.done >= 4) controller.abort();
        },
      },
    );
    expect(sawInFlight).toBe(true);
    expect(first.cancelled).toBe(true);
    // the running jobs finish after the cancel; nothing else is taken
    await new Promise((r) => setTimeout(r, 400));
    const after = readdirSync(join(out, 'results')).length;
    expect(after).toBeLessThan(20);
    const second = await runSweep(
      { task: TASKS, design, out },
      { runner: queue(), progress: false },
    );
    expect(second).toMatchObject({ done: 20, skipped: after, ran: 20 - after });
    const counts = completionCounts(await readJournal(out));
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it('a task that blocks its event loop longer than the lock lasts is not taken for stalled and run twice', async () => {
    const out = folder();
    // 2.5 s of synchronous work against the tests' 1.5 s lock: the worker runs it in a thread, so its own
    // event loop keeps renewing the lock
    const summary = await runSweep(
      { task: TASKS, design: [{ a: 1, busyMs: 2500 }], out },
      { runner: queue(), progress: false },
    );
    expect(summary).toMatchObject({ done: 1, failed: [] });
    const events = await readJournal(out);
    expect(events.filter((e) => e.event === 'start')).toHaveLength(1);
  });

  it('Redis unreachable or a task module that does not exist: typed errors, nothing runs', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const out = folder();
    await expect(
      runSweep(
        { task: TASKS, design: [{ a: 1 }], out },
        { runner: queueRunner({ connection: nowhere }), progress: false },
      ),
    ).rejects.toThrow(QueueConnectionError);
    await expect(startWorker({ task: TASKS, connection: nowhere })).rejects.toThrow(
      /cannot reach Redis/,
    );
    const missing = spawnWorker(join(out, 'missing-task.mjs'), redis.url, QUEUE);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toMatch(/TaskModuleError: .*does not exist/);
    expect(existsSync(join(out, 'results'))).toBe(false);
  });

  it('kill -9 of a worker mid-job: the job is retried on the other worker, every result exactly once, nothing corrupt', async () => {
    const out = folder();
    const design = grid({ a: Array.from({ length: 12 }, (_, i) => i), sleepMs: [250] });
    const victim = workers[0]!;
    const victimPid = String(victim.child.pid);
    let killedJob: string | undefined;
    const sweep = runSweep(
      { task: TASKS, design, out },
      { runner: queue(), retry: fast, progress: false },
    );
    // kill the victim while it is inside a job: a 'start' of its own without a 'done' yet
    while (killedJob === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      const events = await readJournal(out);
      const started = events
        .filter((e) => e.event === 'start' && e.worker.split(':')[1] === victimPid)
        .map((e) => e.jobId);
      const finished = new Set(events.filter((e) => e.event === 'done').map((e) => e.jobId));
      killedJob = started.find((id) => !finished.has(id));
    }
    victim.child.kill('SIGKILL');
    await victim.exited;
    const summary = await sweep;
    expect(summary).toMatchObject({ done: 12, failed: [] });
    const events = await readJournal(out);
    const counts = completionCounts(events);
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // the killed job ended on the other worker: run again there ('done'), or, had the kill come after its
    // rename, found written there ('found')
    const killed = events.filter((e) => e.jobId === killedJob);
    const ending = killed.find((e) => e.event === 'done' || e.event === 'found')!;
    expect(ending.worker.split(':')[1]).toBe(String(workers[1]!.child.pid));
    expect(killed.filter((e) => e.event === 'start').length).toBe(ending.event === 'done' ? 2 : 1);
    // every file decodes; no temporary file is left
    for (const job of jobsOf(design))
      expect((await readResult(out, job.id)).params).toEqual(job.params);
    expect(readdirSync(join(out, 'results')).every((f) => f.endsWith('.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'tmp'))).toBe(false);
    // a fresh worker takes the dead one's place for the next test
    workers[0] = spawnWorker(TASKS, redis.url, QUEUE);
    await workers[0].ready;
  });

  it('Redis restarted mid-sweep (append-only persistence): the sweep finishes, no job lost or completed twice', async () => {
    const out = folder();
    const design = grid({ a: Array.from({ length: 40 }, (_, i) => i), sleepMs: [40] });
    // a server this test may restart: the private one, or a second private one beside REDIS_URL's
    const own = redis.server === undefined;
    const server = redis.server ?? (await startRedisServer());
    const pool = own
      ? [spawnWorker(TASKS, server.url, QUEUE), spawnWorker(TASKS, server.url, QUEUE)]
      : [];
    await Promise.all(pool.map((w) => w.ready));
    let restarted = false;
    const summary = await runSweep(
      { task: TASKS, design, out },
      {
        runner: queueRunner({ connection: server.url, queue: QUEUE, pollMs: 100 }),
        retry: fast,
        progress: (p) => {
          if (!restarted && p.done >= 8) {
            restarted = true;
            void server.restart(300);
          }
        },
      },
    );
    await Promise.all(pool.map(stopWorker));
    if (own) await server.stop();
    expect(restarted).toBe(true);
    expect(summary).toMatchObject({ total: 40, done: 40, failed: [] });
    const counts = completionCounts(await readJournal(out));
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });
});
