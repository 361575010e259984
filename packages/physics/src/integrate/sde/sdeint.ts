/**
 * `sdeint`: fixed-step solvers for stochastic differential equations with diagonal noise,
 * dY = f(t, Y) dt + g(t, Y) ∘ dW (componentwise: dYᵢ = fᵢ dt + gᵢ dWᵢ), on float64 state vectors, driven by
 * a {@link VirtualBrownianTree} so that every step size sees the same Brownian path (Kloeden & Platen,
 * "Numerical Solution of Stochastic Differential Equations", 1992, §§10.2–10.3; Higham, "An algorithmic
 * introduction to numerical simulation of SDEs", SIAM Review 43 (2001)).
 *
 * - `'EulerMaruyama'` (Itô): Y += f h + g ΔW. Strong order 0.5, weak order 1.
 * - `'Milstein'` (Itô or Stratonovich): Y += f h + g ΔW + ½ g ∂g/∂y (ΔW² − h) (Itô; no −h for Stratonovich).
 *   Strong order 1 for diagonal noise.
 * - `'EulerHeun'` (Stratonovich): Ŷ = Y + f h + g ΔW, Y += f h + ½ (g(Y) + g(Ŷ)) ΔW. Strong order 1 for
 *   diagonal noise (torchsde's and diffrax's `EulerHeun`).
 *
 * With `adaptive: true` the step size is controlled by a local error estimate from step doubling on the same
 * Brownian tree (see `adaptive-sde.ts`: the estimate, the PI controller shared with the ODE solvers, and why
 * the tree makes rejected steps harmless).
 */
import { type NDArray, NotFiniteError, ValueError } from '@sciml/linalg';
import { resolveMaxSteps } from '../budget.js';
import { fixedStepCount } from '../steppers/fixed.js';
import { TrajectoryBuffer } from '../output.js';
import { toStateVector, tolerances } from '../solve-ivp.js';
import type { OdeRhsInPlace } from '../types.js';
import { adaptiveSdeSolve } from './adaptive-sde.js';
import { VirtualBrownianTree } from './brownian-tree.js';
import { type SdeMethod, SdeScheme } from './sde-scheme.js';

export type { SdeMethod } from './sde-scheme.js';

const OP = 'sdeint';

/** A Brownian path W(t) that can be queried at any time of its interval (e.g. {@link VirtualBrownianTree}). @public */
export interface BrownianPath {
  /** Number of independent components. */
  readonly dim: number;
  /** Writes W(t) into `out` and returns it. */
  evaluate(t: number, out?: Float64Array): Float64Array;
}

/** Options of {@link sdeint}. @public */
export interface SdeintOptions {
  /** Method (default `'EulerMaruyama'`). */
  method?: SdeMethod;
  /**
   * Fixed steps: the step size (required), steps t0 + k·dt, the last shortened to land on t1. Adaptive: the
   * first step to try (default (t1 − t0)/64).
   */
  dt?: number;
  /**
   * Adaptive step size (default false): steps chosen by a step-doubling error estimate and the PI
   * controller of the ODE solvers, on the same Brownian path whatever the step sequence. Needs `'Milstein'`
   * or `'EulerHeun'` (Euler–Maruyama need not converge under path-dependent steps) and a path that can be
   * queried at any time (the default tree; its `tol` bounds the useful accuracy).
   */
  adaptive?: boolean;
  /** Adaptive: relative tolerance of the local error estimate (default 1e-3). */
  rtol?: number;
  /** Adaptive: absolute tolerance, a number or one per component (default 1e-6). */
  atol?: number | ArrayLike<number>;
  /** Adaptive: largest step (default t1 − t0). */
  maxStep?: number;
  /** Adaptive: bound on accepted + rejected steps (default 10⁶). */
  maxSteps?: number;
  /** The driving Brownian path, one component per state component (default: a tree seeded by `seed`). */
  bm?: BrownianPath;
  /** Seed of the default Brownian tree (default 0). */
  seed?: number;
  /**
   * Interpretation of the noise (default `'ito'`). `'EulerMaruyama'` is Itô-only and `'EulerHeun'`
   * Stratonovich-only; `'Milstein'` takes either (the correction term differs).
   */
  calculus?: 'ito' | 'stratonovich';
  /** Diagonal of ∂g/∂y, in place (Milstein; default: one forward difference of g in all components). */
  dgdy?: OdeRhsInPlace;
  /**
   * Times at which to record the solution, sorted and inside tSpan (default: every step). Fixed steps: on
   * the step grid. Adaptive: anywhere; a time inside a step gets the state of a step from that step's start
   * ending there, on the same path, so the outputs never change the steps taken.
   */
  tEval?: ArrayLike<number>;
}

/** Result of {@link sdeint}. @public */
export interface SdeResult {
  /** Times of the stored solution. */
  t: Float64Array;
  /** The solution, shape (n_states, nt) as in `solveIVP`. */
  y: NDArray;
  /** Number of steps taken (accepted steps when adaptive). */
  nsteps: number;
  /** Number of rejected steps (adaptive; 0 for fixed steps). */
  nrejected: number;
}

/**
 * Solves dY = f(t, Y) dt + g(t, Y) dW with diagonal noise (independent Wᵢ per component) on tSpan with a
 * fixed step, or with adaptive steps (`adaptive: true`: step-doubling error estimate, PI control).
 * `f` and `g` are in place, as `solveIVP`'s fast form. The Brownian path is a {@link VirtualBrownianTree}
 * (or the one passed as `bm`), so halving `dt`, tightening `rtol` or rejecting a step refines the same
 * path: the strong error against a closed form shrinks with the method's order. With fixed steps, output
 * times between steps are not interpolated: give `tEval` on the step grid (a `ValueError` otherwise).
 * @example
 * ```ts
 * // geometric Brownian motion dX = μX dt + σX dW
 * const r = sdeint((_t, x, d) => { d[0] = 0.5 * x[0]; }, (_t, x, d) => { d[0] = 0.2 * x[0]; }, [0, 1], [1], { dt: 1e-3, method: 'Milstein', seed: 3 });
 * // the same path with adaptive steps
 * const a = sdeint((_t, x, d) => { d[0] = 0.5 * x[0]; }, (_t, x, d) => { d[0] = 0.2 * x[0]; }, [0, 1], [1], { adaptive: true, rtol: 1e-4, atol: 1e-6, method: 'Milstein', seed: 3, tEval: [1] });
 * ```
 * @public
 */
export function sdeint(
  f: OdeRhsInPlace,
  g: OdeRhsInPlace,
  tSpan: readonly [number, number],
  y0: ArrayLike<number> | NDArray,
  options: SdeintOptions,
): SdeResult {
  const method = options.method ?? 'EulerMaruyama';
  if (method !== 'EulerMaruyama' && method !== 'Milstein' && method !== 'EulerHeun')
    throw new ValueError(
      OP,
      `unknown method '${String(method)}'; choose 'EulerMaruyama', 'Milstein' or 'EulerHeun'`,
    );
  const calculus = options.calculus ?? (method === 'EulerHeun' ? 'stratonovich' : 'ito');
  if (method === 'EulerMaruyama' && calculus !== 'ito')
    throw new ValueError(
      OP,
      "Euler–Maruyama converges to the Itô solution; for Stratonovich use 'EulerHeun' or 'Milstein'",
    );
  if (method === 'EulerHeun' && calculus !== 'stratonovich')
    throw new ValueError(
      OP,
      "Euler–Heun converges to the Stratonovich solution; for Itô use 'EulerMaruyama' or 'Milstein'",
    );
  if (typeof f !== 'function' || typeof g !== 'function')
    throw new ValueError(OP, 'f (drift) and g (diffusion) must be functions (t, y, out) => void');
  const [t0, t1] = tSpan;
  if (!Number.isFinite(t0) || !Number.isFinite(t1))
    throw new NotFiniteError(OP, `tSpan = [${t0}, ${t1}] must be finite`);
  if (!(t1 > t0)) throw new ValueError(OP, `tSpan = [${t0}, ${t1}] must have t0 < t1`);
  const adaptive = options.adaptive === true;
  const dt = options.dt ?? (adaptive ? (t1 - t0) / 64 : undefined);
  if (dt === undefined || !(dt > 0) || !Number.isFinite(dt))
    throw new ValueError(
      OP,
      `dt must be positive and finite, got ${String(dt)}${adaptive ? '' : ' (or pass adaptive: true with rtol/atol)'}`,
    );
  if (adaptive && method === 'EulerMaruyama')
    throw new ValueError(
      OP,
      "adaptive steps need 'Milstein' or 'EulerHeun': Euler–Maruyama with steps that depend on the path need not converge to the Itô solution (Gaines & Lyons 1997; Foster & Jelinčič 2024)",
    );
  const y = toStateVector(OP, y0);
  const n = y.length;
  const bm = options.bm ?? new VirtualBrownianTree(t0, t1, { seed: options.seed ?? 0, dim: n });
  if (bm.dim !== n)
    throw new ValueError(
      OP,
      `the Brownian path has ${bm.dim} components, the state ${n}: diagonal noise needs one per state component`,
    );
  const tEval = options.tEval === undefined ? undefined : checkTimes(options.tEval, t0, t1);
  const scheme = () => new SdeScheme(f, g, n, method, calculus, options.dgdy);
  if (adaptive) {
    const r = adaptiveSdeSolve(scheme(), scheme(), bm, t0, t1, y, {
      op: OP,
      tol: tolerances(options, n, OP),
      strongOrder: 1,
      firstStep: Math.min(dt, t1 - t0),
      maxStep: resolveMaxStep(options.maxStep, t1 - t0),
      maxSteps: resolveMaxSteps(OP, options.maxSteps),
      tEval,
    });
    const { t, y: ys } = r.out.finish();
    return { t, y: ys, nsteps: r.nsteps, nrejected: r.nrejected };
  }
  const steps = fixedStepCount(t1 - t0, dt);
  const grid = (k: number) => (k === steps ? t1 : t0 + k * dt);
  const out = new TrajectoryBuffer(n, tEval ? tEval.length : steps + 1);
  let evalIndex = 0;
  const record = (t: number) => {
    if (!tEval) {
      out.push(t, y);
      return;
    }
    while (evalIndex < tEval.length && tEval[evalIndex] <= t) {
      if (tEval[evalIndex] !== t)
        throw new ValueError(
          OP,
          `tEval[${evalIndex}] = ${tEval[evalIndex]} is not on the step grid t0 + k·dt; sdeint does not interpolate a stochastic path (or use adaptive: true, which steps to any output time)`,
        );
      out.push(t, y);
      evalIndex++;
    }
  };
  record(t0);

  const step = scheme();
  const wOld = bm.evaluate(t0, new Float64Array(n));
  const wNew = new Float64Array(n);
  const dW = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    const t = grid(k);
    const tn = grid(k + 1);
    bm.evaluate(tn, wNew);
    for (let i = 0; i < n; i++) dW[i] = wNew[i] - wOld[i];
    step.at(t, y);
    step.advance(tn - t, dW, y);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i]))
        throw new NotFiniteError(
          OP,
          `the state became ${y[i]} at t = ${tn} (component ${i}); reduce dt or check f and g`,
        );
    }
    wOld.set(wNew);
    record(tn);
  }
  const { t, y: ys } = out.finish();
  return { t, y: ys, nsteps: steps, nrejected: 0 };
}

/** tEval as a Float64Array, checked: finite, sorted, inside [t0, t1]. */
function checkTimes(ts: ArrayLike<number>, t0: number, t1: number): Float64Array {
  const out = Float64Array.from(ts);
  for (let i = 0; i < out.length; i++) {
    const te = out[i];
    if (!(te >= t0 && te <= t1))
      throw new ValueError(OP, `tEval[${i}] = ${te} lies outside tSpan [${t0}, ${t1}]`);
    if (i > 0 && te < out[i - 1])
      throw new ValueError(OP, `tEval must be sorted ascending (tEval[${i}] = ${te})`);
  }
  return out;
}

/** maxStep of the adaptive mode: positive (default: the whole interval). */
function resolveMaxStep(maxStep: number | undefined, span: number): number {
  if (maxStep === undefined) return span;
  if (!(maxStep > 0)) throw new ValueError(OP, `maxStep must be positive, got ${String(maxStep)}`);
  return maxStep;
}
