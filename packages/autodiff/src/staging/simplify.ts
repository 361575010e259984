/**
 * `simplify`: common-subexpression and dead-code elimination before differentiation. `jit` simplifies the
 * program it is given, after `grad` has built the backward pass; by then two copies of one forward
 * computation (the primal that every nested `jvp` of a PINN residual recomputes) have each produced their own
 * backward chain, which no later pass can merge. Simplifying the forward function first leaves one copy to
 * differentiate.
 */
import { withoutOpObservers } from '@sciml/linalg';
import { type PyTree, treeFlatten, treeUnflatten } from '../tree.js';
import { evalJaxpr, materializeConsts, stage, targetBackend } from './stage.js';

/**
 * Returns `f` as its simplified program: each call traces `f` at its arguments' shapes, merges repeated
 * equations and drops dead ones (as `jit` does), and runs the result primitive by primitive, so the
 * transforms around it (`grad`, `jvp`, an enclosing `jit`) see the simplified program. Same values as `f`
 * (the program computes each distinct expression once, in the order `f` did). Meant for the inside of
 * `jit`, which traces once per signature — `jit(valueAndGrad(simplify(loss)))` differentiates the loss
 * after duplicates are merged, so the backward pass carries no duplicated chains; called eagerly it traces
 * on every call. Branching on array values inside `f` throws, as under `jit`.
 * @example
 * ```ts
 * // u, u_x and u_xx by nested jvps recompute u's forward pass; simplify keeps one before grad
 * const step = jit(valueAndGrad(simplify((p: Params, x: NDArray) => pinnLoss(p, x))));
 * ```
 * @public
 */
export function simplify<F extends (...args: never[]) => unknown>(f: F): F {
  const fn = f as unknown as (...args: unknown[]) => unknown;
  const simplified = (...args: unknown[]) => {
    const { leaves, def } = treeFlatten(args as PyTree);
    if (leaves.length === 0) return fn(...args);
    // staged without the active transforms (they see the program when it runs, not its tracing)
    const staged = withoutOpObservers(() =>
      stage('simplify', fn, def, leaves, targetBackend(leaves)),
    );
    const consts = materializeConsts(staged.jaxpr.constVars, staged.target);
    return treeUnflatten(staged.outDef, evalJaxpr(staged.jaxpr, consts, leaves));
  };
  return simplified as unknown as F;
}
