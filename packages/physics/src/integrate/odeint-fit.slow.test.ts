import { minimize } from '@sciml/optim';
import {
  Generator,
  type NDArray,
  add,
  array,
  mul,
  slice,
  square,
  stack,
  sub,
  sum,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';

/** Lotka–Volterra: x′ = αx − βxy, y′ = δxy − γy with θ = (α, β, δ, γ). */
const lotkaVolterra = (_t: number, u: NDArray, theta: NDArray): NDArray => {
  const x = slice(u, 0);
  const y = slice(u, 1);
  const [a, b, d, g] = [0, 1, 2, 3].map((i) => slice(theta, i));
  return stack([sub(mul(a!, x), mul(b!, mul(x, y))), sub(mul(d!, mul(x, y)), mul(g!, y))]);
};

describe('odeint: learning parameters through the adjoint', () => {
  it('recovers Lotka–Volterra parameters from noisy data within 2 % (L-BFGS on the adjoint gradient)', () => {
    const truth = [1.5, 1, 1, 3];
    const u0 = array([1, 1]);
    const ts = Array.from({ length: 41 }, (_, i) => i * 0.25);
    const opts = { rtol: 1e-10, atol: 1e-12, gradient: 'adjoint' as const };
    const clean = odeint(lotkaVolterra, u0, ts, array(truth), opts);
    // 1 % multiplicative noise from a seeded generator
    const noise = new Generator(17).normal(clean.shape, { std: 0.01 });
    const data = mul(clean, add(1, noise));
    const loss = (theta: NDArray) =>
      sum(square(sub(odeint(lotkaVolterra, u0, ts, theta, opts), data)));
    const fit = minimize(loss, array([1.2, 0.8, 1.2, 2.6]), {
      method: 'lbfgs',
      maxIter: 100,
      // the adjoint gradient is accurate to ~rtol, so stop on a stalled loss rather than a tiny gradient
      ftol: 1e-10,
    });
    expect(fit.success).toBe(true);
    const got = Array.from(fit.x.dataSync() as ArrayLike<number>);
    const relErr = got.map((g, i) => Math.abs(g - truth[i]!) / truth[i]!);
    expect(Math.max(...relErr)).toBeLessThan(0.02);
  });
});
