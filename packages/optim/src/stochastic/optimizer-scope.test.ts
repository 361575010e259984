import { type NDArray, array, memoryStats, mul, scope, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { adam } from './adaptive.js';
import { Optimizer } from './optimizer.js';
import { momentum } from './sgd.js';

const lambdas = array([1, 3, 10]);
const gradient = (p: { w: NDArray }) => ({ w: mul(lambdas, p.w) });

/** `steps` updates of ½ Σ λᵢ wᵢ², each optionally inside its own scope; returns the final w. */
function train(opt: Optimizer, steps: number, scoped: boolean): number[] {
  let params: { w: NDArray } = { w: array([1, -1, 0.5]) };
  for (let i = 0; i < steps; i++) {
    const prev = params;
    params = scoped ? scope(() => opt.step(prev, gradient(prev))) : opt.step(prev, gradient(prev));
  }
  return Array.from(params.w.dataSync());
}

describe('Optimizer state survives scopes', () => {
  it.each([
    ['adam', () => new Optimizer(adam({ lr: 0.05 }))],
    ['momentum', () => new Optimizer(momentum({ lr: 0.02 }))],
  ] as const)('%s: steps inside scopes match steps without, bit for bit', (_n, make) => {
    const plain = train(make(), 5, false);
    const opt = make();
    const scoped = train(opt, 5, true);
    expect(scoped).toEqual(plain);
    // the state is the optimiser's, alive and usable after the scopes closed
    const m = opt.state!.slots[Object.keys(opt.state!.slots)[0]!] as { w: NDArray };
    expect(m.w.isDisposed).toBe(false);
    expect(Number.isFinite(sum(m.w).item())).toBe(true);
    expect(memoryStats().scopedArrays).toBe(0);
  });

  it('an async training loop in one scope frees the temporaries and keeps the state', async () => {
    const opt = new Optimizer(adam({ lr: 0.05 }));
    const temps: NDArray[] = [];
    const final = await scope(async () => {
      let params: { w: NDArray } = { w: array([1, -1, 0.5]) };
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 0));
        const g = gradient(params);
        temps.push(g.w);
        params = opt.step(params, g);
      }
      return params;
    });
    expect(temps.every((t) => t.isDisposed)).toBe(true);
    expect(final.w.isDisposed).toBe(false);
    expect((opt.state!.slots.m as { w: NDArray }).w.isDisposed).toBe(false);
    expect(opt.state!.step).toBe(3);
    // the replaced states were disposed by the optimiser, the current one is freed by dispose()
    const v = opt.state!.slots.v as { w: NDArray };
    opt.dispose();
    expect(v.w.isDisposed).toBe(true);
    expect(opt.state).toBeUndefined();
  });
});
