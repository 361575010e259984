/**
 * Dual numbers a + b·ε (ε² = 0) for scalar forward mode: f(a + ε) = f(a) + f′(a)·ε. Cheap derivatives of
 * small scalar functions without arrays or tapes.
 *
 * Nesting: the parts of a dual may be duals themselves, which gives higher derivatives. Each `derivative`
 * call tags its duals with a fresh, increasing tag, and arithmetic treats a dual of another tag as a
 * constant of this one, so nested derivatives never mix their perturbations (Siskind & Pearlmutter 2005,
 * "Perturbation confusion and referential transparency").
 */
import { ValueError } from '@sciml/linalg';

/** A number or a (possibly nested) dual number. @public */
export type Num = number | Dual;

/** a + b·ε with ε² = 0; `tag` identifies the derivative it belongs to. @public */
export class Dual {
  /** Which perturbation ε this dual carries (higher = created later = inner). */
  readonly tag: number;
  /** Primal part a. */
  readonly value: Num;
  /** Tangent part b (the derivative). */
  readonly deriv: Num;

  constructor(tag: number, value: Num, deriv: Num) {
    this.tag = tag;
    this.value = value;
    this.deriv = deriv;
  }

  /** `a + bε` printed with nested parts. */
  toString(): string {
    return `(${String(this.value)} + ${String(this.deriv)}ε${this.tag})`;
  }
}

let nextTag = 1;

const tagOf = (x: Num): number => (typeof x === 'number' ? 0 : x.tag);
/** The part of x that does not carry ε_tag. */
const primalOf = (x: Num, tag: number): Num =>
  typeof x !== 'number' && x.tag === tag ? x.value : x;
/** The coefficient of ε_tag in x. */
const tangentOf = (x: Num, tag: number): Num =>
  typeof x !== 'number' && x.tag === tag ? x.deriv : 0;
const top = (a: Num, b: Num): number => Math.max(tagOf(a), tagOf(b));
const make = (tag: number, v: Num, d: Num): Num => (d === 0 ? v : new Dual(tag, v, d));

/** a + b. @public */
export function dadd(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const t = top(a, b);
  return make(t, dadd(primalOf(a, t), primalOf(b, t)), dadd(tangentOf(a, t), tangentOf(b, t)));
}

/** a − b. @public */
export function dsub(a: Num, b: Num): Num {
  return dadd(a, dneg(b));
}

/** −a. @public */
export function dneg(a: Num): Num {
  return typeof a === 'number' ? -a : new Dual(a.tag, dneg(a.value), dneg(a.deriv));
}

/** a · b: d(ab) = a db + b da. @public */
export function dmul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  const t = top(a, b);
  const av = primalOf(a, t);
  const bv = primalOf(b, t);
  return make(t, dmul(av, bv), dadd(dmul(av, tangentOf(b, t)), dmul(tangentOf(a, t), bv)));
}

/** a / b: d(a/b) = (da − (a/b) db) / b. @public */
export function ddiv(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return a / b;
  const t = top(a, b);
  const av = primalOf(a, t);
  const bv = primalOf(b, t);
  const q = ddiv(av, bv);
  return make(t, q, ddiv(dsub(tangentOf(a, t), dmul(q, tangentOf(b, t))), bv));
}

/** Lifts a scalar function with known derivative: f(a + bε) = f(a) + f′(a) b ε. */
function lift(f: (x: number) => number, df: (x: Num) => Num): (x: Num) => Num {
  const g = (x: Num): Num =>
    typeof x === 'number' ? f(x) : make(x.tag, g(x.value), dmul(df(x.value), x.deriv));
  return g;
}

/** eˣ. @public */
export const dexp: (x: Num) => Num = lift(Math.exp, (x) => dexp(x));
/** log x. @public */
export const dlog: (x: Num) => Num = lift(Math.log, (x) => ddiv(1, x));
/** √x. @public */
export const dsqrt: (x: Num) => Num = lift(Math.sqrt, (x) => ddiv(0.5, dsqrt(x)));
/** sin x. @public */
export const dsin: (x: Num) => Num = lift(Math.sin, (x) => dcos(x));
/** cos x. @public */
export const dcos: (x: Num) => Num = lift(Math.cos, (x) => dneg(dsin(x)));
/** tan x: d tan = 1 + tan². @public */
export const dtan: (x: Num) => Num = lift(Math.tan, (x) => dadd(1, dmul(dtan(x), dtan(x))));
/** tanh x: d tanh = 1 − tanh². @public */
export const dtanh: (x: Num) => Num = lift(Math.tanh, (x) => dsub(1, dmul(dtanh(x), dtanh(x))));
/** atan x: d atan = 1/(1 + x²). @public */
export const datan: (x: Num) => Num = lift(Math.atan, (x) => ddiv(1, dadd(1, dmul(x, x))));
/** Logistic σ(x) = 1/(1 + e⁻ˣ): dσ = σ(1 − σ). @public */
export const dsigmoid: (x: Num) => Num = lift(
  (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  (x) => dmul(dsigmoid(x), dsub(1, dsigmoid(x))),
);
/** |x| (derivative sign(x), 0 at 0). @public */
export const dabs: (x: Num) => Num = lift(Math.abs, (x) => Math.sign(primalNumber(x)));

/** aᵇ: d(aᵇ) = b aᵇ⁻¹ da + aᵇ log a db. @public */
export function dpow(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return a ** b;
  if (typeof b === 'number') {
    // constant exponent: valid for negative bases too
    const t = tagOf(a);
    const av = primalOf(a, t);
    return make(t, dpow(av, b), b === 0 ? 0 : dmul(dmul(b, dpow(av, b - 1)), tangentOf(a, t)));
  }
  return dexp(dmul(b, dlog(a)));
}

/** The plain number inside a (nested) dual: its value with every ε set to 0. @public */
export function primalNumber(x: Num): number {
  let v = x;
  while (typeof v !== 'number') v = v.value;
  return v;
}

/**
 * f′ as a function: `derivative(f)(x)` evaluates f on x + ε and returns the ε coefficient. Nests:
 * `derivative(derivative(f))` is f″.
 * @example
 * ```ts
 * derivative((x) => dmul(x, dsin(x)))(1); // sin 1 + cos 1
 * ```
 * @public
 */
export function derivative(f: (x: Num) => Num): (x: Num) => Num {
  return (x: Num) => {
    const tag = nextTag++;
    const y = f(new Dual(tag, x, 1));
    return tangentOf(y, tag);
  };
}

/** The n-th derivative f⁽ⁿ⁾ (n ≥ 0) by nesting `derivative`. @public */
export function nthDerivative(f: (x: Num) => Num, n: number): (x: Num) => Num {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('nthDerivative', `order must be a non-negative integer, got ${n}`);
  let g = f;
  for (let i = 0; i < n; i++) g = derivative(g);
  return g;
}
