import type { Backend } from '../backend/backend.js';
import { BackendError, UnsupportedRoutineError } from './errors.js';
import { inferOutputs } from './infer.js';
import { NDArray, addHolder } from './ndarray.js';
import { assertNDArray } from './validate.js';
import { type OpRecord, hasObservers, notifyObservers } from './observers.js';
import type { Primitive, PrimitiveParams } from './primitives.js';

export type { OpObserver, OpRecord } from './observers.js';
export { activeOpObservers, addOpObserver, withoutOpObservers } from './observers.js';

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
 * Marks results that share storage with an input or with another result (a reshape or complex view returns
 * its input's storage), so buffer donation never overwrites memory a second array can see.
 */
function markAliases(handles: readonly unknown[], operands: readonly NDArray[]): void {
  for (let i = 0; i < handles.length; i++) {
    const h = handles[i];
    for (let j = 0; j < operands.length; j++) {
      if (h === operands[j]!.handle) {
        addHolder(h);
        break;
      }
    }
    for (let j = 0; j < i; j++) {
      if (h === handles[j]) {
        addHolder(h);
        break;
      }
    }
  }
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
  for (let i = 0; i < inputs.length; i++) {
    if (!(inputs[i] instanceof NDArray))
      assertNDArray(p, inputs[i], inputs.length === 1 ? 'the input' : `input ${i}`);
  }
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
  markAliases(handles, operands);
  const outputs = specs.map((s, i) => new NDArray(handles[i], s.shape, s.dtype, backend));
  if (hasObservers()) notifyObservers({ primitive: p, inputs, outputs, params } as OpRecord);
  return outputs;
}
