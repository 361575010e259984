// Queue worker processes for the tests: the real `sciml-sweep worker` command (compiled dist/), with short
// lock and stalled-check intervals so a killed worker's job comes back within about a second.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledExecArgv } from '../src/run/compiled.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** What the process printed (stdout and stderr). */
  output(): string;
  /** Resolves once the worker said it waits for jobs. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

export function spawnWorker(
  task: string,
  url: string,
  queue: string,
  extra: readonly string[] = [],
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      ...compiledExecArgv(),
      CLI,
      'worker',
      task,
      '--redis',
      url,
      '--queue',
      queue,
      '--lock-ms',
      '1500',
      '--stalled-ms',
      '500',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    if (text.includes('waiting for jobs')) markReady();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      markReady();
      r(code);
    }),
  );
  return { child, output: () => text, ready, exited };
}

/** SIGTERM (a graceful stop) and wait for the exit. */
export async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await w.exited;
}
