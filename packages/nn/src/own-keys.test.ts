// User-keyed records use own properties only (issue 26): names like `__proto__` and `constructor` are
// ordinary keys, never Object.prototype's members.
import { array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { earlyStopping } from './train/callbacks.js';
import { mapWithPath, namedLeaves } from './tree-paths.js';

describe("names after Object.prototype's members", () => {
  it('stay own keys of a parameter tree mapped by path', () => {
    const tree = JSON.parse('{"__proto__": 0, "toString": 1}') as Record<string, unknown>;
    const leaves = [array([1]), array([2])];
    for (const [k, i] of Object.entries(tree))
      Object.defineProperty(tree, k, { value: leaves[i as number], enumerable: true });
    const mapped = mapWithPath(tree as never, (_path, leaf) => leaf) as Record<string, unknown>;
    // before: the prototype of the result became the `__proto__` leaf
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(Object.keys(mapped)).toEqual(['__proto__', 'toString']);
    expect([...namedLeaves(tree as never).keys()]).toEqual(['__proto__', 'toString']);
  });

  it('earlyStopping monitoring a name that is not logged says so, even for `constructor`', () => {
    // before: logs['constructor'] was Object, and early stopping compared a function with numbers
    const cb = earlyStopping({ monitor: 'constructor', patience: 1 });
    cb.onTrainBegin?.({ epochs: 2, stepsPerEpoch: 1 });
    const control = { stop() {}, params: {}, setParams() {} };
    expect(() => cb.onEpochEnd!(0, { loss: 1 }, control)).toThrow(
      /monitors 'constructor', which is not logged/,
    );
  });
});
