// Slow tier: the README's SINDy ensemble (100 fits) on the queue with two worker processes while a chaos
// loop kill -9s a worker every ~0.8 s (and starts a replacement) and Redis restarts once. The results must
// be byte-identical to the local runner's, each job completed exactly once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../src/design/jobs.js';
import { localRunner } from '../src/run/local.js';
import { queueRunner } from '../src/run/queue.js';
import { startRedisServer } from '../src/run/redis-server.js';
import { readJournal } from '../src/store/records.js';
import { runSweep } from '../src/sweep.js';
import { completionCounts, tempDir } from './helpers.js';
import { type WorkerProcess, spawnWorker, stopWorker } from './workers.js';

const tmp = tempDir();
afterAll(tmp.cleanup);

describe('queue runner under chaos (slow)', () => {
  it('the SINDy ensemble survives kill -9 of workers and a Redis restart, results identical to local', async () => {
    const { sweep } = await import(
      fileURLToPath(new URL('../examples/sindy-ensemble/sweep.mjs', import.meta.url))
    );
    const local = join(tmp.dir, 'local');
    const queued = join(tmp.dir, 'queued');
    await runSweep(
      { ...sweep, out: local },
      { runner: localRunner({ workers: 2 }), progress: false },
    );

    const redis = await startRedisServer();
    const queue = `chaos-${process.pid}`;
    let workers: WorkerProcess[] = [0, 1].map(() =>
      spawnWorker(sweep.task.pathname, redis.url, queue),
    );
    await Promise.all(workers.map((w) => w.ready));
    let stop = false;
    let kills = 0;
    // kill -9 a worker 0.6 s after the pool is whole again and start a replacement; restart Redis once
    const chaos = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 600));
        if (stop) break;
        const victim = workers[kills % 2]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills++;
        const fresh = spawnWorker(sweep.task.pathname, redis.url, queue);
        workers = workers.map((w) => (w === victim ? fresh : w));
        if (kills === 1) await redis.restart(300); // with the first kill: both happen in every run
        await fresh.ready;
      }
    })();
    const summary = await runSweep(
      { ...sweep, out: queued },
      {
        runner: queueRunner({ connection: redis.url, queue, pollMs: 100 }),
        retry: { attempts: 5, backoffMs: 100 },
        progress: false,
      },
    );
    stop = true;
    await chaos;
    await Promise.all(workers.map(stopWorker));
    await redis.stop();

    expect(kills).toBeGreaterThanOrEqual(1);
    expect(summary).toMatchObject({ total: 100, done: 100, failed: [] });
    for (const job of jobsOf(sweep.design)) {
      const name = `results/${job.id}.safetensors`;
      expect(readFileSync(join(queued, name)).equals(readFileSync(join(local, name)))).toBe(true);
    }
    const events = await readJournal(queued);
    const recovered = events.filter((e) => e.event === 'recovered').length;
    console.log(
      `queue chaos: ${kills} kill(s); ${recovered} result(s) accounted for only at the end`,
    );
    const done = completionCounts(events);
    expect(done.size).toBe(100);
    expect([...done.values()].every((c) => c === 1)).toBe(true);
  });
});
