import { type NDArray, array, exp, mul, sin, tanh } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  Dual,
  dabs,
  dadd,
  datan,
  dcos,
  ddiv,
  derivative,
  dexp,
  dlog,
  dmul,
  dpow,
  dsigmoid,
  dsin,
  dsqrt,
  dsub,
  dtan,
  dtanh,
  nthDerivative,
  primalNumber,
  type Num,
} from './dual.js';
import { grad } from './transforms/reverse.js';

const num = (x: Num): number => {
  expect(typeof x).toBe('number');
  return x as number;
};

describe('Dual', () => {
  it('elementary functions have their textbook derivatives', () => {
    const x = 0.7;
    const cases: [(x: Num) => Num, number][] = [
      [dexp, Math.exp(x)],
      [dlog, 1 / x],
      [dsqrt, 0.5 / Math.sqrt(x)],
      [dsin, Math.cos(x)],
      [dcos, -Math.sin(x)],
      [dtan, 1 / Math.cos(x) ** 2],
      [dtanh, 1 - Math.tanh(x) ** 2],
      [datan, 1 / (1 + x * x)],
      [dsigmoid, Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
      [dabs, 1],
      [(v) => dpow(v, 3), 3 * x * x],
      [(v) => dpow(2, v), Math.log(2) * 2 ** x],
      [(v) => dpow(v, v), x ** x * (Math.log(x) + 1)],
      [(v) => ddiv(1, v), -1 / (x * x)],
      [(v) => dsub(dmul(v, v), v), 2 * x - 1],
    ];
    for (const [f, expected] of cases) expect(num(derivative(f)(x))).toBeCloseTo(expected, 13);
  });

  it('nests for higher derivatives: (sin)⁽⁴⁾ = sin, (eˣ x³)″ = eˣ(x³ + 6x² + 6x)', () => {
    expect(num(nthDerivative(dsin, 4)(1.1))).toBeCloseTo(Math.sin(1.1), 12);
    const f = (v: Num) => dmul(dexp(v), dmul(v, dmul(v, v)));
    const x = 0.4;
    expect(num(nthDerivative(f, 2)(x))).toBeCloseTo(Math.exp(x) * (x ** 3 + 6 * x * x + 6 * x), 12);
    expect(num(nthDerivative(f, 0)(x))).toBeCloseTo(Math.exp(x) * x ** 3, 14);
  });

  it('avoids perturbation confusion (Siskind & Pearlmutter): d/dx [x · d/dy (x + y)] = 1', () => {
    const inner = (x: Num) => derivative((y) => dadd(x, y))(1);
    expect(num(derivative((x) => dmul(x, inner(x)))(3))).toBe(1);
    // and d/dx [x · d/dy (x y)] = 2x
    const f = (x: Num) => dmul(x, derivative((y) => dmul(x, y))(2));
    expect(num(derivative(f)(3))).toBe(6);
  });

  it('agrees with grad on the NDArray version of the same function', () => {
    const fD = (v: Num) => dmul(dtanh(v), dsin(dmul(v, 3)));
    const fA = (v: NDArray) => mul(tanh(v), sin(mul(v, 3)));
    for (const x of [-0.8, 0.1, 1.3]) {
      expect(num(derivative(fD)(x))).toBeCloseTo(grad(fA)(array(x)).item(), 13);
      expect(num(nthDerivative(fD, 2)(x))).toBeCloseTo(grad(grad(fA))(array(x)).item(), 12);
    }
    void exp;
  });

  it('exposes its parts', () => {
    const d = new Dual(99, new Dual(98, 2, 1), 3);
    expect(primalNumber(d)).toBe(2);
    expect(String(d)).toBe('((2 + 1ε98) + 3ε99)');
    expect(() => nthDerivative(dsin, -1)).toThrow(/non-negative/);
  });
});
