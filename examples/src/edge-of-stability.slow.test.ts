import { describe, expect, it } from 'vitest';
import { edgeOfStability } from './edge-of-stability.js';

describe('edge of stability (slow)', () => {
  it('GD on a tanh network: λmax rises from ≈ 10.3 to 2/η = 12.5 and hovers there', () => {
    const r = edgeOfStability({ eta: 0.16, steps: 4000, every: 100 });
    expect(r.sharpness[0]!).toBeLessThan(0.85 * 12.5);
    const last = r.sharpness.slice(-10);
    const avg = last.reduce((s, v) => s + v, 0) / last.length;
    expect(Math.abs(avg - 12.5) / 12.5).toBeLessThan(0.06);
    expect(Math.max(...r.sharpness)).toBeLessThan(1.15 * 12.5);
  });
});
