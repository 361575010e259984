/**
 * Symbolic systems: y' = f(t, y; p) declared as expressions, compiled into (1) an in-place right-hand side
 * that every method of `solveIVP` calls, (2) its analytic Jacobian by symbolic differentiation (for the stiff
 * methods' `jac`), and (3) fixed-step loops with f written into them, state and stages in locals (what JAX's
 * `jit(odeint)` or ModelingToolkit/SymPy's `lambdify` give): `solveIVP(system.rhs, …, { method: 'RK4', dt })`
 * runs that loop, with the same bits as the generic loop calling `system.rhs`.
 */
import { NotFiniteError, ShapeError, ValueError } from '@sciml/linalg';
import { withInlineKernels } from '../../integrate/inline-kernels.js';
import { EULER } from '../../integrate/methods/euler.js';
import { RK4 } from '../../integrate/methods/rk4.js';
import type { FixedMethod, StepKernel } from '../../integrate/steppers/fixed-kernels.js';
import {
  type InlineRhs,
  compileTableauKernel,
  numberLiteral,
} from '../../integrate/steppers/tableau-kernel.js';
import type { OdeRhsInPlace } from '../../integrate/types.js';
import type { DynamicalSystem } from '../system.js';
import { registerSystem } from '../system.js';
import { evaluate, toJs, toText } from './codegen.js';
import { differentiate } from './differentiate.js';
import {
  type Expr,
  type ExpressionSource,
  checkNames,
  isReservedName,
  parseExpression,
} from './expression.js';

const OP = 'defineSystem';

/**
 * A system declared as expressions. Each equation is text in a small language: numbers, the state names,
 * the parameter names and `t`; `+ − * / ^` (`**` too; `^` binds tighter than unary minus and to the right);
 * parentheses; `pi`; and the functions sin cos tan asin acos atan sinh cosh tanh exp expm1 log log1p sqrt
 * cbrt abs sign pow atan2 hypot.
 * @public
 */
export interface SymbolicSystemSpec<S extends string = string> {
  /** Name, used by errors and as `DynamicalSystem.name` (default `'symbolic system'`). */
  readonly name?: string;
  /** Names of the state components, in the order of the state vector. */
  readonly state: readonly S[];
  /** Parameter values by name (finite numbers), compiled in as constants. */
  readonly params?: Readonly<Record<string, number>>;
  /** The right-hand side: one expression per state name, its time derivative. */
  readonly rhs: Readonly<Record<S, string>>;
  /** The initial state `initialState()` returns (default: none; `initialState()` then throws). */
  readonly initialState?: ArrayLike<number>;
}

/** Largest state dimension whose fixed-step loops are generated with f written in (beyond: the generic loop). */
export const INLINE_KERNEL_MAX_DIM = 64;

/** `this`-free view of a parsed system that the compilers read. */
interface Parsed {
  readonly name: string;
  readonly state: readonly string[];
  readonly params: Readonly<Record<string, number>>;
  readonly trees: readonly Expr[];
}

/** The JS expression for an identifier: a state local, a parameter literal, or the time. */
function namer(p: Parsed, state: readonly string[], time: string): (id: string) => string {
  const index = new Map(p.state.map((s, i) => [s, i]));
  return (id) => {
    const i = index.get(id);
    if (i !== undefined) return state[i]!;
    if (id === 't') return time;
    return numberLiteral(p.params[id]!);
  };
}

/** The states that `trees` mention, as `const y_i = y[i]` loads. */
function loads(p: Parsed, trees: readonly Expr[], array: string): string {
  const used = new Set<number>();
  const visit = (e: Expr): void => {
    if (e.kind === 'var') {
      const i = p.state.indexOf(e.name);
      if (i >= 0) used.add(i);
    } else if (e.kind === 'neg') visit(e.arg);
    else if (e.kind === 'bin') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'call') e.args.forEach(visit);
  };
  trees.forEach(visit);
  const list = [...used].sort((a, b) => a - b);
  return list.length === 0 ? '' : `const ${list.map((i) => `y_${i} = ${array}[${i}]`).join(', ')};`;
}

/** Compiles `function (t, y, out) { out[k] = trees[k] … }`, or undefined where strings cannot be compiled. */
function compileWriter(
  p: Parsed,
  trees: readonly Expr[],
  label: string,
): OdeRhsInPlace | undefined {
  const name = namer(
    p,
    p.state.map((_, i) => `y_${i}`),
    't',
  );
  const body = trees.map((e, k) => `out[${k}] = ${toJs(e, name)};`).join('\n  ');
  const source = `function ${label}(t, y, out) {\n  ${loads(p, trees, 'y')}\n  ${body}\n}`;
  try {
    return new Function(`return (${source});`)() as OdeRhsInPlace;
  } catch (e) {
    // a Content-Security-Policy refuses with EvalError; anything else is a bug in the generator
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}

/** The tree-walking evaluator of `trees` (the reference semantics; the fallback without `new Function`). */
function interpretWriter(p: Parsed, trees: readonly Expr[]): OdeRhsInPlace {
  const scratch = new Float64Array(trees.length);
  return (t, y, out) => {
    const value = (id: string): number => {
      const i = p.state.indexOf(id);
      if (i >= 0) return y[i]!;
      return id === 't' ? t : p.params[id]!;
    };
    for (let k = 0; k < trees.length; k++) scratch[k] = evaluate(trees[k]!, value);
    out.set(scratch);
  };
}

/** Whether a name can be a state or parameter: an identifier of the language, not a function, `pi` or `t`. */
function checkName(name: unknown, kind: string, system: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ValueError(
      OP,
      `${kind} name ${JSON.stringify(name)} of system '${system}' is not an identifier (letters, digits, _; not starting with a digit)`,
    );
  }
  if (isReservedName(name)) {
    throw new ValueError(
      OP,
      `${kind} name '${name}' of system '${system}' is reserved (a function, the constant pi, or the time t); rename it`,
    );
  }
  return name;
}

/** Validates a spec and parses its equations. */
function parseSpec(spec: SymbolicSystemSpec): Parsed {
  if (spec === null || typeof spec !== 'object')
    throw new ValueError(OP, 'expected { state, params?, rhs } describing the system');
  const name = spec.name ?? 'symbolic system';
  if (typeof name !== 'string') throw new ValueError(OP, 'name must be a string');
  if (!Array.isArray(spec.state) || spec.state.length === 0)
    throw new ValueError(OP, `state of system '${name}' must be a non-empty array of names`);
  const state = spec.state.map((s) => checkName(s, 'state', name));
  const seen = new Set<string>();
  for (const s of state) {
    if (seen.has(s)) throw new ValueError(OP, `state '${s}' of system '${name}' is declared twice`);
    seen.add(s);
  }
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(spec.params ?? {})) {
    checkName(k, 'parameter', name);
    if (seen.has(k))
      throw new ValueError(OP, `'${k}' of system '${name}' is both a state and a parameter`);
    if (typeof v !== 'number')
      throw new ValueError(
        OP,
        `parameter ${k} of system '${name}' must be a number, got ${typeof v}`,
      );
    if (!Number.isFinite(v))
      throw new NotFiniteError(
        OP,
        `parameter ${k} of system '${name}' is ${v}; give a finite value`,
      );
    params[k] = v;
  }
  const rhs = spec.rhs as Readonly<Record<string, string>>;
  if (rhs === null || typeof rhs !== 'object')
    throw new ValueError(OP, `rhs of system '${name}' must map each state to an expression`);
  for (const k of Object.keys(rhs)) {
    if (!seen.has(k)) {
      throw new ValueError(
        OP,
        `rhs of system '${name}' has an equation for '${k}', which is not a state (states: ${state.join(', ')})`,
      );
    }
  }
  const known = new Set([...state, ...Object.keys(params), 't']);
  const trees = state.map((s) => {
    if (!Object.hasOwn(rhs, s)) {
      throw new ValueError(
        OP,
        `rhs of system '${name}' has no equation for state '${s}'; add ${s}: '<expression>' (write '0' for a constant)`,
      );
    }
    const source: ExpressionSource = { op: OP, system: name, where: `the equation of ${s}'` };
    const tree = parseExpression(rhs[s]!, source);
    checkNames(tree, rhs[s]!, known, source);
    return tree;
  });
  return { name, state, params, trees };
}

/**
 * A dynamical system compiled from expressions (see {@link defineSystem}): usable wherever a
 * {@link DynamicalSystem} or an in-place right-hand side is (`solveIVP(system.rhs, …)`, `simulate`, the
 * stability tools), with an analytic Jacobian and fixed-step loops that have f written in.
 * @public
 */
export class SymbolicSystem implements DynamicalSystem {
  /** Name of the system. */
  readonly name: string;
  /** State dimension n. */
  readonly dim: number;
  /** Names of the state components, in order. */
  readonly stateNames: readonly string[];
  /** Parameter values compiled in. */
  readonly params: Readonly<Record<string, number>>;
  /** The equations as given, by state name. */
  readonly equations: Readonly<Record<string, string>>;
  /**
   * f(t, y) written into `dydt`: compiled from the equations (a tree-walking evaluator with the same bits
   * where the runtime does not compile code from strings). `solveIVP` with `'RK4'` or `'Euler'` runs it
   * written into the step loop.
   */
  readonly rhs: OdeRhsInPlace;
  /** ∂f/∂y at (t, y) written into `jac` (n×n row-major), by symbolic differentiation of the equations. */
  readonly jacobian: (t: number, y: Float64Array, jac: Float64Array) => void;

  readonly #parsed: Parsed;
  readonly #initial: Float64Array | undefined;
  readonly #spec: SymbolicSystemSpec;
  #jtrees: readonly Expr[] | undefined;

  /** Parses, checks and compiles `spec` (prefer {@link defineSystem}). */
  constructor(spec: SymbolicSystemSpec) {
    const p = parseSpec(spec);
    this.#spec = spec;
    this.#parsed = p;
    this.name = p.name;
    this.dim = p.state.length;
    this.stateNames = Object.freeze([...p.state]);
    this.params = Object.freeze({ ...p.params });
    this.equations = Object.freeze(Object.fromEntries(p.state.map((s) => [s, spec.rhs[s]!])));
    if (spec.initialState !== undefined) {
      const y0 = Float64Array.from(spec.initialState);
      if (y0.length !== this.dim) {
        throw new ShapeError(
          OP,
          `initialState of system '${p.name}' has ${y0.length} values, the system ${this.dim} states`,
        );
      }
      if (!y0.every(Number.isFinite))
        throw new NotFiniteError(OP, `initialState of system '${p.name}' must be finite`);
      this.#initial = y0;
    }
    const rhs = compileWriter(p, p.trees, 'rhs') ?? interpretWriter(p, p.trees);
    // the rhs is a fresh function per system: its loops are cached against it
    const kernels = new Map<FixedMethod, StepKernel | undefined>();
    const inline: InlineRhs = {
      dim: this.dim,
      expressions: (time, state) => p.trees.map((e) => toJs(e, namer(p, state, time))),
    };
    this.rhs = withInlineKernels(rhs, (method) => {
      if (this.dim > INLINE_KERNEL_MAX_DIM) return undefined;
      if (!kernels.has(method))
        kernels.set(method, compileTableauKernel(method === 'RK4' ? RK4 : EULER, inline));
      return kernels.get(method);
    });
    const jtrees = this.#jacobianTrees();
    this.jacobian = compileWriter(p, jtrees, 'jacobian') ?? interpretWriter(p, jtrees);
    registerSystem(this);
  }

  /** ∂fᵢ/∂yⱼ as trees, row-major. */
  #jacobianTrees(): readonly Expr[] {
    if (this.#jtrees === undefined) {
      const p = this.#parsed;
      this.#jtrees = p.trees.flatMap((e) => p.state.map((s) => differentiate(e, s)));
    }
    return this.#jtrees;
  }

  /** The Jacobian's entries ∂fᵢ/∂yⱼ as expressions (rows by state), e.g. `[['-sigma', 'sigma', '0'], …]` for Lorenz-63. */
  jacobianEquations(): string[][] {
    const n = this.dim;
    const t = this.#jacobianTrees();
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => toText(t[i * n + j]!)),
    );
  }

  /** The declared initial state (a fresh array); throws when the system was defined without one. */
  initialState(): Float64Array {
    if (this.#initial === undefined) {
      throw new ValueError(
        `${this.name}.initialState`,
        `system '${this.name}' was defined without an initialState; pass y0 explicitly or declare initialState in defineSystem`,
      );
    }
    return Float64Array.from(this.#initial);
  }

  /** The same equations with some parameters changed (a new compiled system; unknown names are an error). */
  withParams(params: Readonly<Record<string, number>>): SymbolicSystem {
    for (const k of Object.keys(params)) {
      if (!Object.hasOwn(this.params, k)) {
        throw new ValueError(
          `${this.name}.withParams`,
          `unknown parameter '${k}'; the system has ${Object.keys(this.params).join(', ') || 'none'}`,
        );
      }
    }
    return new SymbolicSystem({ ...this.#spec, params: { ...this.params, ...params } });
  }

  /** The equations, one per line: `x' = sigma*(y - x)`. */
  toString(): string {
    return this.stateNames.map((s) => `${s}' = ${this.equations[s]}`).join('\n');
  }
}

/**
 * Defines a dynamical system y' = f(t, y; p) from expressions and compiles it: the in-place right-hand side
 * every integrator calls, the analytic Jacobian (symbolic differentiation), and fixed-step RK4/Euler loops
 * generated from their Butcher tableaux with f written in (state and stages in locals), which
 * `solveIVP(system.rhs, …, { method: 'RK4', dt })` runs — same bits as the generic loop. Code is generated
 * from the parsed tree only; unknown identifiers, syntax errors, a missing equation or a non-finite parameter
 * are typed errors ({@link ExpressionError}, `ValueError`, `NotFiniteError`) naming the system.
 *
 * @example
 * ```ts
 * const lorenz = defineSystem({
 *   name: 'Lorenz-63',
 *   state: ['x', 'y', 'z'],
 *   params: { sigma: 10, rho: 28, beta: 8 / 3 },
 *   rhs: { x: 'sigma*(y - x)', y: 'x*(rho - z) - y', z: 'x*y - beta*z' },
 * });
 * const sol = solveIVP(lorenz.rhs, [0, 10], [1, 1, 1], { method: 'RK4', dt: 0.01 });
 * ```
 * @public
 */
export function defineSystem<const S extends string>(spec: SymbolicSystemSpec<S>): SymbolicSystem {
  return new SymbolicSystem(spec as SymbolicSystemSpec);
}
