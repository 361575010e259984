/**
 * The cache key of a staged call: what a trace depends on — the structure of the arguments (with the values
 * of their static scalars), each array leaf's shape, dtype and backend, and the static arguments. Two calls
 * with equal keys run the same program; anything else retraces.
 */
import type { NDArray } from '@sciml/linalg';
import type { TreeDef } from '../tree.js';

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

/** A stable text for one static argument: JSON for data, an identity number for functions and class instances. */
function staticKey(value: unknown): string {
  if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
    if (typeof value === 'object' && isJsonData(value)) return JSON.stringify(value);
    let id = functionIds.get(value);
    if (id === undefined) {
      id = nextFunctionId++;
      functionIds.set(value, id);
    }
    return `#${id}`;
  }
  return `${typeof value}:${String(value)}`;
}

function isJsonData(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  return Object.values(value).every(
    (v) =>
      v === null ||
      ['number', 'string', 'boolean', 'undefined'].includes(typeof v) ||
      (typeof v === 'object' && isJsonData(v)),
  );
}

/** The signature of a call with array leaves `leaves` of structure `def` and static arguments `statics`. */
export function signatureKey(
  def: TreeDef,
  leaves: readonly NDArray[],
  statics: readonly unknown[],
): string {
  const arrays = leaves.map((x) => `${x.dtype}[${x.shape.join(',')}]@${x.backend.name}`).join(';');
  return `${JSON.stringify(def)}|${arrays}|${statics.map(staticKey).join(';')}`;
}
