import {
  type NDArray,
  array,
  div,
  exp,
  log1p,
  mul,
  norm,
  sigmoid,
  sin,
  sum,
  cos,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { customJvp, customVjp, stopGradient } from './custom.js';
import { jvp } from './forward.js';
import { hessian } from './jacobian.js';
import { grad } from './reverse.js';

describe('stopGradient', () => {
  it('treats its result as a constant in both modes, on pytrees', () => {
    const x = array([1, 2]);
    expect(grad((z: NDArray) => sum(mul(z, stopGradient(z))))(x).toNested()).toEqual([1, 2]);
    expect(
      jvp((z: NDArray) => mul(z, stopGradient(z)), [x], [array([1, 1])])[1].toNested(),
    ).toEqual([1, 2]);
    const tree = stopGradient({ a: x, n: 3 });
    expect(tree.n).toBe(3);
    expect(tree.a.toNested()).toEqual([1, 2]);
  });
});

describe('customVjp', () => {
  // softplus(x) = log(1 + eˣ) overflows for large x; the custom rule gives the stable gradient σ(x)
  let calls = 0;
  const softplus = customVjp(
    (x: NDArray) => log1p(exp(x)),
    (ct, _y, x) => {
      calls++;
      return [mul(ct, sigmoid(x))];
    },
  );

  it('is used by grad instead of the internals, and the result is finite where they overflow', () => {
    calls = 0;
    const g = grad((x: NDArray) => sum(softplus(x)))(array([0, 800]));
    expect(calls).toBe(1);
    expect(g.toNested()).toEqual([0.5, 1]);
  });

  it('differentiates again when the rule is written with ops (second order)', () => {
    const report = checkGrads((x: NDArray) => softplus(x), [array([-0.5, 0.3])], { order: 2 });
    expect(report.ok).toBe(true);
  });

  it('forward mode differentiates the function itself', () => {
    const x = array([0.2]);
    const [, t] = jvp(softplus, [x], [array([1])]);
    expect(t.item()).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 14);
  });

  it('a wrong rule is caught by checkGrads in reverse mode only', () => {
    const wrong = customVjp(
      (x: NDArray) => sin(x),
      (ct) => [ct],
    );
    const report = checkGrads(wrong, [array([0.4])], { noThrow: true });
    expect(report.ok).toBe(false);
    expect(report.entries.filter((e) => !e.passed).map((e) => e.mode)).toEqual(['rev']);
    expect(() => checkGrads(wrong, [array([0.4])])).toThrow(/rev order 1/);
  });
});

describe('customJvp', () => {
  // ‖x‖ with the tangent xᵀdx/‖x‖, defined as 0 at x = 0 instead of NaN
  const safeNorm = customJvp(
    (x: NDArray) => norm(x),
    ([t], y, x) => div(sum(mul(x!, t!)), mul(y, 1)),
  );
  it('is used by jvp and by forward-over-reverse Hessians', () => {
    const x = array([3, 4]);
    const [y, t] = jvp(safeNorm, [x], [array([1, 0])]);
    expect(y.item()).toBe(5);
    expect(t.item()).toBeCloseTo(0.6, 14);
  });
  it('reverse mode differentiates the function itself', () => {
    const g = grad(safeNorm)(array([3, 4])).dataSync();
    expect(g[0]).toBeCloseTo(0.6, 14);
    expect(g[1]).toBeCloseTo(0.8, 14);
  });
  const sinC = customJvp(
    (x: NDArray) => sin(x),
    ([t], _y, x) => mul(t!, cos(x)),
  );
  it('nests: forward over forward uses the rule at both levels', () => {
    const x = array(0.5);
    const d2 = jvp((z: NDArray) => jvp(sinC, [z], [array(1)])[1], [x], [array(1)])[1];
    expect(d2.item()).toBeCloseTo(-Math.sin(0.5), 14);
  });
  it('forward-over-reverse Hessians stay correct (the outer frame differentiates f itself)', () => {
    const H = hessian((x: NDArray) => sum(sinC(x)))(array([0.5, 1]));
    expect(H.get(0, 0)).toBeCloseTo(-Math.sin(0.5), 14);
    expect(H.get(1, 1)).toBeCloseTo(-Math.sin(1), 14);
    expect(H.get(0, 1)).toBeCloseTo(0, 14);
  });
});
