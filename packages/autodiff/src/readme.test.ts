// The README's example, run as written.
import {
  type NDArray,
  add,
  array,
  matmul,
  mean,
  mul,
  reshape,
  scalar,
  square,
  sub,
  sum,
  tanh,
} from '@sciml/linalg';
import { expect, it } from 'vitest';
import { grad, hessian, jit, makeJaxpr, scan, treeMap, valueAndGrad, vmap } from './index.js';

it('README example', () => {
  const f = (x: NDArray) => sum(mul(x, mul(x, x))); // Σ xᵢ³
  expect(grad(f)(array([1, 2])).toNested()).toEqual([3, 12]);
  expect(hessian(f)(array([1, 2])).toNested()).toEqual([
    [6, 0],
    [0, 12],
  ]);

  const params = { w: array([[0.5], [-0.3]]) };
  const loss = (p: typeof params, x: NDArray, y: NDArray) =>
    mean(square(sub(tanh(matmul(x, p.w)), y)));
  const [value, g] = valueAndGrad(loss)(params, array([[1, 2]]), array([[0.1]]));
  const next = treeMap((p, d) => sub(p, mul(d, 0.1)), params, g);
  const z = Math.tanh(-0.1);
  expect(value.item()).toBeCloseTo((z - 0.1) ** 2, 14);
  const dz = 2 * (z - 0.1) * (1 - z * z);
  const w = next.w.dataSync();
  expect(w[0]).toBeCloseTo(0.5 - 0.1 * dz, 14);
  expect(w[1]).toBeCloseTo(-0.3 - 0.1 * dz * 2, 14);
});

it('README jit/vmap/scan example', () => {
  const w = array([[0.5], [-0.3]]);
  const loss = (p: NDArray, x: NDArray, y: NDArray) =>
    mean(square(sub(tanh(matmul(reshape(x, [1, 2]), p)), y)));
  const xs = array([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const ys = array([[0.1], [0.2], [0.3]]);
  const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys);
  expect(perExample.shape).toEqual([3, 2, 1]);
  const step = jit((p: NDArray, x: NDArray, y: NDArray) => sub(p, mul(grad(loss)(p, x, y), 0.1)));
  const next = step(w, array([1, 2]), array([0.1]));
  expect(next.toNested()).toEqual(
    sub(w, mul(grad(loss)(w, array([1, 2]), array([0.1])), 0.1)).toNested(),
  );
  step(w, array([3, 4]), array([0.2]));
  expect(step.stats.traces).toBe(1);
  expect(String(makeJaxpr((x: NDArray) => tanh(add(mul(x, 2), 1)))(array([1, 2])))).toContain(
    'tanh',
  );
  const [total, partial] = scan(
    (c: NDArray, x: NDArray) => [add(c, x), add(c, x)] as const,
    scalar(0),
    array([1, 2, 3]),
  );
  expect(total.item()).toBe(6);
  expect(partial!.toNested()).toEqual([1, 3, 6]);
});
