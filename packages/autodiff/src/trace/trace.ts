/**
 * Running a function under a transform: fresh aliases for the differentiated inputs, then the function with
 * the transform's observer installed.
 *
 * Why aliases: a transform differentiates with respect to *its* arguments. If the caller passes an array that
 * the function also captures (`grad((y) => mul(y, x))(x)`), or the same array is watched by an outer and an
 * inner transform, an identity set keyed on the caller's object would mix the two up (perturbation
 * confusion). Each transform therefore watches a new NDArray object for each argument leaf — a same-shape
 * `reshape`, which shares storage and which outer transforms see as an ordinary op.
 */
import {
  type NDArray,
  DTypeError,
  ShapeError,
  ValueError,
  assertFinite,
  bind,
  describeValue,
  formatShape,
  isFloat,
} from '@sciml/linalg';
import { type PyTree, type TreeDef, treeFlatten, treeUnflatten } from '../tree.js';

/** A new array object for `x` (storage shared), connected to `x` for every active transform. */
export function alias(x: NDArray): NDArray {
  return bind('reshape', [x], { shape: x.shape })[0]!;
}

/** The differentiated arguments of a call: their leaves (aliased) and structures. */
export interface Watched {
  /** Arguments with the selected ones replaced by their aliased copies. */
  readonly args: unknown[];
  /** Leaves of the selected arguments, in order (float leaves aliased). */
  readonly leaves: NDArray[];
  /** Per selected argument: its structure and how many leaves it has. */
  readonly parts: readonly { readonly def: TreeDef; readonly count: number }[];
}

/** A number, or a (nested) JS/typed array of numbers: what a user passes where an NDArray was meant. */
function looksNumeric(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (ArrayBuffer.isView(v)) return true;
  return (
    Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number' || looksNumeric(e))
  );
}

/** Normalises `argnums` (a number or a list) against the number of arguments. */
export function resolveArgnums(
  op: string,
  argnums: number | readonly number[],
  nargs: number,
): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  return list.map((a) => {
    const k = a < 0 ? a + nargs : a;
    if (!Number.isInteger(k) || k < 0 || k >= nargs) {
      throw new ShapeError(op, `argnums ${a} is out of range for a call with ${nargs} arguments`);
    }
    return k;
  });
}

/**
 * Aliases the float leaves of the selected arguments. Integer and bool leaves are constants: an error for
 * `grad` (`intLeaves: 'error'`), kept as they are (zero cotangent, tangent ignored) for `vjp`/`jvp`.
 */
export function watchArgs(
  op: string,
  args: readonly unknown[],
  argnums: readonly number[],
  intLeaves: 'error' | 'constant' = 'error',
): Watched {
  const out = [...args];
  const leaves: NDArray[] = [];
  const parts = argnums.map((k) => {
    const { leaves: ls, def } = treeFlatten(args[k] as PyTree);
    if (ls.length === 0 && looksNumeric(args[k])) {
      // a plain number or JS array would reach the first op as a non-array: say so here, in our own name
      throw new ValueError(
        op,
        `argument ${k} must be an NDArray or a pytree of NDArrays, got ${describeValue(args[k])}; convert numbers with array(...) from @sciml/linalg`,
      );
    }
    const aliased = ls.map((x, i) => {
      if (!isFloat(x.dtype)) {
        if (intLeaves === 'constant') return x;
        throw new DTypeError(
          op,
          `argument ${k} has a ${x.dtype} leaf of shape ${formatShape(x.shape)}; only float arrays can be differentiated (pass integer data as another argument)`,
        );
      }
      // the non-finite-input policy (linalg's assertFinite): derivatives are taken at finite points only
      assertFinite(op, ls.length > 1 ? `argument ${k} (leaf ${i})` : `argument ${k}`, x);
      return alias(x);
    });
    out[k] = treeUnflatten(def, aliased);
    leaves.push(...aliased);
    return { def, count: aliased.length };
  });
  return { args: out, leaves, parts };
}

/** Splits a flat list of per-leaf results back into one pytree per selected argument. */
export function unflattenParts<T>(parts: Watched['parts'], flat: readonly unknown[]): T[] {
  let offset = 0;
  return parts.map(({ def, count }) => {
    const tree = treeUnflatten<T>(def, flat.slice(offset, offset + count));
    offset += count;
    return tree;
  });
}
