import {
  Generator,
  astype,
  eye,
  matmul,
  mean,
  mul,
  norm,
  reshape,
  sub,
  transpose,
  variance,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  orthogonal,
  sirenUniform,
} from './initializers.js';

describe('initialisers', () => {
  // PyTorch layout [out, in]: fan_in = 300, fan_out = 400
  const shape = [400, 300];
  const n = 400 * 300;
  // the sample variance of n draws has relative standard error ≤ √(2/n) (normal; uniform is smaller): 5σ
  it.each([
    ['glorotUniform', glorotUniform, 2 / 700],
    ['glorotNormal', glorotNormal, 2 / 700],
    ['heNormal', heNormal, 2 / 300],
    ['heUniform', heUniform, 2 / 300],
    ['lecunNormal', lecunNormal, 1 / 300],
    ['lecunUniform', lecunUniform, 1 / 300],
  ] as const)('%s has the variance its paper prescribes', (_name, init, expected) => {
    const w = init(shape, { rng: new Generator(1) });
    expect(Math.abs(mean(w).item())).toBeLessThan(5 * Math.sqrt(expected / n));
    expect(Math.abs(variance(w).item() / expected - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('computes fans in PyTorch layout for linear and convolution weights', () => {
    expect(fans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(fans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(() => fans([3])).toThrow(/at least 2 dimensions/);
  });

  it('orthogonal gives orthonormal rows or columns scaled by the gain', () => {
    const rng = new Generator(2);
    const tall = orthogonal([6, 4], { rng, gain: 2 });
    expect(norm(sub(matmul(transpose(tall), tall), mul(eye(4), 4))).item()).toBeLessThan(1e-12);
    const wide = orthogonal([3, 2, 4], { rng, dtype: 'float32' });
    expect(wide.dtype).toBe('float32');
    expect(wide.shape).toEqual([3, 2, 4]);
    const w = reshape(wide, [3, 8]);
    expect(norm(sub(matmul(w, transpose(w)), astype(eye(3), 'float32'))).item()).toBeLessThan(1e-6);
  });

  it('sirenUniform uses ±1/fan_in first and ±√(6/fan_in)/ω₀ after', () => {
    const rng = new Generator(3);
    const first = sirenUniform([50, 20], { rng, firstLayer: true });
    const later = sirenUniform([50, 20], { rng, omega0: 30 });
    const maxAbs = (a: typeof first) =>
      Math.max(...Array.from(a.dataSync() as Float64Array, Math.abs));
    expect(maxAbs(first)).toBeLessThanOrEqual(1 / 20);
    expect(maxAbs(first)).toBeGreaterThan(0.9 / 20);
    expect(maxAbs(later)).toBeLessThanOrEqual(Math.sqrt(6 / 20) / 30);
    expect(maxAbs(later)).toBeGreaterThan((0.9 * Math.sqrt(6 / 20)) / 30);
  });
});
