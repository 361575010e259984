/**
 * Tracing is a backend: arrays whose handles are abstract variables. Running a function on such arrays goes
 * through the ordinary `bind` (shape inference, then `execute`), and this backend's `execute` records an
 * equation instead of computing. Everything built from public ops — user code, the VJP/JVP rules of an
 * inner `grad`, optimiser steps — is therefore traced with no second implementation of any op.
 *
 * Arrays of other backends met beside a tracer (a closure's weights) are captured as constants; host numbers
 * uploaded during the trace (`mul(x, 2)`, `zeros`) become literals. Reading a tracer's values is the one
 * thing a trace cannot do: `dataSync`/`item` throw a `TracedValueError` naming the op that made the array.
 */
import {
  type Backend,
  type BackendInput,
  type DType,
  NDArray,
  type OutputSpec,
  type Primitive,
  type PrimitiveParams,
  TracedValueError,
  type TypedArray,
  formatShape,
} from '@sciml/linalg';
import type { ConstSource, ConstVar, Eqn, Jaxpr, Var } from './jaxpr.js';

/** A variable while the trace is being built: literals learn their shape when first used. */
class TraceVar implements Var {
  readonly id: number;
  shape: readonly number[];
  readonly dtype: DType;
  /** Set for constants (literals and captured arrays). */
  source: ConstSource | undefined;
  /** The primitive that produced it (for error messages). */
  readonly producer: Primitive | 'input' | 'constant';

  constructor(
    id: number,
    shape: readonly number[],
    dtype: DType,
    producer: TraceVar['producer'],
    source?: ConstSource,
  ) {
    this.id = id;
    this.shape = shape;
    this.dtype = dtype;
    this.producer = producer;
    this.source = source;
  }
}

let depth = 0;

/** How many traces are being built right now (0 outside `jit`/`vmap` tracing). */
export function traceDepth(): number {
  return depth;
}

export class TraceBackend implements Backend {
  readonly name = 'trace';
  readonly dtypes: readonly DType[];
  readonly traceDepth: number;
  /** The backend the traced program will run on. */
  readonly target: Backend;
  /** Which transform traces (for error messages). */
  readonly op: string;
  #nextId = 0;
  readonly #eqns: Eqn[] = [];
  readonly #consts: TraceVar[] = [];
  readonly #captured = new Map<BackendInput, TraceVar>();

  constructor(op: string, target: Backend) {
    this.op = op;
    this.target = target;
    this.dtypes = target.dtypes;
    this.traceDepth = depth + 1;
  }

  /** Runs `fn` with this trace counted as active. */
  run<R>(fn: () => R): R {
    depth++;
    try {
      return fn();
    } finally {
      depth--;
    }
  }

  /** A fresh abstract input of the program. */
  input(shape: readonly number[], dtype: DType): NDArray {
    const v = new TraceVar(this.#nextId++, shape, dtype, 'input');
    return new NDArray(v, shape, dtype, this);
  }

  supports(p: Primitive): boolean {
    return this.target.supports(p);
  }

  upload(values: TypedArray, dtype: DType): unknown {
    // the shape is known only to the NDArray wrapping this handle; it is filled in at first use
    return new TraceVar(this.#nextId++, [values.length], dtype, 'constant', {
      kind: 'literal',
      values: values.slice(),
    });
  }

  capture(x: BackendInput): unknown {
    let v = this.#captured.get(x);
    if (v === undefined) {
      v = new TraceVar(this.#nextId++, x.shape, x.dtype, 'constant', {
        kind: 'captured',
        array: x as NDArray,
      });
      this.#captured.set(x, v);
      this.#consts.push(v);
    }
    return v;
  }

  download(handle: unknown): Promise<TypedArray> {
    return Promise.reject(this.#readError(handle));
  }

  downloadSync(handle: unknown): TypedArray {
    throw this.#readError(handle);
  }

  free(): void {}

  execute<P extends Primitive>(
    p: P,
    inputs: readonly BackendInput[],
    params: PrimitiveParams<P>,
    outputs: readonly OutputSpec[],
  ): unknown[] {
    const ins = inputs.map((x) => this.varOf(x));
    const outs = outputs.map((s) => new TraceVar(this.#nextId++, s.shape, s.dtype, p));
    this.#eqns.push({ primitive: p, inputs: ins, outputs: outs, params } as Eqn);
    return outs;
  }

  /** The variable of an array met by this trace (its own tracer, or a constant it captures now). */
  varOf(x: BackendInput & { readonly backend?: Backend }): Var {
    const h = x.handle;
    if (!(h instanceof TraceVar) || (x.backend !== undefined && x.backend !== this)) {
      return this.capture(x) as Var;
    }
    if (h.source?.kind === 'literal' && !this.#consts.includes(h)) {
      h.shape = x.shape;
      this.#consts.push(h);
    }
    return h;
  }

  /** The finished program with inputs `ins` and outputs `outs` (arrays of this trace or captured ones). */
  finish(ins: readonly NDArray[], outs: readonly NDArray[]): Jaxpr {
    const outVars = outs.map((x) => this.varOf(x));
    return {
      inVars: ins.map((x) => this.varOf(x)),
      constVars: this.#consts as unknown as ConstVar[],
      eqns: this.#eqns,
      outVars,
    };
  }

  #readError(handle: unknown): TracedValueError {
    const v = handle as TraceVar;
    const what =
      v.producer === 'input'
        ? 'an input'
        : v.producer === 'constant'
          ? 'a constant'
          : `the output of '${v.producer}'`;
    return new TracedValueError(
      this.op,
      // one error class for every transform (linalg's): `grad` reads raise it too
      `the values of ${what} (shape ${formatShape(v.shape)}, ${v.dtype}) were read (dataSync/item) while tracing; ` +
        'a traced function cannot branch on array values — use cond(pred, onTrue, onFalse, ...operands) or whileLoop for data-dependent control flow, or pass the value as a static argument (staticArgnums)',
      this.op,
    );
  }
}
