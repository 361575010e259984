/**
 * The one gradient checker of @sciml: forward and reverse derivatives compared with central finite
 * differences, recursively to any order (JAX's `check_grads`, `jax/_src/public_test_util.py`).
 *
 * - `fwd`: jvp(f)(x; v) against (f(x + εv) − f(x − εv)) / 2ε along a random direction v.
 * - `rev`: ⟨vjp(f)(x; u), v⟩ against ⟨u, the finite-difference jvp⟩ for random u and v.
 * - order k > 1: the same checks on the derivative maps themselves — (x, v) ↦ jvp(f)(x; v) for `fwd` and
 *   x ↦ vjp(f)(x; f(x)) for `rev` — down to order 1.
 *
 * Values are read back synchronously, so the arguments must live on a backend with synchronous reads (the
 * CPU); check in float64 for tight tolerances.
 */
import {
  Generator,
  type NDArray,
  SciMLError,
  add,
  fromTypedArray,
  isFloat,
  mul,
} from '@sciml/linalg';
import { zerosLike } from './rules/util.js';
import { jvp } from './transforms/forward.js';
import { vjp } from './transforms/reverse.js';
import { type PyTree, treeFlatten, treeUnflatten } from './tree.js';

/** Options of `checkGrads`. @public */
export interface CheckGradsOptions {
  /** Highest derivative order to check (default 1). */
  order?: number;
  /** Which modes to check (default both). */
  modes?: readonly ('fwd' | 'rev')[];
  /** Finite-difference step (default 1e-5 for float64, 1e-2 for float32). */
  eps?: number;
  /** Relative tolerance (default 1e-6 for float64, 2e-2 for float32). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9 for float64, 1e-3 for float32). */
  atol?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
  /** Return the report instead of throwing when a check fails (default false). */
  noThrow?: boolean;
}

/** One comparison made by `checkGrads`. @public */
export interface GradCheckEntry {
  /** `fwd` (jvp vs finite differences) or `rev` (vjp vs finite differences). */
  readonly mode: 'fwd' | 'rev';
  /** Derivative order of the map checked (1 = f itself). */
  readonly order: number;
  /** ‖analytic − numeric‖ / max(scale, atol / rtol), scale = the size of the derivatives compared. */
  readonly relError: number;
  /** Absolute error ‖analytic − numeric‖∞ (fwd) or |⟨·,·⟩ difference| (rev). */
  readonly absError: number;
  /** Whether the error is within max(atol, rtol · scale). */
  readonly passed: boolean;
}

/** What `checkGrads` measured. @public */
export interface CheckGradsReport {
  /** True when every check passed. */
  readonly ok: boolean;
  /** Largest relative error of all checks. */
  readonly maxRelError: number;
  /** Every comparison, in the order made. */
  readonly entries: readonly GradCheckEntry[];
}

/** A gradient check that failed; `report` says which mode and order, and by how much. @public */
export class GradientCheckError extends SciMLError {
  /** The full report. */
  readonly report: CheckGradsReport;

  constructor(report: CheckGradsReport) {
    const bad = report.entries.filter((e) => !e.passed);
    const list = bad
      .map((e) => `${e.mode} order ${e.order}: relative error ${e.relError.toExponential(2)}`)
      .join('; ');
    super(
      'checkGrads',
      `derivatives disagree with central finite differences (${list}); check the rule or the step size`,
    );
    this.report = report;
  }
}

type Fn = (...args: unknown[]) => unknown;

interface Settings {
  eps: number;
  rtol: number;
  atol: number;
  rng: Generator;
  modes: readonly ('fwd' | 'rev')[];
  entries: GradCheckEntry[];
}

function floatLeaves(tree: unknown): NDArray[] {
  return treeFlatten(tree as PyTree).leaves;
}

function host(x: NDArray): Float64Array {
  return Float64Array.from(x.dataSync() as ArrayLike<number>);
}

/** Random normal leaves for float leaves (int/bool leaves are kept: they are constants). */
function randomLike(tree: unknown, rng: Generator): unknown {
  const { leaves, def } = treeFlatten(tree as PyTree);
  return treeUnflatten(
    def,
    leaves.map((x) => {
      if (!isFloat(x.dtype)) return x;
      const v = x.dtype === 'float32' ? new Float32Array(x.size) : new Float64Array(x.size);
      for (let i = 0; i < v.length; i++) v[i] = rng.nextNormal();
      return fromTypedArray(v, x.shape, { backend: x.backend });
    }),
  );
}

/** x + s·t on float leaves. */
function axpy(x: unknown, t: unknown, s: number): unknown {
  const xs = treeFlatten(x as PyTree);
  const ts = floatLeaves(t);
  return treeUnflatten(
    xs.def,
    xs.leaves.map((leaf, i) => (isFloat(leaf.dtype) ? add(leaf, mul(ts[i]!, s)) : leaf)),
  );
}

/** Central-difference directional derivative of f at args along t, per output leaf (host float64). */
function numericJvp(f: Fn, args: unknown[], t: unknown[], eps: number): Float64Array[] {
  const plus = floatLeaves(f(...(axpy(args, t, eps) as unknown[])));
  const minus = floatLeaves(f(...(axpy(args, t, -eps) as unknown[])));
  return plus.map((p, i) => {
    if (!isFloat(p.dtype)) return new Float64Array(p.size);
    const a = host(p);
    const b = host(minus[i]!);
    return a.map((v, k) => (v - b[k]!) / (2 * eps));
  });
}

const normInf = (v: Float64Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const norm2 = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dotHost = (a: Float64Array, b: Float64Array): number =>
  a.reduce((s, x, i) => s + x * b[i]!, 0);

function record(
  s: Settings,
  mode: 'fwd' | 'rev',
  order: number,
  absError: number,
  scale: number,
): void {
  // scales below atol/rtol count as atol/rtol: a derivative that is zero to rounding has no relative error
  const relError = absError / Math.max(scale, s.atol / s.rtol);
  const passed = relError <= s.rtol && Number.isFinite(absError);
  s.entries.push({ mode, order, relError, absError, passed });
}

function checkJvp(f: Fn, args: unknown[], s: Settings, order: number): void {
  const t = randomLike(args, s.rng) as unknown[];
  const [, tOut] = jvp(f as (...a: unknown[]) => PyTree, args, t);
  const analytic = floatLeaves(tOut).map((x) =>
    isFloat(x.dtype) ? host(x) : new Float64Array(x.size),
  );
  const numeric = numericJvp(f, args, t, s.eps);
  let err = 0;
  let scale = 0;
  analytic.forEach((a, i) => {
    const n = numeric[i]!;
    err = Math.max(err, normInf(a.map((v, k) => v - n[k]!)));
    scale = Math.max(scale, normInf(a), normInf(n));
  });
  record(s, 'fwd', order, err, scale);
}

function checkVjp(f: Fn, args: unknown[], s: Settings, order: number): void {
  const t = randomLike(args, s.rng) as unknown[];
  const [out, pullback] = vjp(f as (...a: unknown[]) => PyTree, ...args);
  const u = randomLike(out, s.rng);
  const uLeaves = floatLeaves(u).map((x) =>
    isFloat(x.dtype) ? host(x) : new Float64Array(x.size),
  );
  // cotangents of int outputs are zeros of their own dtype
  const uTree = treeUnflatten(
    treeFlatten(out as PyTree).def,
    floatLeaves(u).map((x) => (isFloat(x.dtype) ? x : zerosLike(x))),
  );
  const cts = floatLeaves(pullback(uTree as PyTree));
  const tLeaves = floatLeaves(t);
  let lhs = 0;
  let lhsScale = 0;
  cts.forEach((c, i) => {
    if (!isFloat(c.dtype)) return;
    const a = host(c);
    const b = host(tLeaves[i]!);
    lhs += dotHost(a, b);
    lhsScale += norm2(a) * norm2(b);
  });
  const numeric = numericJvp(f, args, t, s.eps);
  let rhs = 0;
  let rhsScale = 0;
  numeric.forEach((n, i) => {
    rhs += dotHost(uLeaves[i]!, n);
    rhsScale += norm2(uLeaves[i]!) * norm2(n);
  });
  record(s, 'rev', order, Math.abs(lhs - rhs), Math.max(lhsScale, rhsScale));
}

function checkRecursive(f: Fn, args: unknown[], order: number, level: number, s: Settings): void {
  if (s.modes.includes('fwd')) {
    checkJvp(f, args, s, level);
    if (order > 1) {
      const fJvp: Fn = (primals, tangents) =>
        jvp(f as (...a: unknown[]) => PyTree, primals as unknown[], tangents as unknown[]);
      checkRecursive(fJvp, [args, args], order - 1, level + 1, s);
    }
  }
  if (s.modes.includes('rev')) {
    checkVjp(f, args, s, level);
    if (order > 1) {
      const fVjp: Fn = (...xs) => {
        const [out, pullback] = vjp(f as (...a: unknown[]) => PyTree, ...xs);
        return pullback(out);
      };
      checkRecursive(fVjp, args, order - 1, level + 1, s);
    }
  }
}

/**
 * Checks the derivatives of `f` at `args` against central finite differences, in forward and reverse mode,
 * up to `order` (JAX's `check_grads`). Throws `GradientCheckError` on failure (or returns the report with
 * `noThrow`).
 * @example
 * ```ts
 * checkGrads((x: NDArray) => sum(tanh(x)), [array([0.1, -0.4])], { order: 2 });
 * ```
 * @public
 */
export function checkGrads<Args extends unknown[]>(
  f: (...args: Args) => unknown,
  args: Args,
  options: CheckGradsOptions = {},
): CheckGradsReport {
  const leaves = floatLeaves(args);
  const f32 = leaves.some((x) => x.dtype === 'float32');
  const settings: Settings = {
    eps: options.eps ?? (f32 ? 1e-2 : 1e-5),
    rtol: options.rtol ?? (f32 ? 2e-2 : 1e-6),
    atol: options.atol ?? (f32 ? 1e-3 : 1e-9),
    rng: new Generator(options.seed ?? 0),
    modes: options.modes ?? ['fwd', 'rev'],
    entries: [],
  };
  checkRecursive(f as Fn, args, options.order ?? 1, 1, settings);
  const entries = settings.entries;
  const report: CheckGradsReport = {
    ok: entries.every((e) => e.passed),
    maxRelError: entries.reduce((m, e) => Math.max(m, e.relError), 0),
    entries,
  };
  if (!report.ok && !options.noThrow) throw new GradientCheckError(report);
  return report;
}

/** Alias of {@link checkGrads} (the name used in the issue tracker). @public */
export const checkGrad = checkGrads;
