import { Generator, type NDArray, array, mul, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { adagrad, adam, adamw, amsgrad, rmsprop } from './adaptive.js';
import { clipByGlobalNorm, clipByValue, globalNorm } from './clipping.js';
import { Optimizer } from './optimizer.js';
import { ReduceOnPlateau, cosineDecay, exponentialDecay, stepDecay, warmup } from './schedules.js';
import { momentum, nesterov, sgd } from './sgd.js';

describe('Adam', () => {
  it('matches the first three steps computed by hand', () => {
    // one parameter θ₀ = 1 with gradients 0.5, −0.2, 0.1; η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8
    const gs = [0.5, -0.2, 0.1];
    let m = 0;
    let v = 0;
    let theta = 1;
    const expected: number[] = [];
    gs.forEach((g, i) => {
      const t = i + 1;
      // written in the order Kingma & Ba's Algorithm 1 evaluates, so IEEE rounding matches bit for bit
      m = m * 0.9 + g * (1 - 0.9);
      v = v * 0.999 + g * g * (1 - 0.999);
      const mHat = m / (1 - 0.9 ** t);
      const vHat = v / (1 - 0.999 ** t);
      theta = theta - (mHat / (Math.sqrt(vHat) + 1e-8)) * 0.1;
      expected.push(theta);
    });
    // the first step of Adam is ±η regardless of |g| (m̂/√v̂ = sign g)
    expect(expected[0]).toBeCloseTo(0.9, 6);
    const opt = adam({ lr: 0.1 });
    let params = { w: array([1]) };
    let state = opt.init(params);
    gs.forEach((g, i) => {
      ({ params, state } = opt.update(params, { w: array([g]) }, state));
      expect(params.w.item()).toBe(expected[i]);
    });
    expect(state.step).toBe(3);
  });

  it('AdamW with a schedule matches its formula bit for bit (step scalars are inputs of the compiled update)', () => {
    // η_t from a step decay and the bias corrections change every step: a rule that baked them in at trace
    // time would repeat the first step's values
    const lr = stepDecay(0.1, { every: 2, gamma: 0.5 });
    const gs = [0.5, -0.2, 0.1, 0.4, -0.3];
    let m = 0;
    let v = 0;
    let theta = 1;
    const opt = adamw({ lr, weightDecay: 0.01 });
    let params = { w: array([1]) };
    let state = opt.init(params);
    gs.forEach((g, i) => {
      const t = i + 1;
      const eta = 0.1 * 0.5 ** Math.floor(i / 2);
      m = m * 0.9 + g * (1 - 0.9);
      v = v * 0.999 + g * g * (1 - 0.999);
      const prev = theta;
      theta = theta - (m / (1 - 0.9 ** t) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)) * eta;
      theta = theta - prev * (eta * 0.01);
      ({ params, state } = opt.update(params, { w: array([g]) }, state));
      expect(params.w.item()).toBe(theta);
    });
  });
});

/** Minimises f(θ) = ½ Σ λ_i θ_i² over a pytree with two leaves, returning f after `steps` updates. */
function runQuadratic(make: () => Optimizer, steps: number): number {
  const lambdas = array([1, 3, 10]);
  let params: { a: NDArray; b: NDArray[] } = { a: array([1, -1, 0.5]), b: [array([2])] };
  const opt = make();
  for (let i = 0; i < steps; i++) {
    const grads = { a: mul(lambdas, params.a), b: [mul(params.b[0]!, 2)] };
    params = opt.step(params, grads);
  }
  return 0.5 * sum(mul(lambdas, mul(params.a, params.a))).item() + params.b[0]!.item() ** 2;
}

describe('first-order optimisers reduce a quadratic over a pytree', () => {
  const f0 = 0.5 * (1 + 3 + 10 * 0.25) + 4;
  it.each([
    ['sgd', () => new Optimizer(sgd({ lr: 0.05 }))],
    ['momentum', () => new Optimizer(momentum({ lr: 0.02 }))],
    ['nesterov', () => new Optimizer(nesterov({ lr: 0.02 }))],
    ['adagrad', () => new Optimizer(adagrad({ lr: 0.5 }))],
    ['rmsprop', () => new Optimizer(rmsprop({ lr: 0.01 }))],
    ['adam', () => new Optimizer(adam({ lr: 0.05 }))],
    ['adamw', () => new Optimizer(adamw({ lr: 0.05, weightDecay: 0.01 }))],
    ['amsgrad', () => new Optimizer(amsgrad({ lr: 0.05 }))],
  ] as const)('%s', (_name, make) => {
    expect(runQuadratic(make, 300)).toBeLessThan(1e-3 * f0);
  });

  it('momentum beats plain SGD at the same step size on an ill-conditioned quadratic', () => {
    expect(runQuadratic(() => new Optimizer(momentum({ lr: 0.01 })), 100)).toBeLessThan(
      runQuadratic(() => new Optimizer(sgd({ lr: 0.01 })), 100),
    );
  });

  it('SGD is exactly θ ← θ − ηg', () => {
    const opt = sgd({ lr: 0.5 });
    const p = { w: array([1, 2]) };
    const { params } = opt.update(p, { w: array([0.2, -4]) }, opt.init(p));
    expect(params.w.toNested()).toEqual([0.9, 4]);
  });
});

describe('schedules', () => {
  it('follow their formulas', () => {
    expect(stepDecay(1, { every: 10, gamma: 0.5 })(25)).toBe(0.25);
    expect(exponentialDecay(2, { gamma: 0.9 })(2)).toBeCloseTo(1.62, 14);
    const cos = cosineDecay(1, { steps: 100, minLr: 0.1 });
    expect(cos(0)).toBe(1);
    expect(cos(50)).toBeCloseTo(0.55, 14);
    expect(cos(100)).toBeCloseTo(0.1, 14);
    const w = warmup(0.8, { steps: 4 });
    expect([0, 1, 2, 3, 4, 10].map(w)).toEqual([0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.8]);
  });

  it('reduce-on-plateau cuts the rate after `patience` bad reports', () => {
    const r = new ReduceOnPlateau(1, { factor: 0.5, patience: 2 });
    expect([5, 4, 4, 4, 4, 3.9].map((l) => r.report(l))).toEqual([1, 1, 1, 1, 0.5, 0.5]);
  });
});

describe('gradient clipping', () => {
  it('clips by value and by global norm', () => {
    const g = { a: array([3, -4]), b: [array([12])] };
    expect(globalNorm(g)).toBe(13);
    expect(clipByValue(g, 1).a.toNested()).toEqual([1, -1]);
    const c = clipByGlobalNorm(g, 1.3);
    expect(globalNorm(c)).toBeCloseTo(1.3, 14);
    expect(c.a.toNested()).toEqual([0.30000000000000004, -0.4]);
  });

  it('global-norm clipping inside an optimiser bounds the step', () => {
    const opt = sgd({ lr: 1, clipNorm: 0.1 });
    const p = { w: new Generator(1).normal([10]) };
    const { params } = opt.update(p, { w: mul(p.w, 1000) }, opt.init(p));
    expect(Math.sqrt(sum(mul(sub(params.w, p.w), sub(params.w, p.w))).item())).toBeCloseTo(0.1, 12);
  });
});
