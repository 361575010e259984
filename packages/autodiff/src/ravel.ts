/**
 * `ravelPytree`: a pytree of arrays as one flat vector and back (JAX's `jax.flatten_util.ravel_pytree`), so
 * methods written for vectors (L-BFGS, Levenberg–Marquardt, FISTA) optimise a network's parameters
 * unchanged. Both directions are built from linalg ops (reshape, concat, slice, cast), so they run on the
 * tree's backend and differentiate.
 */
import {
  DTypeError,
  type FloatDType,
  type NDArray,
  ShapeError,
  astype,
  concat,
  defaultFloatDType,
  formatShape,
  isFloat,
  reshape,
  slice,
  zeros,
} from '@sciml/linalg';
import { type PyTree, describeTreeDef, treeFlatten, treeUnflatten } from './tree.js';

/** Rebuilds a pytree from a flat vector (the second half of `ravelPytree`'s result). @public */
export type Unravel<T extends PyTree> = (vector: NDArray) => T;

/** The float dtype of a flat vector holding these leaves: float64 if any leaf is float64, else float32. */
function vectorDType(leaves: readonly NDArray[]): FloatDType {
  if (leaves.length === 0) return defaultFloatDType();
  for (const l of leaves) {
    if (!isFloat(l.dtype)) {
      throw new DTypeError(
        'ravelPytree',
        `leaf ${formatShape(l.shape)} is ${l.dtype}; only float leaves ravel into a parameter vector (keep integer data out of the tree, e.g. as a closure)`,
      );
    }
  }
  return leaves.some((l) => l.dtype === 'float64') ? 'float64' : 'float32';
}

/**
 * Flattens the NDArray leaves of `tree` (in `treeFlatten` order) into one 1-D vector, and returns it with
 * the inverse: `unravel(v)` cuts a vector of the same length back into a tree of the same structure, shapes
 * and dtypes. The vector is float64 when any leaf is, else float32, and lives on the leaves' backend.
 * @example
 * ```ts
 * const [v, unravel] = ravelPytree({ W: zeros([2, 3]), b: [ones([3])] }); // v has 9 entries: b first
 * const tree = unravel(v); // { W: (2, 3), b: [(3,)] }
 * ```
 * @public
 */
export function ravelPytree<T extends PyTree>(tree: T): [NDArray, Unravel<T>] {
  const { leaves, def } = treeFlatten(tree);
  const dtype = vectorDType(leaves);
  const shapes = leaves.map((l) => l.shape);
  const dtypes = leaves.map((l) => l.dtype);
  const sizes = leaves.map((l) => l.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const vector =
    leaves.length === 0
      ? zeros([0], { dtype })
      : concat(leaves.map((l) => reshape(astype(l, dtype), [l.size])));
  const unravel: Unravel<T> = (v) => {
    if (v.ndim !== 1 || v.size !== total) {
      throw new ShapeError(
        'unravel',
        `expected a vector of ${total} entries for the tree ${describeTreeDef(def)}, got shape ${formatShape(v.shape)}`,
      );
    }
    let offset = 0;
    const parts = sizes.map((n, i) => {
      const part = reshape(slice(v, { start: offset, stop: offset + n }), shapes[i]!);
      offset += n;
      return astype(part, dtypes[i]!);
    });
    return treeUnflatten<T>(def, parts);
  };
  return [vector, unravel];
}
