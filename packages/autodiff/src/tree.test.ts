import { array, mul, NDArray, sub } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  type PyTree,
  treeDefEqual,
  treeFlatten,
  treeLeaves,
  treeMap,
  treeSize,
  treeUnflatten,
} from './tree.js';

describe('pytrees', () => {
  const a = array([1]);
  const b = array([2]);
  const c = array([3]);
  it('flatten in sorted-key depth-first order and rebuild the same structure', () => {
    const tree = { w: a, layers: [{ b, n: 4 }, c], name: 'mlp', none: null };
    const { leaves, def } = treeFlatten(tree);
    expect(leaves).toEqual([b, c, a]);
    expect(treeSize(def)).toBe(3);
    const back = treeUnflatten<typeof tree>(def, leaves);
    expect(back).toEqual(tree);
    expect(back.layers[0]).not.toBe(tree.layers[0]);
    expect(treeLeaves({ y: a, x: b })).toEqual([b, a]);
    expect(treeDefEqual(treeFlatten({ x: a, y: b }).def, treeFlatten({ y: c, x: a }).def)).toBe(
      true,
    );
    expect(treeDefEqual(treeFlatten([a, b]).def, treeFlatten([a]).def)).toBe(false);
  });
  it("keys named after Object.prototype's members stay own keys through flatten and unflatten", () => {
    const tree: Record<string, PyTree> = {};
    for (const [k, v] of [
      ['__proto__', a],
      ['constructor', b],
      ['toString', c],
    ] as const)
      Object.defineProperty(tree, k, { value: v, enumerable: true });
    const { leaves, def } = treeFlatten(tree);
    expect(leaves).toEqual([a, b, c]);
    const back = treeUnflatten<Record<string, unknown>>(def, leaves);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype); // before: the prototype became `a`
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')!.value).toBe(a);
  });
  it('map over several trees (one SGD step)', () => {
    const params = { w: array([1, 2]), b: [array([3])] };
    const grads = { w: array([10, 10]), b: [array([-10])] };
    const next = treeMap((p, g) => sub(p, mul(g, 0.1)), params, grads);
    expect(next.w.toNested()).toEqual([0, 1]);
    expect(next.b[0]!.toNested()).toEqual([4]);
    expect(next.b[0]).toBeInstanceOf(NDArray);
  });
  it('reject mismatched structures and non-plain objects with typed errors', () => {
    expect(() => treeMap((p) => p, { w: a }, { v: a })).toThrow(/structure/);
    expect(() => treeFlatten({ m: new Map() } as never)).toThrow(/not a plain object/);
    expect(() => treeUnflatten(treeFlatten([a, b]).def, [a])).toThrow(/2 leaves/);
  });
});
