/**
 * Optimisers made by separate calls with the same hyperparameters share their compiled leaf programs (a keyed
 * rule is traced once per leaf signature, not once per optimiser), and sharing changes no number.
 */
import { type NDArray, add, array, mul } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { adam, adamw } from './adaptive.js';
import { type UpdateRule, makeOptimizer } from './optimizer.js';
import { sgd } from './sgd.js';

/** An SGD rule that counts how often its leaf is traced (a compiled program calls `leaf` only while tracing). */
function countingRule(key: string | undefined, counter: { traces: number }): UpdateRule {
  return {
    ...(key === undefined ? {} : { key }),
    slots: [],
    leaf: (p, g, _s, [lr]) => {
      counter.traces++;
      return { p: add(p, mul(g, mul(lr!, -1))), slots: [] };
    },
  };
}

const params = () => ({
  w: array([
    [1, 2],
    [3, 4],
  ]),
  b: array([0.5, -0.5]),
});
const grads = (t = 0) => ({
  w: mul(
    array([
      [0.1, -0.2],
      [0.3, 0.4],
    ]),
    1 + t * t,
  ),
  b: mul(array([1, 2]), 1 - t),
});

describe('compiled leaf programs shared by key', () => {
  it('two optimisers with one key trace each leaf signature once; without a key each traces its own', () => {
    const keyed = { traces: 0 };
    const key = `counting-sgd-${Math.random()}`;
    for (let i = 0; i < 3; i++) {
      const opt = makeOptimizer('counting', { lr: 0.1 }, countingRule(key, keyed));
      opt.update(params(), grads(), opt.init(params()));
    }
    // two leaf shapes ([2, 2] and [2]): two traces in all, however many optimisers
    expect(keyed.traces).toBe(2);
    const unkeyed = { traces: 0 };
    for (let i = 0; i < 3; i++) {
      const opt = makeOptimizer('counting', { lr: 0.1 }, countingRule(undefined, unkeyed));
      opt.update(params(), grads(), opt.init(params()));
    }
    expect(unkeyed.traces).toBe(6);
  });

  it('the shared program gives the numbers of a fresh one, and different hyperparameters do not share', () => {
    const run = (make: () => ReturnType<typeof adam>, steps: number) => {
      const opt = make();
      let p: { w: NDArray; b: NDArray } = params();
      let state = opt.init(p);
      for (let t = 0; t < steps; t++) {
        const next = opt.update(p, grads(t), state); // a changing gradient: β₁ and β₂ matter
        p = next.params;
        state = next.state;
      }
      return [...p.w.dataSync(), ...p.b.dataSync()];
    };
    const first = run(() => adam({ lr: 0.01 }), 3);
    const again = run(() => adam({ lr: 0.01 }), 3);
    expect(again).toEqual(first);
    // β₁ is a constant of the program: a different β₁ must not reuse the β₁ = 0.9 program
    const otherBeta = run(() => adam({ lr: 0.01, beta1: 0.5 }), 3);
    expect(otherBeta).not.toEqual(first);
    // Adam's first step by hand: m̂ = g, v̂ = g², θ − η·g/(|g| + ε)
    expect(run(() => adam({ lr: 0.01, beta1: 0.5 }), 1)[0]).toBeCloseTo(
      1 - (0.01 * 0.1) / (0.1 + 1e-8),
      12,
    );
    const decayed = run(() => adamw({ lr: 0.01, weightDecay: 0.1 }), 2);
    expect(decayed).not.toEqual(run(() => adam({ lr: 0.01 }), 2));
    // SGD's weight decay is a constant of its program too
    const plain = run(() => sgd({ lr: 0.1 }) as never, 1);
    const wd = run(() => sgd({ lr: 0.1, weightDecay: 0.5 }) as never, 1);
    expect(plain[0]).toBeCloseTo(1 - 0.1 * 0.1, 12);
    expect(wd[0]).toBeCloseTo(1 - 0.1 * (0.1 + 0.5 * 1), 12);
  });
});
