/**
 * `update(params, grads, state, { donate: true })`: on the CPU the compiled leaf update writes the new
 * parameter and slots into the given-up memory — the numbers of the plain update, bit for bit — and the
 * given-up arrays are invalid afterwards.
 */
import { type NDArray, array, mul } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { adam } from './adaptive.js';
import type { GradientOptimizer, OptimizerState } from './optimizer.js';
import { sgd } from './sgd.js';

/** ½ Σ λᵢ wᵢ² over two leaves: gradients λ ⊙ w, each a fresh array the caller may give up. */
const lambdas = array([1, 3, 10, 0.5]);
const gradient = (p: { w: NDArray; b: NDArray }) => ({ w: mul(lambdas, p.w), b: mul(p.b, 2) });
const start = () => ({ w: mul(array([1, -1, 0.5, 2]), 1), b: mul(array([0.3, -0.2]), 1) });

function run(opt: GradientOptimizer, donate: boolean, steps: number) {
  let params = start();
  let state: OptimizerState = opt.init(params);
  // steps whose new parameter `w` lives in the memory of an array given to the update (its own, its
  // gradient's or a slot's)
  let reused = 0;
  for (let k = 0; k < steps; k++) {
    const grads = gradient(params);
    const slots = Object.values(state.slots).map((t) => (t as { w: NDArray }).w.handle);
    const given = new Set([params.w.handle, grads.w.handle, ...slots]);
    const next = opt.update(params, grads, state, { donate });
    if (donate) expect(params.w.isDisposed).toBe(true);
    params = next.params;
    state = next.state;
    if (given.has(params.w.handle)) reused++;
  }
  return { w: params.w.toNested(), b: params.b.toNested(), reused };
}

describe('optimiser updates with donation', () => {
  it.each([
    ['sgd', () => sgd({ lr: 0.1 })],
    ['adam', () => adam({ lr: 0.05 })],
  ] as const)(
    '%s: the donated run equals the plain one bit for bit, in the given-up memory',
    (_n, make) => {
      const plain = run(make(), false, 6);
      const donated = run(make(), true, 6);
      expect(donated.w).toEqual(plain.w);
      expect(donated.b).toEqual(plain.b);
      // fresh memory every step without donation, the given-up memory every step with it
      expect(plain.reused).toBe(0);
      expect(donated.reused).toBe(6);
    },
  );

  it('a given-up parameter throws the already-freed error naming the donation', () => {
    const opt = sgd({ lr: 0.1 });
    const params = start();
    opt.update(params, gradient(params), opt.init(params), { donate: true });
    expect(() => params.w.toNested()).toThrow(/already freed \(donated to jit/);
  });
});
