// Nested objects and arrays of NDArray (pytrees) to flat, dotted names and back, as in PyTorch's
// state_dict ('encoder.layers.0.weight'), so weights move between a model's parameters and a file.
import { NDArray, ValueError } from '@sciml/linalg';

/**
 * A nested structure of arrays: the parameter layout @sciml models use.
 * @public
 */
export type ArrayTree = NDArray | readonly ArrayTree[] | { readonly [key: string]: ArrayTree };

/**
 * Flattens a pytree into `name → array` with path segments joined by `separator` (default `'.'`).
 * @example `flattenTree({ layer: [{ w, b }] })` → `Map { 'layer.0.w' → w, 'layer.0.b' → b }`
 * @public
 */
export function flattenTree(tree: ArrayTree, separator = '.'): Map<string, NDArray> {
  const out = new Map<string, NDArray>();
  const walk = (node: ArrayTree, path: string[]): void => {
    if (node instanceof NDArray) {
      out.set(path.join(separator), node);
      return;
    }
    if (node === null || typeof node !== 'object') {
      throw new ValueError(
        'flattenTree',
        `leaf at '${path.join(separator)}' is ${String(node)}, not an NDArray`,
      );
    }
    const items = Array.isArray(node)
      ? node.map((v, i) => [String(i), v] as const)
      : Object.entries(node);
    for (const [key, value] of items) {
      if (key.includes(separator)) {
        throw new ValueError(
          'flattenTree',
          `key '${key}' contains the separator '${separator}'; choose another separator`,
        );
      }
      walk(value as ArrayTree, [...path, key]);
    }
  };
  walk(tree, []);
  return out;
}

type MutableNode = Map<string, MutableNode | NDArray>;

/**
 * Rebuilds a pytree from dotted names: segments `0..n−1` at one level become an array, others object keys.
 * The inverse of {@link flattenTree}. Keys are defined as own data properties, never through `__proto__`.
 * @public
 */
export function unflattenTree(flat: ReadonlyMap<string, NDArray>, separator = '.'): ArrayTree {
  const root: MutableNode = new Map();
  for (const [name, value] of flat) {
    const parts = name.split(separator);
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const child = node.get(parts[i]!);
      if (child instanceof NDArray) {
        throw new ValueError(
          'unflattenTree',
          `'${parts.slice(0, i + 1).join(separator)}' is both an array and a prefix of '${name}'`,
        );
      }
      const next: MutableNode = child ?? new Map();
      node.set(parts[i]!, next);
      node = next;
    }
    const leaf = parts[parts.length - 1]!;
    if (node.has(leaf))
      throw new ValueError(
        'unflattenTree',
        `'${name}' is both an array and a prefix of another name`,
      );
    node.set(leaf, value);
  }
  if (root.size === 1 && root.has('') && root.get('') instanceof NDArray)
    return root.get('') as NDArray;
  return build(root);
}

function build(node: MutableNode | NDArray): ArrayTree {
  if (node instanceof NDArray) return node;
  const keys = [...node.keys()];
  // a level is a list when its keys are exactly 0..n−1 (in any order)
  const isList =
    keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < keys.length);
  if (isList) return keys.map((_, i) => build(node.get(String(i))!));
  const obj: Record<string, ArrayTree> = {};
  for (const k of keys) {
    Object.defineProperty(obj, k, {
      value: build(node.get(k)!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return obj;
}
