/**
 * Staging a function: trace it once per signature into a {@link Jaxpr}, simplify the program (CSE, DCE) and
 * run it again on concrete arrays. `jit`, `vmap` and `makeJaxpr` share this.
 */
import {
  type Backend,
  type NDArray,
  ValueError,
  bind,
  fromTypedArray,
  getBackend,
  keep,
  withoutOpObservers,
} from '@sciml/linalg';
import { isolatedTransforms } from '../trace/levels.js';
import { type PyTree, type TreeDef, treeFlatten, treeUnflatten } from '../tree.js';
import { type ConstVar, type Jaxpr, type Var, formatJaxpr } from './jaxpr.js';
import {
  eliminateCommonSubexpressions,
  eliminateDeadCode,
  rewriteOuterProducts,
} from './optimize.js';
import { TraceBackend } from './trace-backend.js';

/** A traced function: its program and the structures of its arguments and result. */
export interface Staged {
  readonly jaxpr: Jaxpr;
  /** Structure of the traced arguments (static ones replaced by their values). */
  readonly inDef: TreeDef;
  readonly outDef: TreeDef;
  /** The backend the program runs on. */
  readonly target: Backend;
}

/** The backend a call runs on: that of its first array leaf (a tracer's own target), else the selected one. */
export function targetBackend(leaves: readonly NDArray[]): Backend {
  const b = leaves[0]?.backend ?? getBackend();
  return b instanceof TraceBackend ? b.target : b;
}

/** True when an array belongs to a trace being built (a call from inside `jit`/`vmap` tracing). */
export function isTracer(x: NDArray): boolean {
  return x.backend.traceDepth !== undefined;
}

/**
 * Traces `f` on abstract arrays shaped like `leaves` (the flattened arguments of structure `argsDef`, a tree
 * of the argument list) and returns the simplified program. The trace runs isolated from the transforms
 * active around it: they see the program when it runs.
 */
export function stage(
  op: string,
  f: (...args: unknown[]) => unknown,
  argsDef: TreeDef,
  leaves: readonly { readonly shape: readonly number[]; readonly dtype: NDArray['dtype'] }[],
  target: Backend,
): Staged {
  const trace = new TraceBackend(op, target);
  const ins = leaves.map((x) => trace.input(x.shape, x.dtype));
  const out = trace.run(() =>
    isolatedTransforms(() => f(...treeUnflatten<unknown[]>(argsDef, ins))),
  );
  const { leaves: outLeaves, def: outDef } = treeFlatten(out as PyTree);
  const traced = trace.finish(ins, outLeaves);
  const jaxpr = eliminateDeadCode(eliminateCommonSubexpressions(rewriteOuterProducts(traced)));
  return { jaxpr, inDef: argsDef, outDef, target };
}

/**
 * The arrays bound to a program's constants on `target`. Literals are uploaded once per compilation and
 * exempted from scopes (`keep`): the cached program owns them, and a scope open during the first call must
 * not free them under later calls.
 */
export function materializeConsts(consts: readonly ConstVar[], target: Backend): NDArray[] {
  return consts.map((c) =>
    c.source.kind === 'captured'
      ? c.source.array
      : keep(fromTypedArray(c.source.values.slice(), c.shape, { backend: target })),
  );
}

/**
 * Runs a program equation by equation through `bind` (the reference interpreter): the active transforms see
 * every primitive, so `grad(jit(f))` differentiates the program, and an outer trace records it.
 */
export function evalJaxpr(
  jaxpr: Jaxpr,
  consts: readonly NDArray[],
  args: readonly NDArray[],
): NDArray[] {
  const env = new Map<Var, NDArray>();
  jaxpr.constVars.forEach((v, i) => {
    env.set(v, consts[i]!);
  });
  jaxpr.inVars.forEach((v, i) => {
    env.set(v, args[i]!);
  });
  for (const e of jaxpr.eqns) {
    const outs = bind(
      e.primitive,
      e.inputs.map((v) => env.get(v)!),
      e.params,
    );
    e.outputs.forEach((v, i) => {
      env.set(v, outs[i]!);
    });
  }
  return jaxpr.outVars.map((v) => env.get(v)!);
}

/** A traced program with its printed form (what `makeJaxpr` returns). @public */
export interface ClosedJaxpr {
  /** The program. */
  readonly jaxpr: Jaxpr;
  /** The arrays the program's constants are bound to, in `jaxpr.constVars` order. */
  readonly consts: readonly NDArray[];
  /** The program in JAX's textual layout, one equation a line. */
  toString(): string;
}

/**
 * Traces `f` at the given arguments and returns its program — the list of primitive equations `jit` would
 * compile, after common-subexpression and dead-code elimination — for reading and debugging (JAX's
 * `make_jaxpr`).
 * @example
 * ```ts
 * const program = makeJaxpr((x: NDArray) => tanh(add(mul(x, 2), 1)))(array([1, 2]));
 * String(program); // { lambda ; a:f64[2]. let b:f64[2] = mul a c ... }
 * ```
 * @public
 */
export function makeJaxpr<Args extends unknown[]>(
  f: (...args: Args) => unknown,
): (...args: Args) => ClosedJaxpr {
  return (...args: Args) => {
    const { leaves, def } = treeFlatten(args as unknown as PyTree);
    if (leaves.length === 0) {
      throw new ValueError('makeJaxpr', 'the arguments hold no NDArray to trace over');
    }
    const staged = withoutOpObservers(() =>
      stage('makeJaxpr', f as (...a: unknown[]) => unknown, def, leaves, targetBackend(leaves)),
    );
    const consts = materializeConsts(staged.jaxpr.constVars, staged.target);
    return { jaxpr: staged.jaxpr, consts, toString: () => formatJaxpr(staged.jaxpr) };
  };
}
