/**
 * JavaScript source from an expression tree, and the tree-walking evaluator that is its reference (and the
 * fallback where code cannot be compiled from strings). Both perform the same IEEE operations in the same
 * order, so they agree to the last bit.
 *
 * What reaches the generated source: numbers re-printed from their float64 values (`String` round-trips),
 * names chosen by the caller for each identifier, `Math.<f>` for whitelisted functions, operators and
 * parentheses. Never text of the user's.
 */
import { numberLiteral } from '../../integrate/steppers/tableau-kernel.js';
import type { Expr, MathFunction } from './expression.js';

/** Whether `x^2` may be written `x * x`: a leaf, evaluated twice at no cost. Math.pow(x, 2) === x·x exactly. */
function isLeaf(e: Expr): boolean {
  return e.kind === 'num' || e.kind === 'var';
}

/**
 * Source of `e`, fully parenthesised so that JS evaluates it in the tree's order; `name` maps each identifier
 * to the JS expression holding its value (a local, a literal).
 */
export function toJs(e: Expr, name: (id: string) => string): string {
  switch (e.kind) {
    case 'num':
      return numberLiteral(e.value);
    case 'var':
      return name(e.name);
    case 'neg':
      return `(-${toJs(e.arg, name)})`;
    case 'bin': {
      const l = toJs(e.left, name);
      if (e.op === '^') {
        if (e.right.kind === 'num' && e.right.value === 2 && isLeaf(e.left)) return `(${l} * ${l})`;
        return `Math.pow(${l}, ${toJs(e.right, name)})`;
      }
      return `(${l} ${e.op} ${toJs(e.right, name)})`;
    }
    case 'call':
      return `Math.${e.fn}(${e.args.map((a) => toJs(a, name)).join(', ')})`;
  }
}

/** The whitelisted functions as callables (the evaluator's view of `Math.<f>`). */
const CALL: { readonly [F in MathFunction]: (...args: number[]) => number } = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  abs: Math.abs,
  sign: Math.sign,
  pow: Math.pow,
  atan2: Math.atan2,
  hypot: Math.hypot,
};

/** a op b in IEEE float64 (`^` is Math.pow). */
function binary(op: '+' | '-' | '*' | '/' | '^', a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      // biome-ignore lint/style/useExponentiationOperator: the generated code calls Math.pow; same function here
      return Math.pow(a, b);
  }
}

/** Value of `e` with identifier values from `value` (the reference semantics of {@link toJs}). */
export function evaluate(e: Expr, value: (id: string) => number): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var':
      return value(e.name);
    case 'neg':
      return -evaluate(e.arg, value);
    case 'bin':
      return binary(e.op, evaluate(e.left, value), evaluate(e.right, value));
    case 'call':
      return CALL[e.fn](...e.args.map((a) => evaluate(a, value)));
  }
}

/** Binding strength of a node as text: + − 1, * / 2, unary minus 3, ^ 4, atoms 5. */
function precedence(e: Expr): number {
  if (e.kind === 'num') return e.value < 0 || Object.is(e.value, -0) ? 3 : 5;
  if (e.kind === 'neg') return 3;
  if (e.kind === 'bin') return e.op === '^' ? 4 : e.op === '+' || e.op === '-' ? 1 : 2;
  return 5;
}

/**
 * `e` as expression text with the fewest parentheses that parse back to the same tree (so the same
 * arithmetic): `x*(rho - z) - y`, `-x^2`, `a - (b - c)`.
 */
export function toText(e: Expr): string {
  const wrap = (s: string, yes: boolean) => (yes ? `(${s})` : s);
  switch (e.kind) {
    case 'num':
      return Object.is(e.value, -0) ? '-0' : String(e.value);
    case 'var':
      return e.name;
    case 'neg':
      return `-${wrap(toText(e.arg), precedence(e.arg) < 4)}`;
    case 'bin': {
      const p = precedence(e);
      if (e.op === '^') {
        return `${wrap(toText(e.left), precedence(e.left) <= 4)}^${wrap(toText(e.right), precedence(e.right) < 3)}`;
      }
      const left = wrap(toText(e.left), precedence(e.left) < p);
      const right = wrap(toText(e.right), precedence(e.right) <= p);
      return `${left} ${e.op} ${right}`;
    }
    case 'call':
      return `${e.fn}(${e.args.map(toText).join(', ')})`;
  }
}
