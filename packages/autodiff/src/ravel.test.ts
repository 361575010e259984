import {
  DTypeError,
  type NDArray,
  ShapeError,
  array,
  arange,
  matmul,
  mul,
  reshape,
  sin,
  sum,
  zeros,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { ravelPytree } from './ravel.js';
import { grad } from './transforms/reverse.js';
import { treeLeaves } from './tree.js';

describe('ravelPytree', () => {
  const tree = {
    W: reshape(arange(6), [2, 3]),
    layers: [{ b: array([10, 11]) }, 'static', 3],
    a: array(7),
  };

  it('concatenates the leaves in treeFlatten order and unravels to the same tree', () => {
    const [v, unravel] = ravelPytree(tree);
    expect(v.shape).toEqual([9]);
    // sorted keys: W, a, layers
    expect(v.toNested()).toEqual([0, 1, 2, 3, 4, 5, 7, 10, 11]);
    const back = unravel(mul(v, 2));
    expect(back.W.toNested()).toEqual([
      [0, 2, 4],
      [6, 8, 10],
    ]);
    expect(back.a.shape).toEqual([]);
    expect(back.a.item()).toBe(14);
    expect((back.layers[0] as { b: NDArray }).b.toNested()).toEqual([20, 22]);
    expect(back.layers.slice(1)).toEqual(['static', 3]);
  });

  it('uses float64 when any leaf is float64 and restores each leaf dtype', () => {
    const mixed = { x: array([1.5], { dtype: 'float32' }), y: array([2.25]) };
    const [v, unravel] = ravelPytree(mixed);
    expect(v.dtype).toBe('float64');
    const back = unravel(v);
    expect([back.x.dtype, back.y.dtype]).toEqual(['float32', 'float64']);
    const [v32] = ravelPytree({ x: array([1], { dtype: 'float32' }) });
    expect(v32.dtype).toBe('float32');
  });

  it('rejects vectors of the wrong length and integer leaves with typed errors', () => {
    const [, unravel] = ravelPytree(tree);
    expect(() => unravel(zeros([8]))).toThrow(ShapeError);
    expect(() => unravel(zeros([8]))).toThrow(/9 entries/);
    expect(() => ravelPytree({ i: array([1], { dtype: 'int32' }) })).toThrow(DTypeError);
    const [empty, unravelEmpty] = ravelPytree({ n: 1 });
    expect(empty.shape).toEqual([0]);
    expect(unravelEmpty(empty)).toEqual({ n: 1 });
  });

  it('differentiates: the gradient through unravel is the raveled tree gradient', () => {
    const params = {
      W: array([
        [0.3, -0.2],
        [0.1, 0.4],
      ]),
      b: array([0.5, -1]),
    };
    const x = array([
      [1, 2],
      [-1, 0.5],
      [0.3, 0.7],
    ]);
    const loss = (p: typeof params) => sum(sin(mul(matmul(x, p.W), p.b)));
    const [v, unravel] = ravelPytree(params);
    const gFlat = grad((u: NDArray) => loss(unravel(u)))(v);
    const gTree = grad(loss)(params);
    const [expected] = ravelPytree(gTree);
    expect(Array.from(gFlat.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(treeLeaves(gTree)).toHaveLength(2);
  });
});
