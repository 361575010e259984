/**
 * User-defined derivatives: `stopGradient`, `customVjp` and `customJvp`.
 */
import { type NDArray, ShapeError, isFloat } from '@sciml/linalg';
import { zerosLike } from '../rules/util.js';
import { Frame } from '../trace/frame.js';
import { activeTransforms, customRuleLevel, hiddenFrom, hiddenFromKind } from '../trace/levels.js';
import { Tape } from '../trace/tape.js';
import { alias } from '../trace/trace.js';
import {
  type PyTree,
  type TreeDef,
  describeTreeDef,
  treeDefEqual,
  treeFlatten,
  treeMap,
  treeSize,
  treeUnflatten,
} from '../tree.js';

/**
 * The same values with no derivative: every transform treats the result as a constant (JAX's
 * `stop_gradient`). Works on pytrees.
 * @example
 * ```ts
 * grad((x: NDArray) => mul(x, stopGradient(x)))(x); // x, not 2x
 * ```
 * @public
 */
export function stopGradient<T extends PyTree>(x: T): T {
  return treeMap((leaf) => (isFloat(leaf.dtype) ? hiddenFrom(0, () => alias(leaf)) : leaf), x);
}

/** The leaves of each argument tree, and how many each has (to cut flat lists back per argument). */
function argLeaves(args: readonly PyTree[]): { leaves: NDArray[]; defs: TreeDef[] } {
  const leaves: NDArray[] = [];
  const defs: TreeDef[] = [];
  for (const a of args) {
    const f = treeFlatten(a);
    leaves.push(...f.leaves);
    defs.push(f.def);
  }
  return { leaves, defs };
}

/** Flattens a rule's per-argument results (null = zero for the whole argument) into one list of leaves. */
function flattenPerArg(
  op: string,
  results: readonly (PyTree | null | undefined)[],
  defs: readonly TreeDef[],
): (NDArray | null)[] {
  const out: (NDArray | null)[] = [];
  defs.forEach((def, i) => {
    const r = results[i];
    const n = treeSize(def);
    if (r === null || r === undefined) {
      for (let k = 0; k < n; k++) out.push(null);
      return;
    }
    const { leaves, def: got } = treeFlatten(r);
    if (!treeDefEqual(got, def)) {
      throw new ShapeError(
        op,
        `the rule's result for argument ${i} has structure ${describeTreeDef(got)} but the argument has ${describeTreeDef(def)}`,
      );
    }
    out.push(...leaves);
  });
  return out;
}

/** A pytree whose NDArray leaves are fresh aliases, so the custom step has outputs of its own. */
function aliasTree<T extends PyTree>(tree: T): T {
  return treeMap((leaf) => alias(leaf), tree);
}

/**
 * Gives `f` a hand-written reverse-mode rule: under `grad`/`vjp`, `f` is one step whose input cotangents are
 * `bwd(ct, output, ...args)` — one cotangent per argument, shaped like it (null = zero); `f`'s own ops are
 * not recorded. Arguments and the output may be pytrees of NDArrays: `ct` has the output's structure (zeros
 * for unused outputs). Use it for numerically better gradients, implicit functions or checkpointing.
 * Forward mode (`jvp`) differentiates `f` itself, and so does a reverse transform with a forward one inside
 * it (reverse-over-forward needs the internals). `bwd` must be written with differentiable ops to be
 * differentiated again.
 * @example
 * ```ts
 * // log(1 + eˣ) with the stable gradient σ(x)
 * const softplus = customVjp((x: NDArray) => log1p(exp(x)), (ct, _y, x) => [mul(ct, sigmoid(x))]);
 * // pytrees: an affine map of { w, b } returning { y, s }
 * const affine = customVjp(
 *   (p: { w: NDArray; b: NDArray }, x: NDArray) => ({ y: add(mul(p.w, x), p.b), s: sum(x) }),
 *   (ct, _out, p, x) => [{ w: mul(ct.y, x), b: ct.y }, add(mul(ct.y, p.w), ct.s)],
 * );
 * ```
 * @public
 */
export function customVjp<Args extends PyTree[], Out extends PyTree>(
  f: (...args: Args) => Out,
  bwd: (ct: Out, output: Out, ...args: Args) => readonly (PyTree | null)[],
): (...args: Args) => Out {
  return (...args: Args) => {
    const from = customRuleLevel('reverse');
    // fresh objects even when f returns an input, so the custom step has outputs of its own
    const out = hiddenFromKind('reverse', from, () => aliasTree(f(...args)));
    const { leaves: inputs, defs } = argLeaves(args);
    const { leaves: outputs, def: outDef } = treeFlatten(out);
    for (const t of activeTransforms()) {
      if (t instanceof Tape && t.level >= from)
        t.recordCustom(inputs, outputs, (cts) => {
          const ct = treeUnflatten<Out>(
            outDef,
            cts.map((c, i) => c ?? zerosLike(outputs[i]!)),
          );
          return flattenPerArg('customVjp', bwd(ct, out, ...args), defs);
        });
    }
    return out;
  };
}

/**
 * Gives `f` a hand-written forward-mode rule: under `jvp` (and `jacobian`/`hessian` in forward mode) the
 * output tangent is `fwd(tangents, output, ...args)`, where `tangents[i]` is shaped like argument i (zeros
 * for constant inputs) and the result is shaped like the output; arguments and output may be pytrees.
 * `f`'s own ops are not pushed forward. Reverse mode differentiates `f` itself, and so does a forward
 * transform with a reverse one inside it (forward-over-reverse Hessians need the internals).
 * @example
 * ```ts
 * const safeNorm = customJvp((x: NDArray) => norm(x), ([t], y, x) => div(sum(mul(x, t)), y));
 * ```
 * @public
 */
export function customJvp<Args extends PyTree[], Out extends PyTree>(
  f: (...args: Args) => Out,
  fwd: (tangents: Args, output: Out, ...args: Args) => Out,
): (...args: Args) => Out {
  return (...args: Args) => {
    const from = customRuleLevel('forward');
    const out = hiddenFromKind('forward', from, () => aliasTree(f(...args)));
    const { leaves: inputs, defs } = argLeaves(args);
    const { def: outDef, leaves: outputs } = treeFlatten(out);
    for (const t of activeTransforms()) {
      if (t instanceof Frame && t.level >= from) {
        t.recordCustom(inputs, outputs, (ts) => {
          let next = 0;
          const tangents = defs.map((def) =>
            treeUnflatten(
              def,
              Array.from({ length: treeSize(def) }, () => {
                const k = next++;
                return ts[k] ?? zerosLike(inputs[k]!);
              }),
            ),
          ) as unknown as Args;
          return flattenPerArg('customJvp', [fwd(tangents, out, ...args)], [outDef]);
        });
      }
    }
    return out;
  };
}
