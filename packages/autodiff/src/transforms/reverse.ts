/**
 * Reverse-mode transforms: `vjp` (the pullback), `grad` and `valueAndGrad`.
 */
import { DTypeError, NDArray, ShapeError, formatShape, isFloat, shapesEqual } from '@sciml/linalg';
import { onesLike } from '../rules/util.js';
import { withTransform, nextLevel } from '../trace/levels.js';
import { Tape } from '../trace/tape.js';
import { resolveArgnums, unflattenParts, watchArgs } from '../trace/trace.js';
import { type PyTree, describeTreeDef, treeDefEqual, treeFlatten } from '../tree.js';

/** The arguments selected by `argnums`: one argument's type, or a tuple of them. @public */
export type ArgsAt<Args extends readonly unknown[], N> = N extends number
  ? Args[N]
  : N extends readonly number[]
    ? SelectArgs<Args, N>
    : never;

/** Tuple of the argument types at the positions listed in `N`. @public */
export type SelectArgs<Args extends readonly unknown[], N extends readonly number[]> = {
  -readonly [K in keyof N]: Args[N[K]];
};

/** Options of `grad` and `valueAndGrad`. @public */
export interface GradOptions<N extends number | readonly number[] = number | readonly number[]> {
  /** Which positional argument(s) to differentiate with respect to (default 0); a list returns a tuple. */
  argnums?: N;
  /** `f` returns `[value, aux]`; `aux` is returned alongside and not differentiated. */
  hasAux?: boolean;
}

/** The cotangent map of `vjp`: output cotangents (same structure as the output) → one cotangent per primal. @public */
export type Pullback<Args extends readonly unknown[], Out> = (ct: Out) => {
  -readonly [K in keyof Args]: Args[K];
};

/**
 * Runs `f` under a tape and returns its output with the pullback v ↦ vᵀ J (the vector–Jacobian product),
 * for pytree inputs and outputs. The pullback may be called several times (it keeps the tape alive until it
 * is garbage).
 * @example
 * ```ts
 * const [y, pullback] = vjp((x) => mul(x, x), x);
 * const [dx] = pullback(onesLike(y)); // 2x
 * ```
 * @public
 */
export function vjp<Args extends unknown[], Out extends PyTree>(
  f: (...args: Args) => Out,
  ...primals: Args
): [Out, Pullback<Args, Out>] {
  return vjpAs('vjp', f, primals);
}

/** `vjp` on behalf of the public transform `op` (`jacobian`, `hessian`), which errors then name. */
export function vjpAs<Args extends unknown[], Out extends PyTree>(
  op: string,
  f: (...args: Args) => Out,
  primals: Args,
): [Out, Pullback<Args, Out>] {
  const argnums = primals.map((_, i) => i);
  const watched = watchArgs(op, primals, argnums, 'constant');
  const tape = new Tape(nextLevel(), watched.leaves, op);
  const out = withTransform(tape, () => f(...(watched.args as Args)));
  const { leaves: outLeaves, def: outDef } = treeFlatten(out);
  const pullback = (ct: Out) => {
    const { leaves: cts, def } = treeFlatten(ct);
    if (!treeDefEqual(def, outDef)) {
      throw new ShapeError(
        op,
        `the cotangent has structure ${describeTreeDef(def)} but the output has ${describeTreeDef(outDef)}`,
      );
    }
    cts.forEach((c, i) => {
      if (!shapesEqual(c.shape, outLeaves[i]!.shape)) {
        throw new ShapeError(
          op,
          `cotangent ${i} has shape ${formatShape(c.shape)} but the output has ${formatShape(outLeaves[i]!.shape)}`,
        );
      }
    });
    const grads = tape.backward(outLeaves, cts, watched.leaves, true);
    return unflattenParts(watched.parts, grads) as { -readonly [K in keyof Args]: Args[K] };
  };
  return [out, pullback];
}

/** Shared by grad, valueAndGrad and hessian (`op` names the caller): value, aux and gradients. */
export function valueAndGradImpl(
  op: string,
  f: (...args: unknown[]) => unknown,
  options: GradOptions,
  args: unknown[],
): { value: NDArray; aux: unknown; grads: unknown } {
  const argnums = resolveArgnums(op, options.argnums ?? 0, args.length);
  const watched = watchArgs(op, args, argnums);
  const tape = new Tape(nextLevel(), watched.leaves, op);
  const result = withTransform(tape, () => f(...watched.args));
  let value: unknown = result;
  let aux: unknown;
  if (options.hasAux) {
    if (!Array.isArray(result) || result.length !== 2) {
      throw new ShapeError(op, 'with hasAux the function must return [value, aux]');
    }
    [value, aux] = result;
  }
  const y = checkScalar(op, value);
  const grads = tape.backward([y], [onesLike(y)], watched.leaves, false);
  const trees = unflattenParts(watched.parts, grads);
  return { value: y, aux, grads: typeof (options.argnums ?? 0) === 'number' ? trees[0] : trees };
}

function checkScalar(op: string, value: unknown): NDArray {
  if (!(value instanceof NDArray))
    throw new ShapeError(
      op,
      'the function must return one NDArray (a scalar loss); use vjp or jacobian for other outputs',
    );
  const y = value;
  if (y.size !== 1) {
    throw new ShapeError(
      op,
      `the function must return a scalar, got shape ${formatShape(y.shape)}; reduce it (sum, mean) or use jacobian`,
    );
  }
  if (!isFloat(y.dtype))
    throw new DTypeError(op, `the function returned ${y.dtype}; only float outputs have gradients`);
  return y;
}

/**
 * The gradient ∇f of a scalar function, with respect to argument `argnums` (default 0; a list gives a tuple),
 * each gradient a pytree shaped like its argument. Composes to any order: `grad(grad(f))`.
 * @example
 * ```ts
 * const df = grad((x: NDArray) => sum(mul(x, x)));
 * df(array([1, 2])); // [2, 4]
 * ```
 * @public
 */
export function grad<Args extends unknown[]>(
  f: (...args: Args) => NDArray,
  options?: { argnums?: 0; hasAux?: false },
): (...args: Args) => Args[0];
/** The gradient with respect to argument `argnums`. @public */
export function grad<Args extends unknown[], const N extends number>(
  f: (...args: Args) => NDArray,
  options: { argnums: N; hasAux?: false },
): (...args: Args) => Args[N];
/** The gradients with respect to several arguments, as a tuple. @public */
export function grad<Args extends unknown[], const N extends readonly number[]>(
  f: (...args: Args) => NDArray,
  options: { argnums: N; hasAux?: false },
): (...args: Args) => SelectArgs<Args, N>;
/** The gradient of a function returning `[value, aux]`: returns `[gradient, aux]`. @public */
export function grad<Args extends unknown[], Aux, const N extends number | readonly number[] = 0>(
  f: (...args: Args) => readonly [NDArray, Aux],
  options: GradOptions<N> & { hasAux: true },
): (...args: Args) => [ArgsAt<Args, N>, Aux];
export function grad(f: (...args: unknown[]) => unknown, options: GradOptions = {}) {
  return (...args: unknown[]) => {
    const r = valueAndGradImpl('grad', f, options, args);
    return options.hasAux ? [r.grads, r.aux] : r.grads;
  };
}

/**
 * The value and the gradient of a scalar function in one pass: `[value, gradient]`, or
 * `[[value, aux], gradient]` with `hasAux` (JAX's `value_and_grad`).
 * @public
 */
export function valueAndGrad<Args extends unknown[]>(
  f: (...args: Args) => NDArray,
  options?: { argnums?: 0; hasAux?: false },
): (...args: Args) => [NDArray, Args[0]];
/** Value and gradient with respect to argument `argnums`. @public */
export function valueAndGrad<Args extends unknown[], const N extends number>(
  f: (...args: Args) => NDArray,
  options: { argnums: N; hasAux?: false },
): (...args: Args) => [NDArray, Args[N]];
/** Value and gradients with respect to several arguments, as a tuple. @public */
export function valueAndGrad<Args extends unknown[], const N extends readonly number[]>(
  f: (...args: Args) => NDArray,
  options: { argnums: N; hasAux?: false },
): (...args: Args) => [NDArray, SelectArgs<Args, N>];
/** Value, aux and gradient of a function returning `[value, aux]`: `[[value, aux], gradient]`. @public */
export function valueAndGrad<
  Args extends unknown[],
  Aux,
  const N extends number | readonly number[] = 0,
>(
  f: (...args: Args) => readonly [NDArray, Aux],
  options: GradOptions<N> & { hasAux: true },
): (...args: Args) => [[NDArray, Aux], ArgsAt<Args, N>];
export function valueAndGrad(f: (...args: unknown[]) => unknown, options: GradOptions = {}) {
  return (...args: unknown[]) => {
    const r = valueAndGradImpl('valueAndGrad', f, options, args);
    return options.hasAux ? [[r.value, r.aux], r.grads] : [r.value, r.grads];
  };
}
