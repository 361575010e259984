// The non-finite-input policy (linalg's assertFinite) for the transforms: derivatives are taken at finite
// points only; non-differentiated arguments are not checked.
import { type NDArray, NotFiniteError, array, exp, mul, slice, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { jvp } from './forward.js';
import { hessian, jacobian } from './jacobian.js';
import { grad, valueAndGrad, vjp } from './reverse.js';

// f(x) = x₀ exp(x₁): before the policy its Hessian at (NaN, 1) was [[0, e], [NaN, NaN]] — asymmetric
const f = (x: NDArray) =>
  sum(mul(slice(x, { start: 0, stop: 1 }), exp(slice(x, { start: 1, stop: 2 }))));
const nanPoint = array([Number.NaN, 1]);

const ROWS: [string, () => unknown, RegExp][] = [
  ['hessian', () => hessian(f)(nanPoint), /^hessian: argument 0 \(2,\) holds NaN at index 0/],
  [
    'jacobian',
    () => jacobian((x: NDArray) => exp(x))(nanPoint),
    /^jacobian: argument 0 \(2,\) holds NaN/,
  ],
  [
    'grad',
    () => grad(f)(array([1, Number.POSITIVE_INFINITY])),
    /^grad: argument 0 \(2,\) holds Infinity at index 1/,
  ],
  ['valueAndGrad', () => valueAndGrad(f)(nanPoint), /^valueAndGrad: argument 0/],
  ['vjp', () => vjp(f, nanPoint), /^vjp: argument 0/],
  ['jvp', () => jvp(f, [nanPoint], [array([1, 0])]), /^jvp: argument 0/],
  [
    'grad over a pytree names the leaf',
    () =>
      grad((p: { a: NDArray; b: NDArray }) => sum(mul(p.a, p.b)))({ a: array([1]), b: nanPoint }),
    /^grad: argument 0 \(leaf 1\) \(2,\) holds NaN/,
  ],
];

describe('derivative transforms at a non-finite point throw NotFiniteError naming the transform', () => {
  for (const [what, call, message] of ROWS) {
    it(what, () => {
      expect(call).toThrow(NotFiniteError);
      expect(call).toThrow(message);
    });
  }

  it('only the differentiated arguments are checked', () => {
    const g = grad((x: NDArray, c: NDArray) => sum(mul(x, c)), { argnums: 0 });
    expect(g(array([1, 2]), array([3, Number.NaN])).toNested()).toEqual([3, Number.NaN]);
  });

  it('at a finite point the Hessian is the symmetric closed form', () => {
    // ∂²/∂x₀² = 0, ∂²/∂x₀∂x₁ = e^x₁, ∂²/∂x₁² = x₀ e^x₁
    const h = hessian(f)(array([2, 1])).toNested() as number[][];
    expect(h[0]![0]).toBe(0);
    expect(h[0]![1]).toBeCloseTo(Math.E, 14);
    expect(h[1]![0]).toBeCloseTo(Math.E, 14);
    expect(h[1]![1]).toBeCloseTo(2 * Math.E, 14);
  });
});
