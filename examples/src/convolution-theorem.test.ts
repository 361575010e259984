import { describe, expect, it } from 'vitest';
import {
  circularConvolveDirect,
  convolutionTheorem,
  convolveFft,
  linearConvolveDirect,
} from './convolution-theorem.js';

describe('convolution theorem', () => {
  it('circular convolution = F⁻¹(F a·F b) to round-off for power-of-2, composite and prime n', () => {
    const r = convolutionTheorem({ ns: [64, 257, 1000], p: 120, q: 17, n2d: 8, seed: 3 });
    for (const c of r.circular) {
      expect(c.error).toBeLessThan(1e-12);
      expect(c.complexError).toBeLessThan(1e-12);
      expect(c.relativeToScale).toBeLessThan(1); // within ε·log₂n·‖a‖‖b‖
    }
    expect(r.linearError).toBeLessThan(1e-12);
    expect(r.aliasingError).toBeLessThan(1e-12);
    expect(r.unpaddedError).toBeGreaterThan(0.1); // the product of unpadded FFTs is not the linear convolution
    expect(r.error2d).toBeLessThan(1e-12);
  });

  it('the direct sums are the definitions (a unit impulse shifts, [1, 2] ∗ [1, 3] = [1, 5, 6])', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    expect(Array.from(circularConvolveDirect(a, Float64Array.of(0, 1, 0, 0)))).toEqual([
      4, 1, 2, 3,
    ]);
    expect(Array.from(linearConvolveDirect(Float64Array.of(1, 2), Float64Array.of(1, 3)))).toEqual([
      1, 5, 6,
    ]);
    const viaFft = convolveFft(a, Float64Array.of(0, 1, 0, 0));
    for (const [i, v] of [4, 1, 2, 3].entries()) expect(viaFft[i]).toBeCloseTo(v, 14);
  });
});
