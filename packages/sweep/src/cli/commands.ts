// The sciml-sweep command: run a sweep module, serve as a queue worker, run one shard of an Indexed Job,
// show a sweep's status, write its report or Kubernetes manifests, cancel a queue. The queue modules
// (BullMQ, ioredis) load only for the commands that use them, so the others start faster.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SciMLError, ValueError } from '@sciml/linalg';
import { TaskModuleError } from '../errors.js';
import { formatSummary } from '../report/summary.js';
import { localRunner } from '../run/local.js';
import { buildIndex } from '../store/index-file.js';
import type { Runner } from '../run/runner.js';
import { type RunSweepOptions, type SweepSpec, runSweep } from '../sweep.js';
import { type ParsedArgs, intFlag, parseArgs, stringFlag } from './args.js';
import { writeClusterFiles } from './k8s-command.js';
import { writeReportCommand } from './report-command.js';

export const USAGE = `usage: sciml-sweep <command> ...

  run <sweep-module>       run a sweep (a module exporting { task, design, out }) and print its summary
      [--runner local|queue] [--workers N] [--redis URL] [--queue NAME]
      [--attempts N] [--backoff-ms N] [--out DIR] [--no-progress] [--report]
  worker <task-module>     take jobs from a queue until stopped (SIGINT/SIGTERM)
      [--export NAME] [--redis URL] [--queue NAME] [--concurrency N] [--lock-ms N] [--stalled-ms N]
  shard <sweep-module>     run one shard of the sweep (Kubernetes Indexed Job pods)
      [--index I (default $JOB_COMPLETION_INDEX)] [--count N] [--workers N] [--out DIR]
  status <sweep-dir>       rebuild the index and print the summary
  report <sweep-dir>       write report.html  [--x PARAM] [--y PARAM] [--metric NAME]
  k8s <sweep-module>       write job.yaml and Containerfile for a Kubernetes Indexed Job
      --image IMAGE [--completions N] [--parallelism N] [--workers N per pod] [--name NAME]
      [--claim PVC] [--mount PATH] [--dir DIR for the files]
  cancel                   drop the waiting jobs of a queue  [--redis URL] [--queue NAME]
  redis                    start a private redis-server (append-only) and print its URL; stop with Ctrl-C
      [--port N (default: a free one)] [--dir DIR]

Redis URL default: $REDIS_URL, else redis://127.0.0.1:6379. Exit status: 0 all done, 1 some jobs failed,
2 error, 130 cancelled (Ctrl-C: finished results stay; the same command resumes).`;

/** Imports a sweep module: its `sweep` export or default export, a {@link SweepSpec}. */
export async function loadSweepModule(path: string): Promise<SweepSpec> {
  const file = resolve(path);
  if (!existsSync(file))
    throw new TaskModuleError('sciml-sweep', file, `sweep module ${file} does not exist`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const spec = (module.sweep ?? module.default) as SweepSpec | undefined;
  if (
    spec === null ||
    typeof spec !== 'object' ||
    !('task' in spec) ||
    !('design' in spec) ||
    !('out' in spec)
  ) {
    throw new TaskModuleError(
      'sciml-sweep',
      file,
      `sweep module ${file} must export { task, design, out } as 'sweep' or default`,
    );
  }
  return spec;
}

function commonRunOptions(args: ParsedArgs): RunSweepOptions {
  const attempts = intFlag(args, 'attempts');
  const backoffMs = intFlag(args, 'backoff-ms');
  return {
    retry: {
      ...(attempts === undefined ? {} : { attempts }),
      ...(backoffMs === undefined ? {} : { backoffMs }),
    },
    ...(args.flags.has('no-progress') ? { progress: false } : {}),
  };
}

function requirePositional(args: ParsedArgs, what: string): string {
  const value = args.positional[0];
  if (value === undefined)
    throw new ValueError('sciml-sweep', `${args.command} needs ${what}\n\n${USAGE}`);
  return value;
}

async function runCommand(args: ParsedArgs, log: (line: string) => void): Promise<number> {
  const spec = await loadSweepModule(requirePositional(args, 'a sweep module'));
  const out = stringFlag(args, 'out') ?? spec.out;
  const kind = stringFlag(args, 'runner') ?? 'local';
  if (kind !== 'local' && kind !== 'queue')
    throw new ValueError('sciml-sweep', `--runner must be local or queue, got '${kind}'`);
  const workers = intFlag(args, 'workers');
  let runner: Runner;
  if (kind === 'local') runner = localRunner(workers === undefined ? {} : { workers });
  else {
    const { queueRunner } = await import('../run/queue.js');
    const { defaultRedisUrl } = await import('../run/redis.js');
    const queue = stringFlag(args, 'queue');
    runner = queueRunner({
      connection: stringFlag(args, 'redis') ?? defaultRedisUrl(),
      ...(queue === undefined ? {} : { queue }),
    });
  }
  // Ctrl-C cancels: running jobs are dropped, finished results stay, the index is written, a re-run resumes
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  let summary: Awaited<ReturnType<typeof runSweep>>;
  try {
    summary = await runSweep(
      { ...spec, out },
      { ...commonRunOptions(args), runner, signal: controller.signal },
    );
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
  log(formatSummary(summary.index, { elapsedMs: summary.elapsedMs }));
  if (summary.cancelled) {
    log('cancelled: run the same command again to resume with the missing jobs');
    return 130;
  }
  if (args.flags.has('report')) log(`report: ${await writeReportCommand(summary.dir, args)}`);
  return summary.failed.length > 0 ? 1 : 0;
}

async function shardCommand(args: ParsedArgs, log: (line: string) => void): Promise<number> {
  const spec = await loadSweepModule(requirePositional(args, 'a sweep module'));
  const index = intFlag(args, 'index') ?? Number(process.env.JOB_COMPLETION_INDEX ?? Number.NaN);
  const count = intFlag(args, 'count') ?? Number(process.env.SCIML_SWEEP_SHARDS ?? Number.NaN);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) {
    throw new ValueError(
      'sciml-sweep',
      'shard needs --index (or JOB_COMPLETION_INDEX) and --count (or SCIML_SWEEP_SHARDS)',
    );
  }
  const workers = intFlag(args, 'workers');
  const summary = await runSweep(
    { ...spec, out: stringFlag(args, 'out') ?? spec.out },
    {
      ...commonRunOptions(args),
      runner: localRunner(workers === undefined ? {} : { workers }),
      shard: { index, count },
    },
  );
  log(
    `shard ${index} of ${count}: ${summary.ran} ran, ${summary.skipped} already done, ${summary.failed.length} failed`,
  );
  return summary.failed.length > 0 ? 1 : 0;
}

async function workerCommand(args: ParsedArgs, log: (line: string) => void): Promise<number> {
  const { startWorker } = await import('../run/queue-worker.js');
  const { DEFAULT_QUEUE } = await import('../run/queue.js');
  const { defaultRedisUrl } = await import('../run/redis.js');
  const module = requirePositional(args, 'a task module');
  const exportName = stringFlag(args, 'export');
  const concurrency = intFlag(args, 'concurrency');
  const lockDurationMs = intFlag(args, 'lock-ms');
  const stalledIntervalMs = intFlag(args, 'stalled-ms');
  const queue = stringFlag(args, 'queue') ?? DEFAULT_QUEUE;
  const worker = await startWorker({
    task: exportName === undefined ? module : { module, export: exportName },
    connection: stringFlag(args, 'redis') ?? defaultRedisUrl(),
    queue,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(lockDurationMs === undefined ? {} : { lockDurationMs }),
    ...(stalledIntervalMs === undefined ? {} : { stalledIntervalMs }),
  });
  log(`sciml-sweep worker ${process.pid}: waiting for jobs on queue '${queue}'`);
  await untilSignal();
  await worker.close();
  log(`sciml-sweep worker ${process.pid}: stopped after ${worker.completed} job(s)`);
  return 0;
}

async function cancelCommand(args: ParsedArgs, log: (line: string) => void): Promise<number> {
  const { Queue } = await import('bullmq');
  const { DEFAULT_QUEUE } = await import('../run/queue.js');
  const { defaultRedisUrl, probeRedis, queueConnection } = await import('../run/redis.js');
  const url = stringFlag(args, 'redis') ?? defaultRedisUrl();
  const name = stringFlag(args, 'queue') ?? DEFAULT_QUEUE;
  await probeRedis('sciml-sweep cancel', url);
  const connection = queueConnection(url);
  const queue = new Queue(name, { connection });
  try {
    const before = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    await queue.drain(true);
    log(
      `dropped ${Object.values(before).reduce((a, b) => a + b, 0)} waiting job(s) from '${name}'; running jobs finish`,
    );
  } finally {
    await queue.close();
    connection.disconnect();
  }
  return 0;
}

async function redisCommand(args: ParsedArgs, log: (line: string) => void): Promise<number> {
  const { startRedisServer } = await import('../run/redis-server.js');
  const port = intFlag(args, 'port');
  const dir = stringFlag(args, 'dir');
  const server = await startRedisServer({
    ...(port === undefined ? {} : { port }),
    ...(dir === undefined ? {} : { dir: resolve(dir) }),
  });
  log(`REDIS_URL=${server.url}`);
  await untilSignal();
  await server.stop();
  return 0;
}

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs the sciml-sweep command with `argv` (without `node` and the script); returns the exit status.
 * Typed errors are printed as one line; anything else with its stack.
 */
export async function main(
  argv: readonly string[],
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  logError: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const args = parseArgs(argv);
  try {
    switch (args.command) {
      case 'run':
        return await runCommand(args, log);
      case 'shard':
        return await shardCommand(args, log);
      case 'worker':
        return await workerCommand(args, log);
      case 'status': {
        const index = await buildIndex(resolve(requirePositional(args, 'a sweep folder')));
        log(formatSummary(index));
        return index.failed > 0 ? 1 : 0;
      }
      case 'report':
        log(
          `report: ${await writeReportCommand(resolve(requirePositional(args, 'a sweep folder')), args)}`,
        );
        return 0;
      case 'k8s':
        for (const file of await writeClusterFiles(
          await loadSweepModule(requirePositional(args, 'a sweep module')),
          args,
        )) {
          log(`wrote ${file}`);
        }
        return 0;
      case 'cancel':
        return await cancelCommand(args, log);
      case 'redis':
        return await redisCommand(args, log);
      case undefined:
      case 'help':
        log(USAGE);
        return args.command === 'help' ? 0 : 2;
      default:
        logError(`sciml-sweep: unknown command '${args.command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof SciMLError) logError(`${error.name}: ${error.message}`);
    else logError(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 2;
  }
}
