import { describe, expect, it } from 'vitest';
import { ValueError } from '../core/errors.js';
import { Generator } from './generator.js';
import { philox4x32 } from './philox.js';

/** Word q of Philox block c under the key of integer seed s (< 2³²). */
function word(seed: number, c: number, q: number): number {
  const out = new Uint32Array(4);
  philox4x32(c, 0, 0, 0, seed, 0, out);
  return out[q]!;
}

describe('counter-based draws (Generator.deviceUniform / deviceNormal)', () => {
  it('uniform element i is (w >> 8)·2⁻²⁴ of word i mod 4 of block ⌊i/4⌋, exactly, in float32', () => {
    const u = new Generator(42).deviceUniform([3, 3]);
    expect(u.dtype).toBe('float32');
    expect(u.shape).toEqual([3, 3]);
    Array.from(u.dataSync()).forEach((v, i) => {
      expect(v).toBe((word(42, Math.floor(i / 4), i % 4) >>> 8) / 2 ** 24);
    });
    const scaled = new Generator(42).deviceUniform([9], { low: -2, high: 2 }).dataSync();
    Array.from(scaled).forEach((v, i) => {
      expect(v).toBeCloseTo(-2 + 4 * u.dataSync()[i]!, 6);
    });
  });

  it('reserves whole blocks: later draws, counter-based or not, continue after them', () => {
    const rng = new Generator(7);
    rng.deviceUniform([5]); // blocks 0 and 1
    const next = rng.deviceUniform([1]).dataSync()[0];
    expect(next).toBe((word(7, 2, 0) >>> 8) / 2 ** 24);
    expect(rng.nextUint32()).toBe(word(7, 3, 0));
    expect(new Generator(7).reserveBlocks(3)).toEqual({ key: [7, 0], counter: 0 });
    expect(() => rng.reserveBlocks(-1)).toThrow(ValueError);
  });

  it('normals are Box–Muller on word pairs and have the right moments', () => {
    const z = new Generator(3).deviceNormal([4]).dataSync();
    const u = (q: number) => (word(3, 0, q) >>> 8) / 2 ** 24;
    const r = Math.sqrt(-2 * Math.log(1 - u(0)));
    expect(z[0]).toBeCloseTo(r * Math.cos(2 * Math.PI * u(1)), 6);
    expect(z[1]).toBeCloseTo(r * Math.sin(2 * Math.PI * u(1)), 6);
    const n = 40_000;
    const big = new Generator(5).deviceNormal([n], { mean: 1, std: 2 }).dataSync();
    const mean = big.reduce((s, v) => s + v, 0) / n;
    const variance = big.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    // 4 standard errors: σ/√n for the mean, σ²√(2/(n−1)) for the variance
    expect(Math.abs(mean - 1)).toBeLessThan((4 * 2) / Math.sqrt(n));
    expect(Math.abs(variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / (n - 1)));
  });

  it('refuses non-finite parameters', () => {
    expect(() => new Generator(1).deviceUniform([2], { high: Number.NaN })).toThrow(ValueError);
  });
});
