/**
 * User-defined derivatives: `stopGradient`, `customVjp` and `customJvp`.
 */
import { type NDArray, isFloat } from '@sciml/linalg';
import { zerosLike } from '../rules/util.js';
import { Frame } from '../trace/frame.js';
import { activeTransforms, customRuleLevel, hiddenFrom, hiddenFromKind } from '../trace/levels.js';
import { Tape } from '../trace/tape.js';
import { alias } from '../trace/trace.js';
import { type PyTree, treeMap } from '../tree.js';

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

/**
 * Gives `f` a hand-written reverse-mode rule: under `grad`/`vjp`, `f` is one step whose input cotangents are
 * `bwd(ct, output, ...args)` (null = zero); `f`'s own ops are not recorded. Use it for numerically better
 * gradients, implicit functions or checkpointing. Forward mode (`jvp`) differentiates `f` itself, and so
 * does a reverse transform with a forward one inside it (reverse-over-forward needs the internals).
 * `bwd` must be written with differentiable ops to be differentiated again.
 * @example
 * ```ts
 * // log(1 + eˣ) with the stable gradient σ(x)
 * const softplus = customVjp((x: NDArray) => log1p(exp(x)), (ct, _y, x) => [mul(ct, sigmoid(x))]);
 * ```
 * @public
 */
export function customVjp<Args extends NDArray[]>(
  f: (...args: Args) => NDArray,
  bwd: (ct: NDArray, output: NDArray, ...args: Args) => readonly (NDArray | null)[],
): (...args: Args) => NDArray {
  return (...args: Args) => {
    // a fresh object even when f returns an input, so the custom step has an output of its own
    const from = customRuleLevel('reverse');
    const out = hiddenFromKind('reverse', from, () => alias(f(...args)));
    for (const t of activeTransforms()) {
      if (t instanceof Tape && t.level >= from)
        t.recordCustom(args, [out], ([ct]) => bwd(ct!, out, ...args));
    }
    return out;
  };
}

/**
 * Gives `f` a hand-written forward-mode rule: under `jvp` (and `jacobian`/`hessian` in forward mode) the
 * output tangent is `fwd(tangents, output, ...args)` (tangents of constant inputs are zeros); `f`'s own ops
 * are not pushed forward. Reverse mode differentiates `f` itself, and so does a forward transform with a
 * reverse one inside it (forward-over-reverse Hessians need the internals).
 * @example
 * ```ts
 * const safeNorm = customJvp((x: NDArray) => norm(x), ([t], y, x) => div(sum(mul(x, t)), y));
 * ```
 * @public
 */
export function customJvp<Args extends NDArray[]>(
  f: (...args: Args) => NDArray,
  fwd: (tangents: NDArray[], output: NDArray, ...args: Args) => NDArray,
): (...args: Args) => NDArray {
  return (...args: Args) => {
    const from = customRuleLevel('forward');
    const out = hiddenFromKind('forward', from, () => alias(f(...args)));
    for (const t of activeTransforms()) {
      if (t instanceof Frame && t.level >= from) {
        t.recordCustom(args, [out], (ts) => [
          fwd(
            ts.map((x, i) => x ?? zerosLike(args[i]!)),
            out,
            ...args,
          ),
        ]);
      }
    }
    return out;
  };
}
