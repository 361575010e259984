import { Lorenz63 } from '@sciml/physics';
import { describe, expect, it } from 'vitest';
import { stochasticLorenz63 } from './lorenz.js';

describe('stochasticLorenz63', () => {
  it('without noise is Euler–Maruyama’s deterministic part: `substeps` Euler steps of f between rows', () => {
    const u = stochasticLorenz63({
      n: 4,
      dt: 0.02,
      substeps: 4,
      noise: 0,
      burnIn: 0,
    }).toNested() as number[][];
    const f = new Lorenz63().rhs;
    const y = Float64Array.of(1, 1, 1);
    const d = new Float64Array(3);
    expect(u[0]).toEqual([1, 1, 1]);
    for (let row = 1; row < 4; row++) {
      for (let s = 0; s < 4; s++) {
        f(0, y, d);
        for (let k = 0; k < 3; k++) y[k]! += 0.005 * d[k]!;
      }
      for (let k = 0; k < 3; k++) expect(u[row]![k]).toBeCloseTo(y[k]!, 10);
    }
  });

  it('stays on the attractor with noise and refuses bad options', () => {
    const u = stochasticLorenz63({ n: 200, seed: 3 });
    expect(u.shape).toEqual([200, 3]);
    const z = (u.toNested() as number[][]).map((r) => r[2]!);
    expect(Math.min(...z)).toBeGreaterThan(-5);
    expect(Math.max(...z)).toBeLessThan(60);
    expect(() => stochasticLorenz63({ n: 1 })).toThrow(/stochasticLorenz63.*n must/);
    expect(() => stochasticLorenz63({ n: 5, dt: 0 })).toThrow(/stochasticLorenz63.*dt/);
    expect(() => stochasticLorenz63({ n: 5, noise: -1 })).toThrow(/stochasticLorenz63.*noise/);
  });
});
