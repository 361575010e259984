import { checkGrads, grad } from '@sciml/autodiff';
import { Generator, array, mul, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  elu,
  gelu,
  leakyRelu,
  mish,
  relu,
  sigmoid,
  silu,
  sine,
  softplus,
} from './activations.js';

const xs = [-3, -0.5, 0.25, 2, 40, -40];
const x = array(xs);
const sp = (v: number) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
const values = (a: ReturnType<typeof array>) => Array.from(a.dataSync() as Float64Array);

describe('activations', () => {
  it.each([
    ['relu', relu, (v: number) => Math.max(v, 0)],
    ['leakyRelu', (a: typeof x) => leakyRelu(a), (v: number) => (v > 0 ? v : 0.01 * v)],
    ['elu', (a: typeof x) => elu(a), (v: number) => (v > 0 ? v : Math.expm1(v))],
    ['softplus', softplus, sp],
    [
      'gelu (tanh form)',
      gelu,
      (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
    ],
    ['silu', silu, (v: number) => v / (1 + Math.exp(-v))],
    ['mish', mish, (v: number) => v * Math.tanh(sp(v))],
    ['sigmoid', sigmoid, (v: number) => 1 / (1 + Math.exp(-v))],
    ['sine', (a: typeof x) => sine(a), (v: number) => Math.sin(30 * v)],
  ] as const)('%s matches its formula', (_n, f, ref) => {
    const got = values(f(x));
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(ref(xs[i]!), 12);
    });
  });

  it('gelu (tanh form) is within 5e-4 of the erf form x·Φ(x) at tabulated points', () => {
    // x·Φ(x) from the normal CDF table: Φ(1) = 0.841344746, Φ(−1) = 0.158655254, Φ(2) = 0.977249868
    const got = values(gelu(array([1, -1, 2])));
    expect(Math.abs(got[0]! - 0.841344746)).toBeLessThan(5e-4);
    expect(Math.abs(got[1]! + 0.158655254)).toBeLessThan(5e-4);
    expect(Math.abs(got[2]! - 2 * 0.977249868)).toBeLessThan(5e-4);
  });

  it('softplus does not overflow', () => {
    expect(values(softplus(array([1000, -1000])))).toEqual([1000, 0]);
  });

  const smooth = ['gelu', 'silu', 'mish', 'softplus', 'tanh', 'sigmoid', 'sine'] as const;
  it.each(smooth)('%s passes checkGrads to order 2', (name) => {
    const z = new Generator(5).normal([7]);
    checkGrads(ACTIVATIONS[name], [z], { order: 2 });
  });

  it("relu's derivative is the step [x > 0]: 0 at the kink (PyTorch's convention), NaN passes through", () => {
    const z = array([-1, -0, 0, 1e-300, 3, Number.NaN]);
    expect(values(relu(z))).toEqual([0, 0, 0, 1e-300, 3, Number.NaN]);
    const g = grad((v: typeof z) => sum(relu(v)))(array([-1, -0, 0, 1e-300, 3]));
    expect(values(g)).toEqual([0, 0, 0, 1, 1]);
    // second order: the step is flat
    const h = grad((v: typeof z) => sum(grad((w: typeof z) => sum(mul(relu(w), w)))(v)))(
      array([-2, 0.5, 3]),
    );
    expect(values(h)).toEqual([0, 2, 2]);
  });

  it.each(['relu', 'leakyRelu', 'elu'] as const)(
    '%s passes checkGrads (order 1, away from the kink)',
    (name) => {
      const z = array([-2.1, -0.7, 0.3, 1.9]);
      checkGrads(ACTIVATIONS[name], [z], { order: 1 });
    },
  );
});
