/**
 * A training loop of 10 000 gradient steps must not grow memory: each tape is released when its backward pass
 * ends, and nothing of a step outlives it.
 */
import { fullGc as gc } from '@sciml/config/test-helpers';
import { type NDArray, add, matmul, mean, mul, sub, tanh } from '@sciml/linalg';
import { expect, it } from 'vitest';
import { uniform } from './test-utils/random.js';
import { valueAndGrad } from './transforms/reverse.js';
import { treeMap } from './tree.js';

it('10 000 gradient steps keep the heap flat (tapes are freed)', () => {
  let params = {
    w1: uniform([2, 8], -1, 1, 1),
    b1: uniform([8], -0.1, 0.1, 2),
    w2: uniform([8, 1], -1, 1, 3),
  };
  const x = uniform([16, 2], -1, 1, 4);
  const y = uniform([16, 1], -1, 1, 5);
  type P = typeof params;
  const loss = (p: P) => {
    const r = sub(matmul(tanh(add(matmul(x, p.w1), p.b1)), p.w2), y);
    return mean(mul(r, r));
  };
  const step = valueAndGrad(loss);
  const run = (n: number): number => {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const [value, g] = step(params);
      params = treeMap((p: NDArray, d: NDArray) => sub(p, mul(d, 0.05)), params, g);
      last = value.item();
    }
    return last;
  };
  const first = run(1000);
  gc();
  const before = process.memoryUsage().heapUsed;
  const last = run(9000);
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(last).toBeLessThan(first);
  // a leaked tape per step would hold ~30 arrays, i.e. megabytes over 9 000 steps
  expect(after - before).toBeLessThan(2 * 1024 * 1024);
});
