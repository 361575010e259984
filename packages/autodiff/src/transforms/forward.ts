/**
 * Forward-mode transform: `jvp` (the pushforward).
 */
import { ShapeError, formatShape, isFloat, shapesEqual } from '@sciml/linalg';
import { zerosLike } from '../rules/util.js';
import { Frame } from '../trace/frame.js';
import { nextLevel, withTransform } from '../trace/levels.js';
import { watchArgs } from '../trace/trace.js';
import { type PyTree, describeTreeDef, treeDefEqual, treeFlatten, treeUnflatten } from '../tree.js';

/**
 * Evaluates `f` at `primals` and its directional derivative J·v along `tangents` (same structure as the
 * primals): returns `[output, outputTangent]` (JAX's `jvp`). Cost: about one extra evaluation of `f`.
 * Integer and bool leaves of the primals are constants; their tangents are ignored.
 * @example
 * ```ts
 * const [y, dy] = jvp((x) => sin(x), [x], [onesLike(x)]); // dy = cos(x)
 * ```
 * @public
 */
export function jvp<Args extends unknown[], Out extends PyTree>(
  f: (...args: Args) => Out,
  primals: Args,
  tangents: Args,
): [Out, Out] {
  return jvpAs('jvp', f, primals, tangents);
}

/** `jvp` on behalf of the public transform `op` (`jacobian`, `hessian`), which errors then name. */
export function jvpAs<Args extends unknown[], Out extends PyTree>(
  op: string,
  f: (...args: Args) => Out,
  primals: Args,
  tangents: Args,
): [Out, Out] {
  if (primals.length !== tangents.length) {
    throw new ShapeError(op, `got ${primals.length} primals but ${tangents.length} tangents`);
  }
  const argnums = primals.map((_, i) => i);
  const watched = watchArgs(op, primals, argnums, 'constant');
  const frame = new Frame(nextLevel(), op);
  const { leaves: tLeaves, def: tDef } = treeFlatten(tangents as PyTree);
  const { leaves: pLeaves, def: pDef } = treeFlatten(primals as PyTree);
  if (!treeDefEqual(tDef, pDef)) {
    throw new ShapeError(
      op,
      `tangents have structure ${describeTreeDef(tDef)} but primals have ${describeTreeDef(pDef)}`,
    );
  }
  watched.leaves.forEach((x, i) => {
    const t = tLeaves[i]!;
    if (!isFloat(x.dtype)) return;
    if (!shapesEqual(t.shape, x.shape) || t.dtype !== x.dtype) {
      throw new ShapeError(
        op,
        `tangent ${i} is ${formatShape(t.shape)} ${t.dtype} but its primal is ${formatShape(pLeaves[i]!.shape)} ${x.dtype}; they must match`,
      );
    }
    frame.seed(x, t);
  });
  const out = withTransform(frame, () => f(...(watched.args as Args)));
  const { leaves, def } = treeFlatten(out);
  const outTangents = leaves.map((y) => frame.tangent(y) ?? zerosLike(y));
  return [out, treeUnflatten<Out>(def, outTangents)];
}
