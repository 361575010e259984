// Pytree leaves with their dotted PyTorch-style names (`layers.0.weight`): the names of state dicts,
// checkpoints and regulariser filters. Unlike a flatten/unflatten round trip through names, mapping with a
// path keeps the tree's exact structure (empty `{}` entries of parameter-free layers included).
import type { PyTree } from '@sciml/autodiff';
import { NDArray, ValueError } from '@sciml/linalg';

/** Maps every NDArray leaf of `tree` with its dotted name; other leaves (numbers, strings) are kept. @public */
export function mapWithPath<T extends PyTree>(
  tree: T,
  fn: (path: string, leaf: NDArray) => NDArray,
  prefix = '',
): T {
  const walk = (node: PyTree, path: string): PyTree => {
    if (node instanceof NDArray) return fn(path, node);
    if (node === null || typeof node !== 'object') return node;
    const join = (k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);
    if (Array.isArray(node)) return node.map((c: PyTree, i) => walk(c, join(i)));
    const out: Record<string, PyTree> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k.includes('.'))
        throw new ValueError(
          'mapWithPath',
          `key '${k}' contains '.', which state-dict names reserve`,
        );
      // defineProperty, not `out[k] =`: a key named `__proto__` must stay an own key
      Object.defineProperty(out, k, {
        value: walk(v as PyTree, join(k)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(tree, prefix) as T;
}

/** The leaves of a pytree by dotted name, in the tree's key order (a PyTorch `state_dict`). @public */
export function namedLeaves(tree: PyTree, prefix = ''): Map<string, NDArray> {
  const out = new Map<string, NDArray>();
  mapWithPath(
    tree,
    (path, leaf) => {
      out.set(path, leaf);
      return leaf;
    },
    prefix,
  );
  return out;
}
