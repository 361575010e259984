/**
 * Pytrees: nested plain objects and arrays whose leaves are NDArrays. Parameters, gradients and optimiser
 * states are pytrees, so layers and optimisers need no parameter class (as in JAX's `jax.tree_util`).
 *
 * Numbers, strings, booleans, `null` and `undefined` inside a tree are static: kept in its structure, never
 * leaves. Object keys are visited in sorted order, so two trees with the same keys flatten alike whatever
 * order their keys were written in.
 */
import { NDArray, ShapeError, ValueError } from '@sciml/linalg';

/** A nested structure of plain objects and arrays with NDArray leaves (and static scalars). @public */
export type PyTree =
  | NDArray
  | number
  | string
  | boolean
  | null
  | undefined
  | readonly PyTree[]
  | { readonly [key: string]: PyTree };

/** The structure of a pytree without its leaves: what `treeUnflatten` needs to rebuild it. @public */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'static'; readonly value: number | string | boolean | null | undefined }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | {
      readonly kind: 'object';
      readonly keys: readonly string[];
      readonly children: readonly TreeDef[];
    };

const LEAF: TreeDef = Object.freeze({ kind: 'leaf' });

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function flattenInto(tree: unknown, leaves: NDArray[], path: string): TreeDef {
  if (tree instanceof NDArray) {
    leaves.push(tree);
    return LEAF;
  }
  if (tree === null || tree === undefined || typeof tree !== 'object') {
    if (typeof tree === 'function' || typeof tree === 'symbol' || typeof tree === 'bigint') {
      throw new ValueError(
        'treeFlatten',
        `unsupported ${typeof tree} at ${path || 'the root'}; pytrees hold NDArrays, plain objects, arrays and scalars`,
      );
    }
    return { kind: 'static', value: tree as number | string | boolean | null | undefined };
  }
  if (Array.isArray(tree)) {
    return { kind: 'array', children: tree.map((c, i) => flattenInto(c, leaves, `${path}[${i}]`)) };
  }
  if (!isPlainObject(tree)) {
    throw new ValueError(
      'treeFlatten',
      `${tree.constructor?.name ?? 'object'} at ${path || 'the root'} is not a plain object; pytrees hold NDArrays, plain objects, arrays and scalars`,
    );
  }
  const keys = Object.keys(tree).sort();
  const record = tree as Record<string, unknown>;
  return {
    kind: 'object',
    keys,
    children: keys.map((k) => flattenInto(record[k], leaves, `${path}.${k}`)),
  };
}

/**
 * Splits a pytree into its NDArray leaves (depth-first, object keys sorted) and its structure.
 * @example
 * ```ts
 * const { leaves, def } = treeFlatten({ w: W, layers: [{ b }] }); // leaves = [b, W]
 * ```
 * @public
 */
export function treeFlatten(tree: PyTree): { leaves: NDArray[]; def: TreeDef } {
  const leaves: NDArray[] = [];
  const def = flattenInto(tree, leaves, '');
  return { leaves, def };
}

/** The NDArray leaves of a pytree, in `treeFlatten` order. @public */
export function treeLeaves(tree: PyTree): NDArray[] {
  return treeFlatten(tree).leaves;
}

/** Number of leaves a structure holds. @public */
export function treeSize(def: TreeDef): number {
  if (def.kind === 'leaf') return 1;
  if (def.kind === 'static') return 0;
  let n = 0;
  for (const c of def.children) n += treeSize(c);
  return n;
}

/**
 * Rebuilds a pytree of structure `def` from leaves (any values: NDArrays, or e.g. numbers for a report).
 * @public
 */
export function treeUnflatten<T = PyTree>(def: TreeDef, leaves: readonly unknown[]): T {
  const expected = treeSize(def);
  if (leaves.length !== expected) {
    throw new ShapeError(
      'treeUnflatten',
      `the structure has ${expected} leaves but ${leaves.length} were given`,
    );
  }
  let next = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        return leaves[next++];
      case 'static':
        return d.value;
      case 'array':
        return d.children.map(build);
      case 'object': {
        // defineProperty, not `out[k] =`: a key named `__proto__` must stay an own key, not set the prototype
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, i) => {
          Object.defineProperty(out, k, {
            value: build(d.children[i]!),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        });
        return out;
      }
    }
  };
  return build(def) as T;
}

/** True when two structures are identical (same containers, keys, static values and leaf positions). @public */
export function treeDefEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  if (a.kind === 'static') return a.value === (b as typeof a).value;
  const bc = b as typeof a;
  if (a.children.length !== bc.children.length) return false;
  if (a.kind === 'object') {
    const bk = (b as typeof a).keys;
    if (a.keys.some((k, i) => k !== bk[i])) return false;
  }
  return a.children.every((c, i) => treeDefEqual(c, bc.children[i]!));
}

/** A short description of a structure for error messages, e.g. `{b: *, w: [*, *]}`. */
export function describeTreeDef(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return '*';
    case 'static':
      return JSON.stringify(def.value) ?? 'undefined';
    case 'array':
      return `[${def.children.map(describeTreeDef).join(', ')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${k}: ${describeTreeDef(def.children[i]!)}`).join(', ')}}`;
  }
}

/**
 * Applies `fn` to corresponding leaves of one or more pytrees of the same structure and returns a pytree of
 * the results: `treeMap((p, g) => sub(p, mul(lr, g)), params, grads)` is one gradient-descent step.
 * @public
 */
export function treeMap<T extends PyTree>(
  fn: (...leaves: NDArray[]) => NDArray,
  tree: T,
  ...rest: PyTree[]
): T {
  const { leaves, def } = treeFlatten(tree);
  const others = rest.map((r, i) => {
    const f = treeFlatten(r);
    if (!treeDefEqual(def, f.def)) {
      throw new ShapeError(
        'treeMap',
        `tree ${i + 1} has structure ${describeTreeDef(f.def)} but the first has ${describeTreeDef(def)}`,
      );
    }
    return f.leaves;
  });
  return treeUnflatten<T>(
    def,
    leaves.map((leaf, j) => fn(leaf, ...others.map((o) => o[j]!))),
  );
}
