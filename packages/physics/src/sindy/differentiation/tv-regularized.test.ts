import { Generator, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { finiteDifference } from './finite-difference.js';
import { tvRegularized } from './tv-regularized.js';

describe('tvRegularized', () => {
  it("recovers the jump in d|t − ½|/dt from noisy samples (Chartrand 2011's example)", () => {
    const n = 100;
    const dt = 1 / (n - 1);
    const rng = new Generator(11);
    const t = Float64Array.from({ length: n }, (_, i) => i * dt);
    const x = array(Array.from(t, (v) => [Math.abs(v - 0.5) + 0.05 * rng.nextNormal()]));
    const exact = (v: number) => Math.sign(v - 0.5);
    // Error away from the kink (|t − ½| > 0.1), where the derivative is ±1.
    const err = (d: ArrayLike<number>) => {
      let s = 0;
      let c = 0;
      t.forEach((v, i) => {
        if (Math.abs(v - 0.5) > 0.1) {
          s += (d[i]! - exact(v)) ** 2;
          c++;
        }
      });
      return Math.sqrt(s / c);
    };
    const tv = err(tvRegularized({ alpha: 1e-3 }).differentiate(x, dt).dataSync());
    const fd = err(finiteDifference().differentiate(x, dt).dataSync());
    expect(tv).toBeLessThan(0.15);
    expect(tv).toBeLessThan(fd / 10);
  });

  it('approaches finite differences as alpha → 0 and keeps straight lines exactly', () => {
    const dt = 0.1;
    const t = Array.from({ length: 20 }, (_, i) => i * dt);
    const curved = array(t.map((v) => [Math.sin(v)]));
    const fd = finiteDifference().differentiate(curved, dt).dataSync();
    tvRegularized({ alpha: 1e-12 })
      .differentiate(curved, dt)
      .dataSync()
      .forEach((v, i) => {
        expect(v).toBeCloseTo(fd[i]!, 6);
      });
    const line = array(t.map((v) => [2 - 3 * v]));
    tvRegularized({ alpha: 10 })
      .differentiate(line, dt)
      .dataSync()
      .forEach((v) => {
        expect(v).toBeCloseTo(-3, 6);
      });
  });
});
