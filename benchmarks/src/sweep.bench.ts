/**
 * @sciml/sweep runners against a plain loop in one process. Run with `pnpm bench sweep`.
 *
 * Throughput in jobs/s for (a) 1 000 trivial jobs (a number in, a number out: the runners' overhead) and
 * (b) 100 SINDy fits (Lorenz-63, 2 000 noisy samples, STLSQ: the README's ensemble example), each through
 * - the local runner (2 worker threads), and
 * - the queue runner (BullMQ on a private redis-server, 2 `sciml-sweep worker` processes),
 * against the same task called in a `for` loop in this process (no files, no queue: the floor). The runners
 * also write one safetensors file per job, the index and the journal; a fresh folder per sweep, so nothing is
 * resumed. After the table: per-job overhead = 1/throughput(runner) − 1/throughput(loop), at the medians.
 * Worker start-up (threads: per sweep; processes: once, before timing) is part of what the runners cost.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@sciml/linalg';
import {
  type Design,
  type Task,
  grid,
  jobsOf,
  localRunner,
  product,
  queueRunner,
  runSweep,
  seeds,
  startRedisServer,
} from '@sciml/sweep';
import type { BenchCase } from './harness/index.js';
import { runBenchmark } from './harness/index.js';

const sweepRoot = dirname(createRequire(import.meta.url).resolve('@sciml/sweep/package.json'));
const TRIVIAL = fileURLToPath(new URL('./sweep-tasks/trivial.mjs', import.meta.url));
const SINDY = join(sweepRoot, 'examples/sindy-ensemble/task.mjs');
const CLI = join(sweepRoot, 'dist/cli/main.js');

const trivialDesign: Design = grid({ i: Array.from({ length: 1000 }, (_, i) => i) });
const sindyDesign: Design = product(
  grid({ noise: [0, 0.002, 0.005, 0.01, 0.02], threshold: [0.02, 0.05, 0.1, 0.2, 0.5] }),
  seeds(4),
);

const scratch = mkdtempSync(join(tmpdir(), 'sciml-sweep-bench-'));
let runs = 0;
const freshDir = (): string => join(scratch, `run-${runs++}`);

const redis = await startRedisServer();
/** Two `sciml-sweep worker` processes per task, each pair on its own queue, started before timing. */
const pools = new Map<string, ChildProcess[]>();
function queueFor(taskPath: string): string {
  const name = `bench-${process.pid}-${pools.size}`;
  pools.set(
    taskPath,
    [0, 1].map(() =>
      spawn(process.execPath, [CLI, 'worker', taskPath, '--redis', redis.url, '--queue', name], {
        stdio: 'ignore',
      }),
    ),
  );
  return name;
}
const queues = new Map([TRIVIAL, SINDY].map((t) => [t, queueFor(t)]));
await new Promise((r) => setTimeout(r, 3000)); // the workers load the task and connect

/** The same task in a plain loop: what the work costs without any runner. */
async function plainLoop(taskPath: string, design: Design): Promise<number> {
  const task = (await import(taskPath)).default as Task;
  let count = 0;
  for (const job of jobsOf(design)) {
    await task(job.params, {
      rng: new Generator(job.seed),
      progress: () => {},
      jobId: job.id,
      attempt: 1,
    });
    count++;
  }
  return count;
}

async function sweepWith(
  kind: 'local' | 'queue',
  taskPath: string,
  design: Design,
): Promise<number> {
  const runner =
    kind === 'local'
      ? localRunner({ workers: 2 })
      : queueRunner({ connection: redis.url, queue: queues.get(taskPath)!, pollMs: 50 });
  const summary = await runSweep(
    { task: taskPath, design, out: freshDir() },
    { runner, progress: false },
  );
  if (summary.ran !== design.length)
    throw new Error(`${kind}: ${summary.ran} of ${design.length} jobs ran`);
  return summary.ran;
}

const sameCount = (ours: unknown, peer: unknown): void => {
  if (ours !== peer) throw new Error(`job counts differ: ${ours} vs ${peer}`);
};

function benchCase(
  label: string,
  taskPath: string,
  design: Design,
  kind: 'local' | 'queue',
): BenchCase {
  return {
    case: `${label}, ${kind === 'local' ? 'local runner (2 threads)' : 'queue runner (2 worker processes)'}`,
    work: design.length,
    unit: 'jobs/s',
    ours: () => sweepWith(kind, taskPath, design),
    peer: () => plainLoop(taskPath, design),
    peerName: 'plain loop, 1 process',
    verify: sameCount,
  };
}

try {
  const result = await runBenchmark({
    name: 'sweep',
    cases: [
      benchCase('1000 trivial jobs', TRIVIAL, trivialDesign, 'local'),
      benchCase('1000 trivial jobs', TRIVIAL, trivialDesign, 'queue'),
      benchCase('100 SINDy fits', SINDY, sindyDesign, 'local'),
      benchCase('100 SINDy fits', SINDY, sindyDesign, 'queue'),
    ],
    // each call is a whole sweep (seconds): few, long samples
    warmup: 1,
    reps: 5,
    minSampleMs: 0,
  });
  console.log('\nper-job overhead over the plain loop, from the median throughputs:');
  for (const r of result.rows) {
    const overheadMs = (1 / r.ours - 1 / r.peer) * 1000;
    console.log(`  ${r.case}: ${overheadMs.toFixed(3)} ms/job`);
  }
} finally {
  for (const pool of pools.values()) for (const p of pool) p.kill('SIGTERM');
  await redis.stop();
  rmSync(scratch, { recursive: true, force: true });
}
