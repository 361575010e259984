/**
 * Symbolic differentiation of expression trees (the analytic Jacobian ∂fᵢ/∂yⱼ of a symbolic system): the
 * chain rule over one rule per whitelisted function, with the algebraic simplifications that keep the
 * result small (0·x = 0, 1·x = x, x + 0 = x, constants folded).
 */
import type { Expr, MathFunction } from './expression.js';

const num = (value: number): Expr => ({ kind: 'num', value });
const ZERO = num(0);
const ONE = num(1);
const isNum = (e: Expr): e is Extract<Expr, { kind: 'num' }> => e.kind === 'num';
/** Whether `e` is the number `v`. */
const is = (e: Expr, v: number): boolean => e.kind === 'num' && e.value === v;

/** −a, folded. */
export function neg(a: Expr): Expr {
  if (isNum(a)) return num(-a.value);
  if (a.kind === 'neg') return a.arg;
  return { kind: 'neg', arg: a };
}
/** a + b, simplified. */
export function add(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value + b.value);
  if (is(a, 0)) return b;
  if (is(b, 0)) return a;
  if (b.kind === 'neg') return sub(a, b.arg);
  return { kind: 'bin', op: '+', left: a, right: b };
}
/** a − b, simplified. */
export function sub(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value - b.value);
  if (is(b, 0)) return a;
  if (is(a, 0)) return neg(b);
  return { kind: 'bin', op: '-', left: a, right: b };
}
/** a·b, simplified (0·x = 0: the Jacobian of a finite f, where x is finite). */
export function mul(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.value * b.value);
  if (is(a, 0) || is(b, 0)) return ZERO;
  if (is(a, 1)) return b;
  if (is(b, 1)) return a;
  if (is(a, -1)) return neg(b);
  if (is(b, -1)) return neg(a);
  return { kind: 'bin', op: '*', left: a, right: b };
}
/** a / b, simplified. */
export function div(a: Expr, b: Expr): Expr {
  if (is(a, 0)) return ZERO;
  if (is(b, 1)) return a;
  if (isNum(a) && isNum(b)) return num(a.value / b.value);
  return { kind: 'bin', op: '/', left: a, right: b };
}
/** aᵇ, simplified (a¹ = a, a⁰ = 1). */
export function pow(a: Expr, b: Expr): Expr {
  if (is(b, 1)) return a;
  if (is(b, 0)) return ONE;
  // biome-ignore lint/style/useExponentiationOperator: folds what the generated Math.pow would compute
  if (isNum(a) && isNum(b)) return num(Math.pow(a.value, b.value));
  return { kind: 'bin', op: '^', left: a, right: b };
}
const call = (fn: MathFunction, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });

/**
 * d f(a, b)/dx given the arguments and their derivatives: one rule per whitelisted function, so that a
 * function without a rule does not compile.
 */
const RULES: {
  readonly [F in MathFunction]: (args: readonly Expr[], d: readonly Expr[]) => Expr;
} = {
  sin: ([a], [da]) => mul(call('cos', a!), da!), // d sin a = cos a da
  cos: ([a], [da]) => neg(mul(call('sin', a!), da!)), // d cos a = −sin a da
  tan: ([a], [da]) => mul(add(ONE, pow(call('tan', a!), num(2))), da!), // d tan a = (1 + tan² a) da
  asin: ([a], [da]) => div(da!, call('sqrt', sub(ONE, pow(a!, num(2))))), // da/√(1 − a²)
  acos: ([a], [da]) => neg(div(da!, call('sqrt', sub(ONE, pow(a!, num(2)))))), // −da/√(1 − a²)
  atan: ([a], [da]) => div(da!, add(ONE, pow(a!, num(2)))), // da/(1 + a²)
  sinh: ([a], [da]) => mul(call('cosh', a!), da!), // d sinh a = cosh a da
  cosh: ([a], [da]) => mul(call('sinh', a!), da!), // d cosh a = sinh a da
  tanh: ([a], [da]) => mul(sub(ONE, pow(call('tanh', a!), num(2))), da!), // (1 − tanh² a) da
  exp: ([a], [da]) => mul(call('exp', a!), da!), // d eᵃ = eᵃ da
  expm1: ([a], [da]) => mul(call('exp', a!), da!), // d (eᵃ − 1) = eᵃ da
  log: ([a], [da]) => div(da!, a!), // d log a = da/a
  log1p: ([a], [da]) => div(da!, add(ONE, a!)), // d log(1 + a) = da/(1 + a)
  sqrt: ([a], [da]) => div(da!, mul(num(2), call('sqrt', a!))), // da/(2√a)
  cbrt: ([a], [da]) => div(da!, mul(num(3), pow(call('cbrt', a!), num(2)))), // da/(3 ∛a²)
  abs: ([a], [da]) => mul(call('sign', a!), da!), // d|a| = sign(a) da (0 at a = 0: a subgradient)
  sign: () => ZERO, // piecewise constant
  pow: ([a, b], [da, db]) => powRule(a!, b!, da!, db!),
  atan2: ([a, b], [da, db]) =>
    // d atan2(a, b) = (b da − a db)/(a² + b²)
    div(sub(mul(b!, da!), mul(a!, db!)), add(pow(a!, num(2)), pow(b!, num(2)))),
  hypot: ([a, b], [da, db]) =>
    // d √(a² + b²) = (a da + b db)/√(a² + b²)
    div(add(mul(a!, da!), mul(b!, db!)), call('hypot', a!, b!)),
};

/** d aᵇ = b aᵇ⁻¹ da for constant b; aᵇ (db log a + b da/a) in general. */
function powRule(a: Expr, b: Expr, da: Expr, db: Expr): Expr {
  if (is(db, 0)) return mul(mul(b, pow(a, sub(b, ONE))), da);
  return mul(pow(a, b), add(mul(db, call('log', a)), div(mul(b, da), a)));
}

/** ∂(a op b)/∂x from a, b and their derivatives. */
function binaryRule(op: '+' | '-' | '*' | '/' | '^', a: Expr, b: Expr, da: Expr, db: Expr): Expr {
  switch (op) {
    case '+':
      return add(da, db);
    case '-':
      return sub(da, db);
    case '*':
      return add(mul(da, b), mul(a, db)); // product rule
    case '/':
      return sub(div(da, b), div(mul(a, db), pow(b, num(2)))); // quotient rule
    case '^':
      return powRule(a, b, da, db);
  }
}

/** ∂e/∂x: the derivative of `e` with respect to the identifier `x` (other identifiers are constants). */
export function differentiate(e: Expr, x: string): Expr {
  switch (e.kind) {
    case 'num':
      return ZERO;
    case 'var':
      return e.name === x ? ONE : ZERO;
    case 'neg':
      return neg(differentiate(e.arg, x));
    case 'bin':
      return binaryRule(e.op, e.left, e.right, differentiate(e.left, x), differentiate(e.right, x));
    case 'call':
      return RULES[e.fn](
        e.args,
        e.args.map((a) => differentiate(a, x)),
      );
  }
}
