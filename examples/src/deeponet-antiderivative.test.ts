import { describe, expect, it } from 'vitest';
import { antiderivativeData } from './deeponet-antiderivative.js';

describe('DeepONet antiderivative data', () => {
  it('targets are the antiderivatives of the inputs: s(0) = 0 and the differences integrate u', () => {
    const { u, s, x } = antiderivativeData(3, 5);
    const m = x.length;
    const uv = u.dataSync();
    const sv = s.dataSync();
    for (let k = 0; k < 3; k++) {
      expect(sv[k * m]).toBe(0);
      // s(x_{j+1}) − s(x_j) = ∫ u over one sensor cell ≈ the trapezoid of the two sensor values (h² u″/12)
      for (let j = 0; j + 1 < m; j++) {
        const cell = (uv[k * m + j]! + uv[k * m + j + 1]!) / (2 * (m - 1));
        expect(Math.abs(sv[k * m + j + 1]! - sv[k * m + j]! - cell)).toBeLessThan(1e-4);
      }
    }
  });
});
