/**
 * Control flow that works eagerly, under every derivative transform and inside `jit`/`vmap` traces:
 * `cond`, `whileLoop` and `scan`. Each is built from primitives (a branch read on concrete values, a
 * select on traced ones; loops as the sequence of their steps), so JVP, VJP and batching follow from the
 * primitives' rules: `scan` differentiates exactly like the unrolled loop it is.
 */
import {
  BackendError,
  type NDArray,
  ShapeError,
  ValueError,
  bind,
  formatShape,
  notEqual,
  reshape,
  shapesEqual,
} from '@sciml/linalg';
import { isTracer } from '../staging/stage.js';
import { type PyTree, describeTreeDef, treeDefEqual, treeFlatten, treeUnflatten } from '../tree.js';
import { checkpoint as remat } from './checkpoint.js';

/** A predicate: a boolean, a number (non-zero is true) or a size-1 array. @public */
export type Predicate = boolean | number | NDArray;

/** The truth of a concrete predicate (a size-1 array is read from host memory). */
function truth(op: string, pred: Exclude<Predicate, NDArray> | NDArray): boolean {
  if (typeof pred === 'boolean') return pred;
  if (typeof pred === 'number') return pred !== 0;
  const read = pred.backend.downloadSync;
  if (!read) {
    throw new BackendError(
      op,
      `the predicate lives on the ${pred.backend.name} backend, which cannot be read synchronously; compute it on the cpu or pass a boolean`,
    );
  }
  // a branch decision, not a value in the computation: read directly, whatever transform is active
  return read.call(pred.backend, pred.handle, pred.dtype, pred.size)[0] !== 0;
}

function checkPredicate(op: string, pred: Predicate): void {
  if (typeof pred === 'object' && pred.size !== 1) {
    throw new ShapeError(
      op,
      `the predicate must be a single value, got shape ${formatShape(pred.shape)}; reduce it (e.g. with all/any) first`,
    );
  }
}

/** where(pred, a, b) leaf by leaf over two results of the same structure, shapes and dtypes. */
function select(op: string, pred: NDArray, a: PyTree, b: PyTree): PyTree {
  const fa = treeFlatten(a);
  const fb = treeFlatten(b);
  if (!treeDefEqual(fa.def, fb.def)) {
    throw new ShapeError(
      op,
      `the branches return different structures (${describeTreeDef(fa.def)} and ${describeTreeDef(fb.def)}); they must match`,
    );
  }
  const c = reshape(pred.dtype === 'bool' ? pred : notEqual(pred, 0), []);
  const leaves = fa.leaves.map((x, i) => {
    const y = fb.leaves[i]!;
    if (!shapesEqual(x.shape, y.shape) || x.dtype !== y.dtype) {
      throw new ShapeError(
        op,
        `result ${i} is ${formatShape(x.shape)} ${x.dtype} in one branch and ${formatShape(y.shape)} ${y.dtype} in the other; they must match`,
      );
    }
    return bind('where', [c, x, y], {})[0]!;
  });
  return treeUnflatten(fa.def, leaves);
}

/**
 * `onTrue(...operands)` if `pred` holds, else `onFalse(...operands)` (JAX's `lax.cond`). With a concrete
 * predicate only the chosen branch runs, and derivatives are those of that branch. Under `jit` or `vmap`,
 * where the predicate is a traced value, both branches run and the results are selected elementwise
 * (`where`), so the program does not depend on the data; their results must have the same structure,
 * shapes and dtypes. (As with JAX's select, a branch that is not taken must still be finite where its
 * gradient is multiplied by zero.)
 * @example
 * ```ts
 * const f = jit((x: NDArray) => cond(greater(sum(x), 0), (y) => mul(y, 2), (y) => neg(y), x));
 * ```
 * @public
 */
export function cond<Ops extends unknown[], Out extends PyTree>(
  pred: Predicate,
  onTrue: (...operands: Ops) => Out,
  onFalse: (...operands: Ops) => Out,
  ...operands: Ops
): Out {
  checkPredicate('cond', pred);
  if (typeof pred === 'object' && isTracer(pred)) {
    return select('cond', pred, onTrue(...operands), onFalse(...operands)) as Out;
  }
  return truth('cond', pred) ? onTrue(...operands) : onFalse(...operands);
}

/** Options of `whileLoop`. @public */
export interface WhileLoopOptions {
  /**
   * Bound on the number of iterations. Eagerly, exceeding it is a `ValueError` (a runaway loop); under
   * `jit`/`vmap`, where the condition is traced, the loop runs exactly this many masked steps (a step whose
   * condition is false leaves the carry unchanged), so it must be given there.
   */
  maxSteps?: number;
}

/**
 * `while (condFn(carry)) carry = body(carry)` over a pytree carry (JAX's `lax.while_loop`). Eagerly the
 * condition is read each step and the loop differentiates like its unrolled steps (in both modes). Under
 * `jit`/`vmap` the condition is a traced value: give `maxSteps`, and the loop becomes `maxSteps` steps of
 * `carry = where(condFn(carry), body(carry), carry)` — the batching semantics of JAX's while loop.
 * @example
 * ```ts
 * const halve = whileLoop((x: NDArray) => greater(x, 1), (x) => mul(x, 0.5), scalar(40));
 * ```
 * @public
 */
export function whileLoop<C extends PyTree>(
  condFn: (carry: C) => Predicate,
  body: (carry: C) => C,
  init: C,
  options: WhileLoopOptions = {},
): C {
  const { maxSteps } = options;
  if (maxSteps !== undefined && (!Number.isInteger(maxSteps) || maxSteps < 0)) {
    throw new ValueError('whileLoop', `maxSteps must be a non-negative integer, got ${maxSteps}`);
  }
  let carry = init;
  for (let step = 0; ; step++) {
    const pred = condFn(carry);
    checkPredicate('whileLoop', pred);
    if (typeof pred === 'object' && isTracer(pred)) {
      if (maxSteps === undefined) {
        throw new ValueError(
          'whileLoop',
          'the condition depends on traced values (inside jit or vmap); give { maxSteps } to run a fixed number of masked steps, or use scan',
        );
      }
      if (step >= maxSteps) return carry;
      carry = select('whileLoop', pred, body(carry), carry) as C;
      continue;
    }
    if (!truth('whileLoop', pred)) return carry;
    if (maxSteps !== undefined && step >= maxSteps) {
      throw new ValueError(
        'whileLoop',
        `the condition still holds after maxSteps = ${maxSteps} iterations; raise maxSteps or check the loop converges`,
      );
    }
    carry = body(carry);
  }
}

/** Options of `scan`. @public */
export interface ScanOptions {
  /** Number of steps when `xs` is null (otherwise the leading axis length of `xs`). */
  length?: number;
  /** Visit the steps last to first (outputs are still stacked in step order). */
  reverse?: boolean;
  /**
   * Rematerialise each step in the backward pass (`checkpoint` per step): reverse mode stores one carry
   * per step instead of every intermediate of every step.
   */
  checkpoint?: boolean;
}

/** Step t of every leaf of `xs` (its leading axis dropped). */
function sliceStep(xs: PyTree, t: number): PyTree {
  const { leaves, def } = treeFlatten(xs);
  const sliced = leaves.map((x) => {
    const s = bind('slice', [x], {
      starts: x.shape.map((_, k) => (k === 0 ? t : 0)),
      steps: x.shape.map(() => 1),
      lengths: x.shape.map((d, k) => (k === 0 ? 1 : d)),
    })[0]!;
    return bind('reshape', [s], { shape: x.shape.slice(1) })[0]!;
  });
  return treeUnflatten(def, sliced);
}

/** Stacks a list of same-structure pytrees along a new leading axis. */
function stackSteps(ys: readonly PyTree[]): PyTree {
  const flat = ys.map((y) => treeFlatten(y));
  const def = flat[0]!.def;
  const leaves = flat[0]!.leaves.map((_, i) => {
    const parts = flat.map((f) => {
      const x = f.leaves[i]!;
      return bind('reshape', [x], { shape: [1, ...x.shape] })[0]!;
    });
    return parts.length === 1 ? parts[0]! : bind('concat', parts, { axis: 0 })[0]!;
  });
  return treeUnflatten(def, leaves);
}

/**
 * Loops `f(carry, x) → [carry, y]` over the leading axis of `xs` and returns the final carry with the
 * stacked outputs (JAX's `lax.scan`): an RNN, or an ODE integration that keeps its trajectory. The loop
 * is the sequence of its steps, so every transform sees it as the unrolled loop — `grad` of 1 000 RK4 steps
 * equals the gradient of the hand-unrolled loop — and `{ checkpoint: true }` keeps reverse-mode memory to
 * one carry per step. Under `jit` the steps are traced one after another (the program grows with the
 * number of steps).
 * @example
 * ```ts
 * const [total, partial] = scan((c: NDArray, x: NDArray) => [add(c, x), add(c, x)], scalar(0), xs);
 * ```
 * @public
 */
export function scan<C extends PyTree, X extends PyTree, Y extends PyTree>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X | null,
  options: ScanOptions = {},
): [C, Y | null] {
  const leaves = xs === null ? [] : treeFlatten(xs).leaves;
  const length = options.length ?? leaves[0]?.shape[0];
  if (length === undefined || !Number.isInteger(length) || length < 0) {
    throw new ValueError('scan', 'give xs with a leading axis, or { length } when xs is null');
  }
  for (const x of leaves) {
    if (x.ndim === 0 || x.shape[0] !== length) {
      throw new ShapeError(
        'scan',
        `every leaf of xs needs a leading axis of length ${length}, got shape ${formatShape(x.shape)}`,
      );
    }
  }
  const step = options.checkpoint ? remat(f as (c: C, x: X) => readonly [C, Y]) : f;
  let carry = init;
  const ys: PyTree[] = new Array(length);
  for (let k = 0; k < length; k++) {
    const t = options.reverse ? length - 1 - k : k;
    const x = (xs === null ? null : sliceStep(xs, t)) as X;
    const [next, y] = step(carry, x);
    carry = next;
    ys[t] = y as PyTree;
  }
  return [carry, length === 0 ? null : (stackSteps(ys) as Y)];
}
