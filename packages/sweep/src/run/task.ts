// The user's side of a job: a function exported from their own module, loaded by path in every worker (a
// thread or a process on another machine), so that nothing but parameters and file paths crosses a boundary.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Generator } from '@sciml/linalg';
import type { Params } from '../design/params.js';
import { TaskModuleError } from '../errors.js';
import type { TaskResult } from '../store/codec.js';

/**
 * What a task receives beside its parameters.
 * @public
 */
export interface TaskContext {
  /** A generator seeded with the job's seed: the same job draws the same numbers on every runner. */
  readonly rng: Generator;
  /** Reports progress within the job, a fraction in [0, 1] (shown by the progress display). */
  progress(fraction: number): void;
  /** The job's id. */
  readonly jobId: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
}

/**
 * A sweep task: parameters in, a result (NDArrays and metrics in plain objects) out. Export it from a module
 * (as `default` or under a name) so every worker can load it.
 * @public
 */
export type Task<P extends Params = Params, R extends TaskResult = TaskResult> = (
  params: P,
  context: TaskContext,
) => R | Promise<R>;

/**
 * Where a task lives: a module path (absolute, or relative to the working directory) or a `file:` URL, and
 * optionally the export's name (default: `default`, then `task`).
 * @public
 */
export type TaskRef = string | URL | { readonly module: string | URL; readonly export?: string };

/** The task's module as an absolute path, and its export name. */
export function resolveTaskRef(ref: TaskRef): { path: string; exportName: string | undefined } {
  const module = typeof ref === 'object' && !(ref instanceof URL) ? ref.module : ref;
  const exportName = typeof ref === 'object' && !(ref instanceof URL) ? ref.export : undefined;
  const text = module instanceof URL ? module.href : module;
  const path = text.startsWith('file:')
    ? fileURLToPath(text)
    : isAbsolute(text)
      ? text
      : resolve(text);
  return { path, exportName };
}

/**
 * Imports the task function. A missing file, a module that throws on import or an export that is not a
 * function is a {@link TaskModuleError} naming the module and the fix.
 */
export async function loadTask(ref: TaskRef): Promise<Task> {
  const op = 'loadTask';
  const { path, exportName } = resolveTaskRef(ref);
  if (!existsSync(path)) {
    throw new TaskModuleError(
      op,
      path,
      `task module ${path} does not exist; check the path (relative paths resolve against ${process.cwd()})`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TaskModuleError(
      op,
      path,
      `task module ${path} failed to import: ${(error as Error)?.message ?? String(error)}`,
    );
  }
  const names = exportName === undefined ? ['default', 'task'] : [exportName];
  for (const name of names) {
    if (typeof module[name] === 'function') return module[name] as Task;
  }
  throw new TaskModuleError(
    op,
    path,
    `task module ${path} exports no function named ${names.map((n) => `'${n}'`).join(' or ')}; export the task function (exports: ${Object.keys(module).join(', ') || 'none'})`,
  );
}
