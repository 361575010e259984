import type { Backend } from '../backend/backend.js';
import { BackendError, UnsupportedRoutineError } from './errors.js';
import { inferOutputs } from './infer.js';
import { NDArray } from './ndarray.js';
import type { Primitive, PrimitiveParams } from './primitives.js';

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

/** The installed observers, outermost first (a snapshot). */
export function activeOpObservers(): readonly OpObserver[] {
  return [...observers];
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

/** The backend all inputs share; arrays of other backends are captured as constants by a tracing backend. */
function commonBackend(p: Primitive, inputs: NDArray[]): Backend {
  if (inputs.length === 0) throw new BackendError(p, 'needs at least one input array');
  let tracer: Backend | undefined;
  for (const x of inputs) {
    const d = x.backend.traceDepth;
    if (d !== undefined && (tracer === undefined || d > tracer.traceDepth!)) tracer = x.backend;
  }
  const b = tracer ?? inputs[0]!.backend;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    if (x.backend === b) continue;
    if (tracer?.capture) {
      inputs[i] = new NDArray(tracer.capture(x), x.shape, x.dtype, tracer);
    } else {
      throw new BackendError(
        p,
        `inputs live on different backends (${inputs.map((i) => i.backend.name).join(', ')}); move them with toBackend() first`,
      );
    }
  }
  return b;
}

/**
 * Executes primitive `p`: validates inputs and infers outputs, runs the inputs' backend, wraps the results
 * and notifies observers. Every public op ends here.
 */
export function bind<P extends Primitive>(
  p: P,
  inputs: readonly NDArray[],
  params: PrimitiveParams<P>,
): NDArray[] {
  const specs = inferOutputs(p, inputs, params);
  const operands = [...inputs];
  const backend = commonBackend(p, operands);
  if (!backend.supports(p)) {
    throw new UnsupportedRoutineError(
      p,
      `the ${backend.name} backend does not implement '${p}'; move the inputs to the cpu backend`,
    );
  }
  const handles = backend.execute(p, operands, params, specs);
  const outputs = specs.map((s, i) => new NDArray(handles[i], s.shape, s.dtype, backend));
  if (observers.length > 0) {
    const record: OpRecord<P> = { primitive: p, inputs, outputs, params };
    for (const o of [...observers]) o.onOp(record as OpRecord);
  }
  return outputs;
}
