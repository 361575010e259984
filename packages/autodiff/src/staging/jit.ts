/**
 * `jit`: trace a function once per signature, simplify its program and run the program on later calls —
 * fused into generated kernels where the backend allows (see `compile.ts`), equation by equation otherwise.
 */
import {
  type NDArray,
  ValueError,
  activeOpObservers,
  invalidateDonated,
  isFloat,
  soleOwner,
} from '@sciml/linalg';
import { type PyTree, treeFlatten, treeUnflatten } from '../tree.js';
import { type Executable, compileStaged } from './compile.js';
import { type ClosedJaxpr, evalJaxpr, isTracer, stage, targetBackend } from './stage.js';
import { formatJaxpr } from './jaxpr.js';
import { signatureKey } from './signature.js';
import { traceDepth } from './trace-backend.js';

/** Options of `jit`. @public */
export interface JitOptions {
  /**
   * Arguments that are not traced but baked into the program (numbers, strings, option objects, functions):
   * each distinct value compiles its own program. Branch on these, not on array values.
   */
  staticArgnums?: number | readonly number[];
  /**
   * Arguments given up to the call (JAX's `donate_argnums`): the compiled program may write its intermediates
   * and results into their memory once their values are dead (an optimiser step writing the new parameters
   * over the old ones), instead of touching fresh memory. Every array of a donated argument is invalid after
   * the call (using it throws the "already freed" error naming the donation); memory that another array can
   * still see (a reshape view, a typed array from `dataSync` or `fromTypedArray`) is never written.
   */
  donate?: number | readonly number[];
}

/** Counters of a jitted function, for seeing when and why it recompiles. @public */
export interface JitStats {
  /** Times the function was traced (one per new signature: shapes, dtypes, backend, static arguments). */
  readonly traces: number;
  /** Calls that ran a cached program. */
  readonly cacheHits: number;
  /** Milliseconds spent tracing and compiling, all traces together. */
  readonly compileMs: number;
  /** Signatures compiled so far (the cache's size). */
  readonly signatures: number;
  /**
   * How the last compiled program runs, with the reason: `fused: …` (generated CPU loops around library
   * kernels) or `op-by-op: …` (through bind, e.g. on the GPU backend, whose own lazy fusion applies).
   */
  readonly lowering: string;
}

/** A compiled function: call it like `f`; read its counters from `stats`. @public */
export type Jitted<F extends (...args: never[]) => unknown> = F & {
  /** Trace and cache counters (read-only, live). */
  readonly stats: JitStats;
  /** The program this function runs for the given arguments (traced if not cached), for debugging. */
  lower(...args: Parameters<F>): ClosedJaxpr;
};

/** Positions of the donated arrays among a call's flattened arguments. */
function donatedIndices(leaves: readonly NDArray[], given: ReadonlySet<NDArray>): Set<number> {
  const out = new Set<number>();
  if (given.size > 0)
    leaves.forEach((x, i) => {
      if (given.has(x)) out.add(i);
    });
  return out;
}

interface CacheEntry {
  readonly exe: Executable;
}

/**
 * Compiles `f` (a function of pytrees of NDArray) by tracing it once per input signature into a program of
 * primitives, removing common subexpressions and dead code, fusing chains of elementwise ops into single
 * generated loops, and caching the result. Results equal eager execution (float64 to rounding). Composes
 * with the other transforms: `jit(grad(f))` compiles the backward pass too; `grad(jit(f))` differentiates the
 * program. A changed shape, dtype, backend or static argument traces again (see `stats.traces`); a branch
 * on array values throws a `TracedValueError` suggesting `cond`.
 * @example
 * ```ts
 * const step = jit((w: NDArray, x: NDArray) => tanh(add(matmul(x, w), 1)));
 * step(w, x); // traces and compiles
 * step(w, x); // runs the cached program
 * step.stats.traces; // 1
 * ```
 * @public
 */
export function jit<F extends (...args: never[]) => unknown>(
  f: F,
  options: JitOptions = {},
): Jitted<F> {
  const staticSet = new Set(
    typeof options.staticArgnums === 'number'
      ? [options.staticArgnums]
      : (options.staticArgnums ?? []),
  );
  const donateSet = new Set(
    typeof options.donate === 'number' ? [options.donate] : (options.donate ?? []),
  );
  for (const k of donateSet)
    if (staticSet.has(k))
      throw new ValueError(
        'jit',
        `argument ${k} is both static and donated; a static argument is no array to give up`,
      );
  const cache = new Map<string, CacheEntry>();
  const stats = {
    traces: 0,
    cacheHits: 0,
    compileMs: 0,
    signatures: 0,
    lowering: 'not compiled yet',
  };
  const fn = f as unknown as (...args: unknown[]) => unknown;

  const prepare = (args: unknown[]) => {
    for (const k of staticSet) {
      if (!Number.isInteger(k) || k < 0 || k >= args.length) {
        throw new ValueError(
          'jit',
          `staticArgnums ${k} is out of range for a call with ${args.length} arguments`,
        );
      }
    }
    const dynamic = args.map((a, i) => (staticSet.has(i) ? null : a));
    const statics = args.filter((_, i) => staticSet.has(i));
    const { leaves, def } = treeFlatten(dynamic as PyTree);
    // the traced function sees the static arguments of this call, spliced back in
    const withStatics = (...traced: unknown[]) =>
      fn(...traced.map((a, i) => (staticSet.has(i) ? args[i] : a)));
    return { leaves, def, statics, withStatics };
  };

  const lookup = (args: unknown[]) => {
    const p = prepare(args);
    const key = signatureKey(p.def, p.leaves, p.statics);
    let entry = cache.get(key);
    if (entry === undefined) {
      const t0 = performance.now();
      const staged = stage('jit', p.withStatics, p.def, p.leaves, targetBackend(p.leaves));
      entry = { exe: compileStaged(staged) };
      cache.set(key, entry);
      stats.traces++;
      stats.signatures = cache.size;
      stats.compileMs += performance.now() - t0;
      stats.lowering = `${entry.exe.mode.kind}: ${entry.exe.mode.reason}`;
    } else stats.cacheHits++;
    return { entry, leaves: p.leaves };
  };

  /** The arrays of the donated arguments of a call (checked against its argument count). */
  const donatedArrays = (args: unknown[]): Set<NDArray> => {
    const out = new Set<NDArray>();
    for (const k of donateSet) {
      if (!Number.isInteger(k) || k < 0 || k >= args.length)
        throw new ValueError(
          'jit',
          `donate ${k} is out of range for a call with ${args.length} arguments`,
        );
      for (const x of treeFlatten(args[k] as PyTree).leaves) out.add(x);
    }
    return out;
  };

  // storage of donated arguments the last run took over (reused: one set per jitted function)
  const taken = new Set<unknown>();
  const jitted = (...args: unknown[]) => {
    const { leaves } = treeFlatten(args as PyTree);
    // inside another trace, the function simply becomes part of the enclosing program
    if (traceDepth() > 0 || leaves.some(isTracer) || leaves.length === 0) return fn(...args);
    const given = donatedArrays(args);
    const { entry, leaves: dyn } = lookup(args);
    const { exe } = entry;
    // an active transform (grad, jvp) must see every primitive: run the program op by op through bind
    const outs =
      activeOpObservers().length > 0 && dyn.some((x) => isFloat(x.dtype))
        ? evalJaxpr(exe.staged.jaxpr, exe.consts, dyn)
        : exe.run(dyn, donatedIndices(dyn, given), taken);
    for (const x of given) {
      // an argument returned as it is (op by op) is a result now; any other donated array is given up, and
      // its memory freed unless a result, the program's buffer plan or another array still holds it (freed
      // CPU memory goes to the storage pool: freeing memory a result now owns would hand it out twice)
      if (!outs.includes(x)) invalidateDonated(x, 'jit', soleOwner(x) && !taken.has(x.handle));
    }
    taken.clear();
    return treeUnflatten(exe.staged.outDef, outs);
  };
  Object.defineProperty(jitted, 'stats', { get: () => ({ ...stats }) });
  Object.defineProperty(jitted, 'lower', {
    value: (...args: unknown[]): ClosedJaxpr => {
      const { entry } = lookup(args);
      const { jaxpr } = entry.exe.staged;
      return { jaxpr, consts: entry.exe.consts, toString: () => formatJaxpr(jaxpr) };
    },
  });
  return jitted as unknown as Jitted<F>;
}
