import { vjp } from '@sciml/autodiff';
import { fullGc as gc } from '@sciml/config/test-helpers';
import { type NDArray, array, mul, scalar, slice, square, stack, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';

type LorenzParams = { sigma: NDArray; rho: NDArray; beta: NDArray };
const lorenz = (_t: number, y: NDArray, p: LorenzParams): NDArray => {
  const x = slice(y, 0);
  const yy = slice(y, 1);
  const z = slice(y, 2);
  return stack([
    mul(p.sigma, sub(yy, x)),
    sub(mul(x, sub(p.rho, z)), yy),
    sub(mul(x, yy), mul(p.beta, z)),
  ]);
};
const params: LorenzParams = { sigma: scalar(10), rho: scalar(28), beta: scalar(8 / 3) };
const ts = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * Heap (bytes) retained between the forward pass and the pullback of a Lorenz loss with `steps` RK4 steps (a
 * full collection before each reading, so that the heap holds only what the pullback keeps alive).
 */
function retained(gradient: 'direct' | 'adjoint', steps: number): number {
  const loss = (p: LorenzParams, y: NDArray) =>
    sum(square(mul(odeint(lorenz, y, ts, p, { method: 'RK4', dt: 1 / steps, gradient }), 0.01)));
  gc();
  const before = process.memoryUsage().heapUsed;
  const [, pull] = vjp(loss, params, array([1, 1, 1]));
  gc();
  const held = process.memoryUsage().heapUsed - before;
  const [g] = pull(scalar(1)) as [LorenzParams, NDArray];
  expect(Number.isFinite(g.rho.item())).toBe(true);
  return held;
}

describe('odeint: memory of reverse mode', () => {
  it('the backsolve adjoint holds the same memory at 10² and 10⁴ steps; backprop grows with the steps', () => {
    const MB = 2 ** 20;
    const adjoint = [100, 1000, 10000].map((s) => retained('adjoint', s));
    const direct = [100, 1000].map((s) => retained('direct', s));
    // measured (bench, Node 20): adjoint 0.4 / 0.2 / 0.0 MB; direct 5.3 / 52.6 MB (519 MB at 10⁴ steps)
    for (const a of adjoint) expect(Math.abs(a) / MB).toBeLessThan(2);
    expect(Math.abs(adjoint[2] - adjoint[0]) / MB).toBeLessThan(2);
    expect(direct[1] / direct[0]).toBeGreaterThan(5);
    expect(direct[1] / MB).toBeGreaterThan(20);
  });
});
