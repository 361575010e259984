/**
 * The op observers: what function transforms (@sciml/autodiff's tapes and frames, a tracer, a profiler)
 * install to see computation. `bind` notifies them of every primitive it executes; NDArray asks them before
 * it hands out values, because a transform that is tracing an array cannot see a value read in JavaScript.
 *
 * This file imports only types, so both `dispatch.ts` and `ndarray.ts` can use it without an import cycle.
 */
import type { Primitive, PrimitiveParams } from './primitives.js';
import type { NDArray } from './ndarray.js';
import { TracedValueError, formatShape } from './errors.js';

/** One executed primitive: what autodiff (or a profiler) sees of the computation. */
export interface OpRecord<P extends Primitive = Primitive> {
  readonly primitive: P;
  readonly inputs: readonly NDArray[];
  readonly outputs: readonly NDArray[];
  readonly params: PrimitiveParams<P>;
}

/**
 * Receives every primitive executed while it is installed. @sciml/autodiff installs observers to build tapes
 * (reverse mode) and push tangents (forward mode); the rules it runs are themselves primitives, which outer
 * observers see, so derivatives compose to any order.
 */
export interface OpObserver {
  onOp(record: OpRecord): void;
  /**
   * The name of the transform (`'grad'`, `'jvp'`, `'jit'`, ...) for which `x` is traced — its value depends
   * on the transform's inputs, so a value read in JavaScript would escape it — or `undefined`. Observers
   * that trace nothing leave it out.
   */
  tracedBy?(x: NDArray): string | undefined;
}

const observers: OpObserver[] = [];

/** Installs an observer until the returned function is called (observers nest like a stack). */
export function addOpObserver(observer: OpObserver): () => void {
  observers.push(observer);
  return () => {
    const i = observers.lastIndexOf(observer);
    if (i >= 0) observers.splice(i, 1);
  };
}

/**
 * Runs `fn` with no observer installed, restoring them afterwards: a tracer (`jit`, `vmap`) records a
 * function's ops for itself, and the transforms around it see the traced program when it runs, not the trace.
 */
export function withoutOpObservers<R>(fn: () => R): R {
  const saved = observers.splice(0, observers.length);
  try {
    return fn();
  } finally {
    observers.splice(0, observers.length, ...saved);
  }
}

/** The installed observers, outermost first (a snapshot). */
export function activeOpObservers(): readonly OpObserver[] {
  return [...observers];
}

/** True when at least one observer is installed (so `bind` builds a record only when someone listens). */
export function hasObservers(): boolean {
  return observers.length > 0;
}

/** Notifies every installed observer of one executed primitive. */
export function notifyObservers(record: OpRecord): void {
  for (const o of [...observers]) o.onOp(record);
}

/** The name of the outermost active transform that traces `x`, or `undefined` when its values are concrete. */
export function tracingTransform(x: NDArray): string | undefined {
  for (const o of observers) {
    const name = o.tracedBy?.(x);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * Throws a `TracedValueError` when `read` (the public accessor: `dataSync`, `item`, ...) asks for the values
 * of an array an active transform is tracing — JAX's tracer-conversion error. Reading them would silently
 * turn a differentiated quantity into a constant (a zero derivative, a wrong result under jit).
 */
export function assertConcrete(read: string, x: NDArray): void {
  if (observers.length === 0) return;
  const by = tracingTransform(x);
  if (by === undefined) return;
  throw new TracedValueError(
    read,
    `cannot read the values of an array traced by ${by} (shape ${formatShape(x.shape)}, ${x.dtype}): ${by} sees only @sciml/linalg ops, so a value read in JavaScript would be a constant to it and its derivative would silently be zero. Compute with ops (add, mul, exp, matmul, ... on NDArrays, not Math.* on numbers), or wrap the array in stopGradient(x) if it really is a constant; read values outside the transform.`,
    by,
  );
}
