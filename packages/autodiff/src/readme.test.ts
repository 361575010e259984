// The README's example, run as written.
import { type NDArray, array, matmul, mean, mul, square, sub, sum, tanh } from '@sciml/linalg';
import { expect, it } from 'vitest';
import { grad, hessian, treeMap, valueAndGrad } from './index.js';

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
