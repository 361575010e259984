import { hessian } from '@sciml/autodiff';
import {
  type NDArray,
  eigvalsh,
  fromTypedArray,
  mul,
  reshape,
  sin,
  sum,
  tanh,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  edgeOfStability,
  hessianOperator,
  lambdaMaxLanczos,
  lambdaMaxPower,
  quadraticGd,
} from './edge-of-stability.js';

describe('GD stability', () => {
  it('θₖ = (1 − ηa)ᵏθ₀ on ½aθ²: contraction |1 − ηa|, divergence exactly for a > 2/η', () => {
    const eta = 0.1;
    for (const c of [0.5, 1.99, 2.01, 3]) {
      const path = quadraticGd(c / eta, eta, 40);
      expect((path[40]! / path[0]!) ** (1 / 40)).toBeCloseTo(Math.abs(1 - c), 12);
      expect(path[40]! > 1).toBe(c > 2);
    }
  });

  it('λmax from Hessian–vector products by Lanczos and by power iteration equals the dense Hessian', () => {
    // a small non-quadratic loss of 6 parameters with a known dense Hessian from autodiff
    const loss = (t: NDArray) => sum(mul(tanh(mul(t, reshape(sin(t), [6]))), 3));
    const theta = fromTypedArray(Float64Array.from([0.3, -1.2, 0.8, 1.5, -0.4, 2.0]), [6]);
    const dense = eigvalsh(hessian(loss)(theta)).dataSync();
    const top = dense[dense.length - 1]!;
    const H = hessianOperator(loss, theta);
    expect(lambdaMaxLanczos(H)).toBeCloseTo(top, 8);
    expect(Math.abs(lambdaMaxPower(H, 500) - top) / Math.abs(top)).toBeLessThan(1e-6);
  });

  it('progressive sharpening: λmax of the tanh network rises under GD toward 2/η and stays below it early on', () => {
    const r = edgeOfStability({ eta: 0.16, steps: 600, every: 200 });
    for (let i = 1; i < r.sharpness.length; i++)
      expect(r.sharpness[i]!).toBeGreaterThan(r.sharpness[i - 1]!);
    expect(r.sharpness[r.sharpness.length - 1]!).toBeLessThan(2 / 0.16);
    expect(r.loss[r.loss.length - 1]!).toBeLessThan(r.loss[0]! / 10);
  });
});
