// Bad input to the optimisers, as one table (issue 26, the non-finite-input policy of linalg's assertFinite):
// each row once gave NaN parameters, a loop that never returned, or a plain TypeError.
import {
  type NDArray,
  NotFiniteError,
  ValueError,
  array,
  fromTypedArray,
  square,
  sum,
  sub,
} from '@sciml/linalg';
import { type BadInputRow, describeBadInputs } from '@sciml/config/test-helpers';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares/least-squares.js';
import { minimize } from './minimize/minimize.js';
import { adagrad, adam, amsgrad, rmsprop } from './stochastic/adaptive.js';
import type { GradientOptimizer } from './stochastic/optimizer.js';
import { momentum, nesterov, sgd } from './stochastic/sgd.js';

const quadratic = (x: NDArray) => sum(square(sub(x, 1)));
const nanGrad = { w: array([0.5, Number.NaN]) };
const params = { w: array([1, 2]) };
const stepWith = (opt: GradientOptimizer, grads: { w: NDArray }) =>
  opt.update(params, grads, opt.init(params));

const BAD_INPUTS: BadInputRow[] = [
  // before: accepted, and every later step turned the parameters into NaN
  [
    'adam: lr NaN',
    () => adam({ lr: Number.NaN }),
    ValueError,
    /^adam: lr must be a number in \[0, ∞\), got NaN/,
  ],
  [
    'sgd: negative lr',
    () => sgd({ lr: -0.1 }),
    ValueError,
    /^sgd: lr must be a number in \[0, ∞\), got -0\.1/,
  ],
  [
    'momentum: infinite lr',
    () => momentum({ lr: Number.POSITIVE_INFINITY }),
    ValueError,
    /lr must be a number in \[0, ∞\), got Infinity/,
  ],
  ['adam: no lr at all', () => adam({} as never), ValueError, /needs a learning rate/],
  [
    'adam: beta1 = 1',
    () => adam({ lr: 0.1, beta1: 1 }),
    ValueError,
    /beta1 must be a number in \[0, 1\)/,
  ],
  ['amsgrad: beta2 NaN', () => amsgrad({ lr: 0.1, beta2: Number.NaN }), ValueError, /beta2/],
  [
    'adam: eps = 0',
    () => adam({ lr: 0.1, eps: 0 }),
    ValueError,
    /eps must be a number in \(0, ∞\)/,
  ],
  ['adagrad: eps negative', () => adagrad({ lr: 0.1, eps: -1 }), ValueError, /eps/],
  ['rmsprop: rho negative', () => rmsprop({ lr: 0.1, rho: -0.5 }), ValueError, /rho/],
  [
    'nesterov: momentum 1.5',
    () => nesterov({ lr: 0.1, momentum: 1.5 }),
    ValueError,
    /momentum must be a number in \[0, 1\)/,
  ],
  ['sgd: clipNorm 0', () => sgd({ lr: 0.1, clipNorm: 0 }), ValueError, /clipNorm/],
  [
    'adam: unknown nonFinite policy',
    () => adam({ lr: 0.1, nonFinite: 'ignore' as never }),
    ValueError,
    /nonFinite must be 'error' or 'skip'/,
  ],
  // before: Adam turned a NaN gradient into NaN parameters with no flag
  [
    'adam: NaN gradient',
    () => stepWith(adam({ lr: 0.1 }), nanGrad),
    NotFiniteError,
    /^adam: gradient leaf 0 \(2,\) holds NaN at flat index 1 at step 1; .*nonFinite: 'skip'/,
  ],
  [
    'sgd: Infinity gradient',
    () => stepWith(sgd({ lr: 0.1 }), { w: array([Number.POSITIVE_INFINITY, 0]) }),
    NotFiniteError,
    /^sgd: gradient leaf 0/,
  ],
  [
    'adam: schedule giving NaN',
    () => stepWith(adam({ lr: () => Number.NaN }), { w: array([1, 1]) }),
    ValueError,
    /schedule gave NaN at step 0/,
  ],
  // before: maxIter Infinity with an oscillating fixed step never returned
  [
    'minimize: maxIter Infinity',
    () => minimize(quadratic, [0], { maxIter: Number.POSITIVE_INFINITY }),
    ValueError,
    /^minimize: maxIter must be a finite integer ≥ 1, got Infinity/,
  ],
  [
    'minimize: negative gtol',
    () => minimize(quadratic, [0], { gtol: -1 }),
    ValueError,
    /gtol must be a finite number ≥ 0/,
  ],
  [
    'minimize: NaN in x0',
    () => minimize(quadratic, [0, Number.NaN]),
    NotFiniteError,
    /^minimize: x0 holds NaN at index 1/,
  ],
  // before: a plain TypeError
  [
    'minimize: objective returning a plain number, no gradient',
    () => minimize(() => 3, [0]),
    ValueError,
    /^minimize: the objective returned the plain number 3, .*`jac`/,
  ],
  [
    'leastSquares: maxIter Infinity',
    () => leastSquares((x) => x, [1], { maxIter: Number.POSITIVE_INFINITY }),
    ValueError,
    /^leastSquares: maxIter/,
  ],
  [
    'leastSquares: Infinity in x0',
    () => leastSquares((x) => x, [Number.NEGATIVE_INFINITY]),
    NotFiniteError,
    /^leastSquares: x0 holds -Infinity/,
  ],
];

describeBadInputs(
  'bad input to the optimisers: a typed error naming the optimiser, the value and the fix',
  BAD_INPUTS,
);

describe('the policies that replace silent NaN and endless loops', () => {
  it("nonFinite: 'skip' leaves parameters and state unchanged and counts the skipped step", () => {
    const opt = adam({ lr: 0.1, nonFinite: 'skip' });
    const s0 = opt.init(params);
    const skipped = opt.update(params, nanGrad, s0);
    expect(skipped.params).toBe(params);
    expect(skipped.state.step).toBe(0);
    expect(skipped.state.skipped).toBe(1);
    expect(skipped.state.slots).toBe(s0.slots);
    // the next finite step is Adam's first: θ − η·sign(g)
    const next = opt.update(skipped.params, { w: array([0.5, -2]) }, skipped.state);
    expect(next.state.step).toBe(1);
    expect(next.state.skipped).toBe(1);
    const w = next.params.w.dataSync();
    expect(w[0]).toBeCloseTo(0.9, 6);
    expect(w[1]).toBeCloseTo(2.1, 6);
  });

  it('the per-step gradient check: exact positions in long leaves, and no false alarm when only the sum overflows', () => {
    // long leaves take the fast path (a wasm sum) first; a non-finite sum is located by the exact scan
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [bad, at] of [
        [Number.NaN, 700],
        [Number.NEGATIVE_INFINITY, 0],
        [Number.POSITIVE_INFINITY, 999],
      ] as const) {
        const g = new (dtype === 'float64' ? Float64Array : Float32Array)(1000).fill(0.25);
        g[at] = bad;
        expect(() => stepWith(sgd({ lr: 0.1 }), { w: fromTypedArray(g) })).toThrow(
          new RegExp(`gradient leaf 0 \\(1000,\\) holds ${bad} at flat index ${at} at step 1`),
        );
      }
    }
    // finite float64 values whose sum overflows to Infinity: a legal (if wild) gradient, not an error
    const huge = fromTypedArray(new Float64Array(1000).fill(1e306));
    const big = { w: fromTypedArray(new Float64Array(1000)) };
    const out = sgd({ lr: 0 }).update(big, { w: huge }, sgd({ lr: 0 }).init(big));
    expect(out.params.w.dataSync()[0]).toBe(0);
  });

  it('hyper-parameters at the edges of their ranges are accepted', () => {
    expect(() => adam({ lr: 0, beta1: 0, beta2: 0 })).not.toThrow();
    expect(() => sgd({ lr: 1, weightDecay: 0, nonFinite: 'error' })).not.toThrow();
  });

  it('an oscillating fixed step stops at once with success: false and names the cause', () => {
    // f = (x − 1)², x ← x − 1·2(x − 1) = 2 − x: 0, 2, 0, 2, … (before: ran until maxIter, forever with Infinity)
    const res = minimize(quadratic, [0], { method: 'gd', stepSize: 1, maxIter: 1_000_000 });
    expect(res.success).toBe(false);
    expect(res.message).toMatch(/oscillates between two points/);
    expect(res.nit).toBe(2);
    expect(res.nfev).toBe(3);
  });

  it('an objective returning a plain number is accepted when its gradient is given', () => {
    const f = (x: NDArray) => (x.item() - 3) ** 2;
    const res = minimize(f, [0], { jac: (x) => [2 * (x.item() - 3)], method: 'bfgs' });
    expect(res.success).toBe(true);
    expect(res.x.item()).toBeCloseTo(3, 8);
  });
});
