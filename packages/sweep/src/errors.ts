// Typed errors of @sciml/sweep. Each names the operation, the job where there is one, and the fix. They extend
// @sciml/linalg's SciMLError so one `instanceof SciMLError` catches every @sciml failure.
import { SciMLError } from '@sciml/linalg';

/**
 * A task function threw (or its worker died) on every attempt. `jobId` names the job; `cause` holds the
 * task's own error where there was one.
 * @public
 */
export class TaskError extends SciMLError {
  /** The job that failed. */
  readonly jobId: string;
  /** Attempts made before giving up. */
  readonly attempts: number;

  constructor(op: string, jobId: string, attempts: number, message: string) {
    super(op, message);
    this.jobId = jobId;
    this.attempts = attempts;
  }
}

/**
 * The task module could not be loaded: the file does not exist, fails to import, or exports no function under
 * the expected name. Never retried: no attempt could succeed.
 * @public
 */
export class TaskModuleError extends SciMLError {
  /** The module specifier or path that was asked for. */
  readonly module: string;

  constructor(op: string, module: string, message: string) {
    super(op, message);
    this.module = module;
  }
}

/**
 * A task returned something that cannot be stored: a leaf that is neither an NDArray nor a finite number,
 * a cycle, a reserved name. Never retried: the same task returns the same kind of value again.
 * @public
 */
export class ResultFormatError extends SciMLError {}

/**
 * The job queue's Redis server could not be reached (refused, timed out, wrong URL). Nothing was enqueued.
 * @public
 */
export class QueueConnectionError extends SciMLError {
  /** The Redis URL that was tried (without its password). */
  readonly url: string;

  constructor(op: string, url: string, message: string) {
    super(op, message);
    this.url = url;
  }
}

/** Whether a failure is permanent, so retrying cannot help. */
export function isPermanent(error: unknown): boolean {
  return error instanceof TaskModuleError || error instanceof ResultFormatError;
}

/** A plain description of any thrown value, for records and logs. */
export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  if (error !== null && typeof error === 'object' && typeof (error as Error).message === 'string') {
    // an error that crossed a thread or process boundary as a plain object
    const e = error as { name?: unknown; message: string; stack?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: e.message,
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
