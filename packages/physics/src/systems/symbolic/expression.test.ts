import { ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { evaluate, toJs, toText } from './codegen.js';
import {
  type Expr,
  ExpressionError,
  MATH_FUNCTIONS,
  checkNames,
  parseExpression,
} from './expression.js';

const SRC = { op: 'defineSystem', system: 'test', where: "the equation of x'" };
const parse = (s: string) => parseExpression(s, SRC);
const VARS: Record<string, number> = { a: 1.7, b: -0.3, c: 2.9, x: 0.4, y: -1.3, t: 0.25 };
const value = (s: string) => evaluate(parse(s), (id) => VARS[id]!);

/** The tree without source positions, for structural comparison. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var':
      return e.name;
    case 'neg':
      return ['neg', shape(e.arg)];
    case 'bin':
      return [e.op, shape(e.left), shape(e.right)];
    case 'call':
      return [e.fn, ...e.args.map(shape)];
  }
}

/** Catches the error thrown by `fn`. */
function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (e) {
    return e as ExpressionError;
  }
  throw new Error('expected an error');
}

describe('parseExpression', () => {
  it('follows the usual precedence: * / over + −, left-associative', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('8 - 3 - 2')).toBe(3);
    expect(value('8 / 4 / 2')).toBe(1);
    expect(shape(parse('a - b + c'))).toEqual(['+', ['-', 'a', 'b'], 'c']);
    expect(shape(parse('a * (b - c)'))).toEqual(['*', 'a', ['-', 'b', 'c']]);
  });

  it('makes ^ right-associative and tighter than unary minus, with a signed exponent allowed', () => {
    expect(value('2^3^2')).toBe(512);
    expect(value('2**3**2')).toBe(512);
    expect(value('-2^2')).toBe(-4);
    expect(value('(-2)^2')).toBe(4);
    expect(value('2^-1')).toBe(0.5);
    expect(value('-x^2 + 1')).toBe(-(0.4 ** 2) + 1);
    expect(shape(parse('a*b^2'))).toEqual(['*', 'a', ['^', 'b', 2]]);
  });

  it('reads unary minus and plus, numbers in every notation, constants and calls', () => {
    expect(value('--3')).toBe(3);
    expect(value('+x')).toBe(0.4);
    expect(value('a * -b')).toBe(1.7 * 0.3);
    expect(value('1.5e-3 + .5 + 2.')).toBe(1.5e-3 + 0.5 + 2);
    expect(value('pi')).toBe(Math.PI);
    expect(value('atan2(y, x) + hypot(3, 4)')).toBe(Math.atan2(-1.3, 0.4) + 5);
    expect(value('exp(log(c))')).toBe(Math.exp(Math.log(2.9)));
  });

  it('gives errors with the position of the problem', () => {
    const cases: [string, number, RegExp][] = [
      ['1 +', 3, /unexpected end/],
      ['foo(x)', 0, /unknown function 'foo'/],
      ['sin(x, y)', 0, /sin takes 1 argument, got 2/],
      ['(x + 1', 6, /expected '\)'/],
      ['x * $y', 4, /unexpected character '\$'/],
      ['x y', 2, /unexpected 'y' after a complete expression/],
      ['sin + 1', 0, /function 'sin' used without arguments/],
      ['1e999', 0, /overflows/],
    ];
    for (const [text, position, message] of cases) {
      const e = errorOf(() => parse(text));
      expect(e).toBeInstanceOf(ExpressionError);
      expect(e).toBeInstanceOf(ValueError);
      expect(e.position, text).toBe(position);
      expect(e.message).toMatch(message);
      expect(e.message).toContain("system 'test'");
      expect(e.expression).toBe(text);
    }
  });

  it('names an unknown identifier with its position (checkNames)', () => {
    const text = 'sigma*(q - x)';
    const e = errorOf(() => checkNames(parse(text), text, new Set(['sigma', 'x', 't']), SRC));
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.identifier).toBe('q');
    expect(e.position).toBe(7);
    expect(e.message).toMatch(/unknown identifier 'q' at position 7 in the equation of x'/);
    expect(e.message).toContain('sigma*(q - x)\n         ^');
  });

  it('never lets identifiers through to the generated source: only the caller’s names', () => {
    const js = toJs(parse('constructor + process*sin(alert)'), (id) => `v[${id.length}]`);
    expect(js).toBe('(v[11] + (v[7] * Math.sin(v[5])))');
  });
});

describe('toJs and evaluate', () => {
  const cases = [
    'a*(b - c)',
    'x*(a - y) - b',
    '-a^2 + b^3 - 2^-c',
    'x^2*y - (x + y)^2',
    'a / b / c - -x',
    'sin(x)*cos(y) + tan(a/3) - asin(x) + acos(b) + atan(c)',
    'sinh(b) + cosh(x) + tanh(y) + exp(b) - expm1(x) + log(c) + log1p(x)',
    'sqrt(c) + cbrt(b) + abs(y) + sign(b) + pow(c, x) + atan2(y, x) + hypot(a, b)',
  ];

  it('compile to code with the evaluator’s bits (x^2 of a leaf as x·x, which Math.pow(x, 2) equals)', () => {
    for (const text of cases) {
      const e = parse(text);
      const names = Object.keys(VARS);
      const f = new Function(...names, `return ${toJs(e, (id) => id)};`) as (
        ...v: number[]
      ) => number;
      const got = f(...names.map((k) => VARS[k]!));
      expect(
        Object.is(
          got,
          evaluate(e, (id) => VARS[id]!),
        ),
        text,
      ).toBe(true);
    }
    expect(toJs(parse('x^2 + (x+1)^2'), (id) => id)).toBe('((x * x) + Math.pow((x + 1), 2))');
  });

  it('toText prints text that parses back to the same tree', () => {
    for (const text of [
      ...cases,
      'a - (b - c)',
      '(a^b)^c',
      'a^b^c',
      '-(a*b)',
      '(-a)*b',
      '2^(-x)',
    ]) {
      const e = parse(text);
      expect(shape(parse(toText(e))), text).toEqual(shape(e));
    }
    expect(toText(parse('x*(rho - z) - y'))).toBe('x * (rho - z) - y');
  });

  it('covers every whitelisted function', () => {
    const used = new Set<string>();
    for (const text of cases) for (const m of text.matchAll(/([a-z0-9]+)\(/g)) used.add(m[1]!);
    expect([...used].sort()).toEqual(Object.keys(MATH_FUNCTIONS).sort());
  });
});
