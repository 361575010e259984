/**
 * The expression language of symbolic systems: a restricted grammar parsed into an AST, so that code is only
 * ever generated from the tree (numbers re-printed from their values, identifiers mapped to generated names,
 * functions looked up in a whitelist) and never from the user's text.
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary (('^' | '**') unary)?        right-associative; −x^2 = −(x^2), 2^−1 allowed
 *   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 *
 * as in SymPy's and Julia's parsers (exponentiation binds tighter than unary minus, and to the right).
 */
import { ValueError } from '@sciml/linalg';

/** A node of a parsed expression. `pos` is the 0-based offset in the source text. @public */
export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'var'; readonly name: string; readonly pos: number }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | {
      readonly kind: 'bin';
      readonly op: '+' | '-' | '*' | '/' | '^';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'call'; readonly fn: MathFunction; readonly args: readonly Expr[] };

/**
 * A malformed expression of a symbolic system: a syntax error, an unknown identifier or function, a wrong
 * number of arguments. Names the system, the equation, the expression and the offending position.
 * @public
 */
export class ExpressionError extends ValueError {
  /** The system being defined. */
  readonly system: string;
  /** The expression's source text. */
  readonly expression: string;
  /** 0-based offset of the problem in `expression`. */
  readonly position: number;
  /** The unknown identifier or function, when that is the problem. */
  readonly identifier: string | undefined;

  constructor(
    op: string,
    system: string,
    where: string,
    expression: string,
    position: number,
    problem: string,
    identifier?: string,
    hint?: string,
  ) {
    super(
      op,
      `${problem} at position ${position} in ${where} of system '${system}'${hint ? ` (${hint})` : ''}:\n  ${expression}\n  ${' '.repeat(position)}^`,
    );
    this.system = system;
    this.expression = expression;
    this.position = position;
    this.identifier = identifier;
  }
}

/**
 * The whitelisted functions: name → arity and the `Math` member the generated code calls. Nothing outside
 * this table can be called from an expression.
 */
export const MATH_FUNCTIONS = {
  sin: 1,
  cos: 1,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  sinh: 1,
  cosh: 1,
  tanh: 1,
  exp: 1,
  expm1: 1,
  log: 1,
  log1p: 1,
  sqrt: 1,
  cbrt: 1,
  abs: 1,
  sign: 1,
  pow: 2,
  atan2: 2,
  hypot: 2,
} as const;

/** Name of a whitelisted function. @public */
export type MathFunction = keyof typeof MATH_FUNCTIONS;

/** Named constants an expression may use (replaced by their value when parsed). */
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI };

/** Names a state or parameter may not take: the functions, the constants and the time `t`. */
export function isReservedName(name: string): boolean {
  return Object.hasOwn(MATH_FUNCTIONS, name) || Object.hasOwn(CONSTANTS, name) || name === 't';
}

/** Where an expression comes from, for error messages. */
export interface ExpressionSource {
  /** Operation reported by errors (e.g. `'defineSystem'`). */
  readonly op: string;
  /** Name of the system. */
  readonly system: string;
  /** Which expression, e.g. `"the equation of x'"`. */
  readonly where: string;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

/**
 * Parses one expression into its AST. Identifiers other than functions and constants become `var` nodes
 * (checked against the system's names by {@link checkNames}); throws {@link ExpressionError} on a syntax
 * error, an unknown function or a wrong argument count.
 */
export function parseExpression(text: string, source: ExpressionSource): Expr {
  if (typeof text !== 'string') {
    throw new ValueError(
      source.op,
      `${source.where} of system '${source.system}' must be a string expression, got ${typeof text}`,
    );
  }
  let pos = 0;
  const fail = (at: number, problem: string, identifier?: string, hint?: string): never => {
    throw new ExpressionError(
      source.op,
      source.system,
      source.where,
      text,
      at,
      problem,
      identifier,
      hint,
    );
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const peek = (s: string) => {
    skip();
    return text.startsWith(s, pos);
  };
  const expect = (s: string) => {
    if (!peek(s))
      fail(pos, pos < text.length ? `expected '${s}', found '${text[pos]}'` : `expected '${s}'`);
    pos += s.length;
  };

  const expr = (): Expr => {
    let left = term();
    for (;;) {
      if (peek('+')) {
        pos++;
        left = { kind: 'bin', op: '+', left, right: term() };
      } else if (peek('-')) {
        pos++;
        left = { kind: 'bin', op: '-', left, right: term() };
      } else return left;
    }
  };
  const term = (): Expr => {
    let left = unary();
    for (;;) {
      if (peek('*')) {
        pos++;
        left = { kind: 'bin', op: '*', left, right: unary() };
      } else if (peek('/')) {
        pos++;
        left = { kind: 'bin', op: '/', left, right: unary() };
      } else return left;
    }
  };
  const unary = (): Expr => {
    if (peek('-')) {
      pos++;
      return { kind: 'neg', arg: unary() };
    }
    if (peek('+')) {
      pos++;
      return unary();
    }
    return power();
  };
  const power = (): Expr => {
    const base = primary();
    if (peek('^') || peek('**')) {
      pos += text[pos] === '^' ? 1 : 2;
      return { kind: 'bin', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const primary = (): Expr => {
    skip();
    const start = pos;
    if (pos >= text.length) return fail(pos, 'unexpected end of expression');
    if (text[pos] === '(') {
      pos++;
      const inner = expr();
      expect(')');
      return inner;
    }
    NUMBER.lastIndex = pos;
    const num = NUMBER.exec(text);
    if (num) {
      pos += num[0].length;
      const value = Number(num[0]);
      if (!Number.isFinite(value)) fail(start, `number ${num[0]} overflows float64`);
      return { kind: 'num', value };
    }
    IDENT.lastIndex = pos;
    const id = IDENT.exec(text);
    if (!id) return fail(pos, `unexpected character '${text[pos]}'`);
    const name = id[0];
    pos += name.length;
    if (peek('(')) {
      if (!Object.hasOwn(MATH_FUNCTIONS, name)) {
        return fail(
          start,
          `unknown function '${name}'`,
          name,
          `allowed: ${Object.keys(MATH_FUNCTIONS).join(', ')}`,
        );
      }
      const fn = name as MathFunction;
      pos++;
      const args = [expr()];
      while (peek(',')) {
        pos++;
        args.push(expr());
      }
      expect(')');
      const arity = MATH_FUNCTIONS[fn];
      if (args.length !== arity) {
        fail(
          start,
          `${fn} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`,
          name,
        );
      }
      return { kind: 'call', fn, args };
    }
    if (Object.hasOwn(CONSTANTS, name)) return { kind: 'num', value: CONSTANTS[name]! };
    if (Object.hasOwn(MATH_FUNCTIONS, name)) {
      return fail(start, `function '${name}' used without arguments`, name);
    }
    return { kind: 'var', name, pos: start };
  };

  const tree = expr();
  skip();
  if (pos < text.length) fail(pos, `unexpected '${text[pos]}' after a complete expression`);
  return tree;
}

/**
 * Throws {@link ExpressionError} at the first identifier of `tree` that is not in `known` (the states, the
 * parameters and `t`), naming it and listing what is known.
 */
export function checkNames(
  tree: Expr,
  text: string,
  known: ReadonlySet<string>,
  source: ExpressionSource,
): void {
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'num':
        return;
      case 'var':
        if (!known.has(e.name)) {
          throw new ExpressionError(
            source.op,
            source.system,
            source.where,
            text,
            e.pos,
            `unknown identifier '${e.name}'`,
            e.name,
            `known: ${[...known].join(', ')}`,
          );
        }
        return;
      case 'neg':
        visit(e.arg);
        return;
      case 'bin':
        visit(e.left);
        visit(e.right);
        return;
      case 'call':
        for (const a of e.args) visit(a);
    }
  };
  visit(tree);
}

/** Whether `tree` mentions the identifier `name`. */
export function mentions(tree: Expr, name: string): boolean {
  switch (tree.kind) {
    case 'num':
      return false;
    case 'var':
      return tree.name === name;
    case 'neg':
      return mentions(tree.arg, name);
    case 'bin':
      return mentions(tree.left, name) || mentions(tree.right, name);
    case 'call':
      return tree.args.some((a) => mentions(a, name));
  }
}
