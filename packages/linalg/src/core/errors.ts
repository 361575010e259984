/**
 * Typed errors shared by every @sciml package. Each names the operation, what it received and how to fix it,
 * so a failure deep in a pipeline still says where it came from.
 */

/** Base class of every error thrown by @sciml packages. */
export class SciMLError extends Error {
  /** Name of the operation that rejected its input (e.g. `'matmul'`). */
  readonly op: string;

  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the operation (broadcasting, matrix products, reshapes, axes out of range). */
export class ShapeError extends SciMLError {}

/** A dtype the operation or backend does not accept, or a mix of dtypes that would lose precision silently. */
export class DTypeError extends SciMLError {}

/** NaN or ±Infinity where finite numbers are required. */
export class NotFiniteError extends SciMLError {}

/** A matrix that is singular (or numerically singular, or not positive definite) for the requested factorisation. */
export class SingularMatrixError extends SciMLError {}

/** An iterative method that stopped before meeting its tolerance. */
export class ConvergenceError extends SciMLError {
  /** Iterations performed before giving up. */
  readonly iterations: number;

  constructor(op: string, message: string, iterations: number) {
    super(op, message);
    this.iterations = iterations;
  }
}

/** A named routine (decomposition, solver) that the selected backend does not implement. */
export class UnsupportedRoutineError extends SciMLError {}

/** A problem with the backend itself: not registered, lost device, out of memory, disposed data. */
export class BackendError extends SciMLError {}

/**
 * Invalid arguments: values out of range (negative sizes, unknown option names or methods) or of the wrong
 * kind (a plain JS array where an NDArray is expected).
 */
export class ValueError extends SciMLError {}

/**
 * A value read (`dataSync()`, `data()`, `item()`, `get()`, `toNested()`) of an array that an active function
 * transform (`grad`, `jvp`, `jacobian`, `jit`, ...) is tracing: the transform sees only ops, so the number
 * would escape it (JAX's `TracerArrayConversionError`).
 */
export class TracedValueError extends SciMLError {
  /** The transform that traces the array (`'grad'`, `'jvp'`, ...). */
  readonly transform: string;

  constructor(op: string, message: string, transform: string) {
    super(op, message);
    this.transform = transform;
  }
}

/**
 * Runs `fn`, reporting any error of ours that an op it calls raised under the public function `op` instead
 * (`pinv: input (2, 2) holds NaN ...`, not `svd: ...`): the same class and fields, the caller's name. Public
 * composites use it so a user never has to know what they are built from.
 */
export function withOpName<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SciMLError) || e.op === op) throw e;
    const detail = e.message.startsWith(`${e.op}: `) ? e.message.slice(e.op.length + 2) : e.message;
    const renamed = Object.assign(Object.create(Object.getPrototypeOf(e)) as SciMLError, e, { op });
    renamed.message = `${op}: ${detail}`;
    renamed.stack = e.stack?.replace(e.message, renamed.message);
    throw renamed;
  }
}

/** Formats a shape as NumPy does, e.g. `(3, 4)`, for error messages. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
