/**
 * `odeint`: explicit Runge–Kutta solutions of y' = f(t, y, θ) on NDArray state with a pytree of parameters θ,
 * differentiable two ways (Kidger, "On Neural Differential Equations", 2021, §5):
 *
 * - `'direct'` (discretise-then-optimise): the steps are replayed with @sciml/linalg ops from the existing
 *   Butcher tableaux, so autodiff differentiates the discrete solution exactly. The step sizes are chosen
 *   beforehand on plain numbers by the existing steppers (a step-size decision has no derivative).
 * - `'adjoint'` (optimise-then-discretise): one `customVjp` op whose pullback integrates the continuous adjoint
 *   backwards (Pontryagin; Chen, Rubanova, Bettencourt & Duvenaud, "Neural Ordinary Differential Equations",
 *   NeurIPS 2018, Alg. 1 — "backsolve"): a' = −aᵀ∂f/∂y, g' = −aᵀ∂f/∂θ together with y' = f, restarted from
 *   the stored forward state at each output time. Memory does not grow with the number of steps.
 */
import { type PyTree, customVjp, ravelPytree, stopGradient, vjp } from '@sciml/autodiff';
import {
  ConvergenceError,
  type NDArray,
  NotFiniteError,
  ShapeError,
  ValueError,
  astype,
  fromTypedArray,
} from '@sciml/linalg';
import { resolveMaxSteps } from './budget.js';
import { RK4 } from './methods/rk4.js';
import type { JacobianBand } from './fd-jacobian.js';
import { ADAPTIVE_ERK, checkJacBand } from './solve-ivp.js';
import { AutoSwitchStepper } from './steppers/auto-switch.js';
import { ErkAdaptiveStepper } from './steppers/erk-adaptive.js';
import { EsdirkStepper } from './implicit/esdirk-stepper.js';
import { RadauStepper } from './implicit/radau-stepper.js';
import { KVAERNO5 } from './methods/kvaerno5.js';
import { deviceUnsupported, readsSync, rk4Grid } from './odeint-device.js';
import { type OdeintPlan, checkPlan } from './odeint-plan.js';
import { type StepGrid, checkpointedReplay, gridBacksolve, replaySteps } from './replay.js';
import { FixedStepper } from './steppers/fixed.js';
import type { Stepper } from './steppers/stepper.js';
import type { ButcherTableau } from './tableau.js';
import type { OdeRhsInPlace } from './types.js';

const OP = 'odeint';

/**
 * A vector field f(t, y, θ) for {@link odeint}: written with @sciml/linalg ops so autodiff sees it; returns
 * an array shaped like `y`.
 * @public
 */
export type OdeVectorField<P extends PyTree> = (t: number, y: NDArray, params: P) => NDArray;

/** The explicit methods of {@link odeint}. @public */
export type OdeintMethod =
  | 'RK45'
  | 'Tsit5'
  | 'DOP853'
  | 'Vern7'
  | 'Vern9'
  | 'RK4'
  | 'Radau'
  | 'Kvaerno5'
  | 'Auto';

const ODEINT_METHODS: readonly OdeintMethod[] = [
  'RK45',
  'Tsit5',
  'DOP853',
  'Vern7',
  'Vern9',
  'RK4',
  'Radau',
  'Kvaerno5',
  'Auto',
];
export const isImplicit = (m: OdeintMethod): m is 'Radau' | 'Kvaerno5' | 'Auto' =>
  m === 'Radau' || m === 'Kvaerno5' || m === 'Auto';

/** Options of {@link odeint}. @public */
export interface OdeintOptions {
  /**
   * `'RK45'` (Dormand–Prince 5(4), adaptive; default), `'Tsit5'` (Tsitouras 5(4), adaptive), `'DOP853'` (Dormand–Prince 8(5,3), adaptive: fewer
   * steps at tight tolerances), `'Vern7'`/`'Vern9'` (Verner's 7(6)/9(8) pairs, adaptive: the fewest steps at
   * tolerances 1e-8 … 1e-13), `'RK4'` (classical, fixed step `dt`), or the stiff `'Radau'` (Radau IIA, order 5)
   * and `'Kvaerno5'` (ESDIRK 5(4)) with finite-difference Jacobians. The implicit methods solve forward and
   * adjoint on numbers, so they need `gradient: 'adjoint'` or `'checkpoint'` and have no forward mode (`jvp`).
   * On stiff problems take `'checkpoint'`: the backsolve adjoint integrates y backwards, where stiff decay is
   * explosive growth. `'Auto'` switches between `'RK45'` and `'Radau'` by stiffness (see `solveIVP`'s
   * `'Auto'`) and, like them, takes `'adjoint'` or `'checkpoint'`. On a backend that reads only asynchronously
   * (WebGPU) `'RK4'` runs as it is, and the adaptive explicit methods run with the `plan` of
   * {@link odeintAsync}; every gradient is then computed on the device. Float32 state gives float32 solutions
   * and gradients on every backend.
   */
  method?: OdeintMethod;
  /** Step of `'RK4'` (required there): each output interval takes ⌈interval/dt⌉ steps, the last shortened. */
  dt?: number;
  /** Relative tolerance of `'RK45'` (default 1e-6); the adjoint solve uses the same tolerances. */
  rtol?: number;
  /** Absolute tolerance of `'RK45'` (default 1e-9). */
  atol?: number;
  /**
   * How reverse mode differentiates the solution: `'direct'` (default; autodiff through the discrete steps,
   * memory ∝ steps), `'adjoint'` (continuous adjoint by backsolve, memory independent of the steps) or
   * `'checkpoint'` (interpolating adjoint: y(t) is re-solved forward from stored checkpoints, one interval
   * at a time, and read from the dense output instead of being integrated backwards; memory ∝ checkpoints +
   * the steps of one interval, and exact where backsolve is unstable).
   *
   * On a known step grid — with a `plan`, or `'RK4'` on a backend that reads only asynchronously — no step is
   * chosen during the gradient: `'adjoint'` integrates the backsolve adjoint backwards over the forward steps
   * with the same tableau, and `'checkpoint'` differentiates the replayed steps under `checkpoint`
   * (discretise-then-optimise as `'direct'`, the same gradient, storing only the states at block boundaries;
   * diffrax's `RecursiveCheckpointAdjoint`).
   */
  gradient?: 'direct' | 'adjoint' | 'checkpoint';
  /**
   * `'checkpoint'` only: number of equal intervals of [ts[0], ts[last]] whose end states are stored (besides
   * the output times) — more checkpoints, less memory per re-solved interval (default 0: the output times).
   * On a known step grid: the number of checkpointed blocks the N steps are cut into (default 0: ⌈√N⌉ steps
   * a block), each output interval starting a new block.
   */
  checkpoints?: number;
  /** Bound on the accepted + rejected steps of each solve, forward or adjoint (default 10⁶). */
  maxSteps?: number;
  /**
   * Band of ∂f/∂y for the implicit methods (a method-of-lines PDE): their finite-difference Jacobian takes
   * lband + uband + 1 evaluations of f instead of n (Curtis–Powell–Reid column grouping), and their Newton
   * matrices are factored by banded LU, O(n·lband·(lband + uband)) instead of O(n³); J is stored banded,
   * n·(lband + uband + 1) numbers instead of n².
   */
  jacBand?: JacobianBand;
  /**
   * The accepted steps of an explicit method, as planned by {@link odeintAsync} for the same `f`, `y0`, `ts`,
   * parameters and options: `odeint` then takes exactly these steps instead of choosing them (no value is read
   * mid-solve), which is how adaptive methods and their gradients run on a backend that reads only
   * asynchronously (WebGPU). Its method and output times must be the ones given here.
   */
  plan?: OdeintPlan;
}

export interface Resolved {
  method: OdeintMethod;
  dt: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  checkpoints: number;
  jacBand: JacobianBand | undefined;
}

/**
 * Solves y' = f(t, y, θ), y(ts[0]) = y0, and returns the states at the increasing times `ts`, stacked along
 * a new leading axis (shape [ts.length, ...y0.shape]; row 0 is y0). Differentiable with respect to `y0` and
 * the pytree `params` by `grad`/`vjp`, through the solver's own steps or by the continuous adjoint
 * (`options.gradient`); see the module notes for the methods (Chen et al. 2018; Dormand & Prince 1980).
 * Forward mode (`jvp`, `jacobian` in forward mode) differentiates the discrete steps in either gradient
 * mode: forward sensitivities, cheap for few parameters. The step sizes and the adjoint solve run in
 * float64 on the host; the adjoint pullback is not itself differentiable (no second derivatives). On a
 * backend that reads only asynchronously (WebGPU), plan an adaptive solve with {@link odeintAsync} and pass
 * its `plan` here: the same steps are then replayed and differentiated on the device.
 * @example
 * ```ts
 * const decay = (_t: number, y: NDArray, k: NDArray) => mul(neg(k), y);
 * const ys = odeint(decay, array([1]), [0, 1], array([2]), { rtol: 1e-10, gradient: 'adjoint' });
 * ```
 * @public
 */
export function odeint<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  ts: ArrayLike<number>,
  params: P,
  options: OdeintOptions = {},
): NDArray {
  const times = checkTimes(ts);
  const opts = resolveOptions(options);
  const gradient = options.gradient ?? 'direct';
  if (isImplicit(opts.method) && gradient === 'direct')
    throw new ValueError(
      OP,
      `method '${opts.method}' is implicit: its steps are not replayed with differentiable ops; pass gradient: 'adjoint' or 'checkpoint'`,
    );
  if (gradient !== 'direct' && gradient !== 'adjoint' && gradient !== 'checkpoint')
    throw new ValueError(
      OP,
      `gradient must be 'direct', 'adjoint' or 'checkpoint', got '${String(gradient)}'`,
    );
  if (options.plan !== undefined) {
    const steps = checkPlan(OP, options.plan, opts.method, times);
    return solveOnGrid(f, y0, explicitTableau(opts.method), steps, params, opts, gradient);
  }
  if (!readsSync(y0)) {
    if (opts.method !== 'RK4') throw deviceUnsupported(y0, `method '${opts.method}'`);
    return solveOnGrid(f, y0, RK4, rk4Grid(times, opts.dt), params, opts, gradient);
  }
  if (gradient === 'direct') return solveDirect(f, y0, times, params, opts);
  const backward = gradient === 'adjoint' ? adjointBackward : interpolatingAdjointBackward;
  // The primal is the direct replay: reverse mode does not record it (customVjp hides it, so memory stays
  // independent of the step count), while forward mode (`jvp`) differentiates it — forward sensitivities.
  const solve = customVjp(
    (y: NDArray, p: P) =>
      isImplicit(opts.method)
        ? solveNumeric(f, y, times, p, opts)
        : solveDirect(f, y, times, p, opts),
    (ct: NDArray, ys: NDArray, y: NDArray, p: P) => backward(f, ct, ys, y, p, times, opts),
  );
  return solve(y0, params);
}

export function checkTimes(ts: ArrayLike<number>, op = OP): Float64Array {
  const times = Float64Array.from(ts);
  if (times.length < 2) throw new ValueError(op, `ts needs at least 2 times, got ${times.length}`);
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i]))
      throw new NotFiniteError(op, `ts[${i}] = ${times[i]}: output times must be finite`);
    if (i > 0 && !(times[i] > times[i - 1]))
      throw new ValueError(
        op,
        `ts must be strictly increasing, but ts[${i}] = ${times[i]} ≤ ts[${i - 1}] = ${times[i - 1]}`,
      );
  }
  return times;
}

export function resolveOptions(o: OdeintOptions, op = OP): Resolved {
  const method = o.method ?? 'RK45';
  if (!ODEINT_METHODS.includes(method))
    throw new ValueError(
      op,
      `method must be one of ${ODEINT_METHODS.map((m) => `'${m}'`).join(', ')}, got '${String(method)}'`,
    );
  const dt = o.dt ?? Number.NaN;
  if (method === 'RK4' && !(dt > 0 && Number.isFinite(dt)))
    throw new ValueError(op, `method 'RK4' needs a finite step dt > 0, got ${String(o.dt)}`);
  const rtol = o.rtol ?? 1e-6;
  const atol = o.atol ?? 1e-9;
  if (!(rtol > 0) || !(atol >= 0))
    throw new ValueError(op, `need rtol > 0 and atol ≥ 0, got rtol = ${rtol}, atol = ${atol}`);
  const checkpoints = o.checkpoints ?? 0;
  if (!(Number.isSafeInteger(checkpoints) && checkpoints >= 0))
    throw new ValueError(
      op,
      `checkpoints must be a non-negative integer, got ${String(checkpoints)}`,
    );
  return {
    method,
    dt,
    rtol,
    atol,
    maxSteps: resolveMaxSteps(op, o.maxSteps),
    checkpoints,
    jacBand: checkJacBand(op, o.jacBand),
  };
}

/** f on plain numbers (flat float64 state), with θ as constants: what the steppers and step planning see. */
export function numericField<P extends PyTree>(
  f: OdeVectorField<P>,
  shape: readonly number[],
  params: P,
): OdeRhsInPlace {
  const p = stopGradient(params);
  return (t, y, out) => {
    const dy = f(t, fromTypedArray(Float64Array.from(y), [...shape]), p);
    if (dy.size !== y.length)
      throw new ShapeError(
        OP,
        `f returned shape [${dy.shape.join(', ')}] for a state of shape [${shape.join(', ')}]; it must return an array shaped like y`,
      );
    out.set(dy.dataSync() as ArrayLike<number>);
  };
}

/** One solve of an interval by the chosen stepper (the existing `solveIVP` steppers). */
function makeStepper(
  g: OdeRhsInPlace,
  opts: Resolved,
  t0: number,
  y: Float64Array,
  t1: number,
  firstStep: number | undefined,
): Stepper {
  if (opts.method === 'RK4') return new FixedStepper(g, 'RK4', t0, y, t1, opts.dt);
  const tol = { rtol: opts.rtol, atol: new Float64Array(y.length).fill(opts.atol) };
  const adaptive = { tol, maxStep: Number.POSITIVE_INFINITY, firstStep, jacBand: opts.jacBand };
  if (opts.method === 'Radau') return new RadauStepper(g, undefined, t0, y, t1, adaptive);
  if (opts.method === 'Auto') return new AutoSwitchStepper(g, undefined, t0, y, t1, adaptive);
  if (opts.method === 'Kvaerno5')
    return new EsdirkStepper(g, KVAERNO5, undefined, t0, y, t1, adaptive);
  return new ErkAdaptiveStepper(g, ADAPTIVE_ERK[opts.method], t0, y, t1, adaptive);
}

/**
 * Integrates from t0 to t1 on numbers; calls `onStep(tOld, t, stepper)` after each accepted step, which may
 * return `true` to stop there (a terminal event). Returns the end state, the size of the last step (a good
 * first step for the next interval) and whether `onStep` stopped the run.
 */
export function integrate(
  g: OdeRhsInPlace,
  opts: Resolved,
  t0: number,
  y: Float64Array,
  t1: number,
  firstStep: number | undefined,
  // biome-ignore lint/suspicious/noConfusingVoidType: most callers only observe the steps
  onStep?: (tOld: number, t: number, stepper: Stepper) => boolean | void,
): { y: Float64Array; lastStep: number; stopped: boolean } {
  const stepper = makeStepper(g, opts, t0, y, t1, firstStep);
  while (stepper.t !== t1) {
    const failure = stepper.step();
    if (failure !== null) throw new ConvergenceError(OP, failure, stepper.nsteps);
    if (stepper.nsteps + stepper.nrejected > opts.maxSteps)
      throw new ConvergenceError(
        OP,
        `reached maxSteps = ${opts.maxSteps} between t = ${t0} and t = ${t1} (at t = ${stepper.t}); loosen rtol/atol or raise maxSteps`,
        stepper.nsteps,
      );
    if (onStep?.(stepper.tOld, stepper.t, stepper) === true)
      return { y: stepper.y, lastStep: Math.abs(stepper.t - stepper.tOld), stopped: true };
  }
  return { y: stepper.y, lastStep: Math.abs(stepper.t - stepper.tOld), stopped: false };
}

/** Discretise-then-optimise: plan the steps on numbers, then replay them with differentiable ops. */
function solveDirect<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  times: Float64Array,
  params: P,
  opts: Resolved,
): NDArray {
  const steps: [number, number][][] = Array.from({ length: times.length - 1 }, () => []);
  const g = numericField(f, y0.shape, params);
  let y = Float64Array.from(stopGradient(y0).dataSync() as ArrayLike<number>);
  let h: number | undefined;
  for (let i = 1; i < times.length; i++) {
    const r = integrate(g, opts, times[i - 1], y, times[i], h, (a, b) => {
      steps[i - 1]!.push([a, b]);
    });
    y = Float64Array.from(r.y);
    h = r.lastStep;
  }
  return replaySteps(explicitTableau(opts.method), f, y0, steps, params);
}

/** The Butcher tableau an explicit method replays with. */
export function explicitTableau(m: OdeintMethod): ButcherTableau {
  if (isImplicit(m)) throw new ValueError(OP, `method '${m}' has no differentiable replay`);
  return m === 'RK4' ? RK4 : ADAPTIVE_ERK[m].tableau;
}

/**
 * The solution on a known step grid (an `odeintAsync` plan, or RK4's grid on a backend without synchronous
 * reads): replayed ('direct'), replayed in checkpointed blocks ('checkpoint'), or replayed with the backsolve
 * adjoint over the same grid as its pullback ('adjoint'). Reads nothing, so it runs on any backend.
 */
function solveOnGrid<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  tab: ButcherTableau,
  steps: StepGrid,
  params: P,
  opts: Resolved,
  gradient: 'direct' | 'adjoint' | 'checkpoint',
): NDArray {
  if (gradient === 'direct') return replaySteps(tab, f, y0, steps, params);
  if (gradient === 'checkpoint') {
    const total = steps.reduce((s, iv) => s + iv.length, 0);
    const block = opts.checkpoints > 0 ? Math.ceil(total / opts.checkpoints) : undefined;
    return checkpointedReplay(tab, f, y0, steps, params, block);
  }
  const solve = customVjp(
    (y: NDArray, p: P) => replaySteps(tab, f, y, steps, p),
    (ct: NDArray, ys: NDArray, _y: NDArray, p: P) => gridBacksolve(tab, f, ct, ys, p, steps),
  );
  return solve(y0, params);
}

/** `x` in the dtype of `like` (float32 state gets float32 gradients and solutions). */
function castLike(x: NDArray, like: NDArray): NDArray {
  return x.dtype === like.dtype ? x : astype(x, like.dtype);
}

/** The solution at the output times on numbers (implicit methods: nothing to differentiate here). */
function solveNumeric<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  times: Float64Array,
  params: P,
  opts: Resolved,
): NDArray {
  const g = numericField(f, y0.shape, params);
  const n = y0.size;
  const out = new Float64Array(times.length * n);
  let y = Float64Array.from(stopGradient(y0).dataSync() as ArrayLike<number>);
  out.set(y, 0);
  let h: number | undefined;
  for (let i = 1; i < times.length; i++) {
    const r = integrate(g, opts, times[i - 1], y, times[i], h);
    y = Float64Array.from(r.y);
    out.set(y, i * n);
    h = r.lastStep;
  }
  return castLike(fromTypedArray(out, [times.length, ...y0.shape]), y0);
}

/**
 * The backsolve adjoint (Chen et al. 2018, Alg. 1): from the last output time backwards, integrate
 * z = (y, a, g) with y' = f, a' = −aᵀ∂f/∂y, g' = −aᵀ∂f/∂θ; at each output time tᵢ reset y to the stored
 * forward state (as torchdiffeq does) and add the cotangent of row i to a. Returns [∂L/∂y0, ∂L/∂θ].
 */
function adjointBackward<P extends PyTree>(
  f: OdeVectorField<P>,
  ct: NDArray,
  ys: NDArray,
  y0: NDArray,
  params: P,
  times: Float64Array,
  opts: Resolved,
): [NDArray, P] {
  const shape = y0.shape;
  const n = y0.size;
  const p = stopGradient(params);
  const [theta, unravel] = ravelPytree(p);
  const m = theta.size;
  const rows = Float64Array.from(stopGradient(ys).dataSync() as ArrayLike<number>);
  const cts = Float64Array.from(stopGradient(ct).dataSync() as ArrayLike<number>);
  const aug: OdeRhsInPlace = (t, z, out) => {
    const y = fromTypedArray(z.slice(0, n), [...shape]);
    const a = fromTypedArray(z.slice(n, 2 * n), [...shape]);
    const [dy, pull] = vjp((yy: NDArray, pp: P) => f(t, yy, pp), y, p);
    const [ay, ap] = pull(a);
    out.set(dy.dataSync() as ArrayLike<number>, 0);
    const ayv = ay.dataSync() as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[n + i] = -ayv[i];
    if (m > 0) {
      const apv = ravelPytree(ap)[0].dataSync() as ArrayLike<number>;
      for (let i = 0; i < m; i++) out[2 * n + i] = -apv[i];
    }
  };
  // the augmented [y, a, g] system couples the blocks: its Jacobian is not banded even when f's is
  const backsolveOpts = { ...opts, jacBand: undefined };
  let z = new Float64Array(2 * n + m);
  let h: number | undefined;
  for (let i = times.length - 1; i >= 1; i--) {
    z.set(rows.subarray(i * n, (i + 1) * n), 0);
    for (let j = 0; j < n; j++) z[n + j] += cts[i * n + j];
    const r = integrate(aug, backsolveOpts, times[i], z, times[i - 1], h);
    z = Float64Array.from(r.y);
    h = r.lastStep;
  }
  for (let j = 0; j < n; j++) z[n + j] += cts[j];
  const dy0 = castLike(fromTypedArray(z.slice(n, 2 * n), [...shape]), y0);
  const dtheta = unravel(fromTypedArray(z.slice(2 * n)));
  return [dy0, dtheta];
}

/** Output times merged with `extra` equal intervals of [times[0], times[last]]: the checkpoint grid. */
function checkpointGrid(
  times: Float64Array,
  extra: number,
): { grid: number[]; output: Int32Array } {
  const t0 = times[0];
  const span = times[times.length - 1] - t0;
  const all = new Set<number>(times);
  for (let k = 1; k < extra; k++) all.add(t0 + (k * span) / extra);
  const grid = [...all].sort((a, b) => a - b);
  // output[j] = index of grid[j] among the output times, or −1
  const output = new Int32Array(grid.length).fill(-1);
  let i = 0;
  grid.forEach((t, j) => {
    if (i < times.length && times[i] === t) output[j] = i++;
  });
  return { grid, output };
}

/**
 * The interpolating adjoint with checkpoints (Chen et al. 2018 §B; SciMLSensitivity's `InterpolatingAdjoint`
 * with `checkpointing = true`; Kidger 2021, §5.1.2): states at the checkpoint grid come from the forward
 * output (and one forward solve on numbers for extra checkpoints). Backwards over each grid interval: re-solve
 * y forward from its left checkpoint keeping the steps' dense output, then integrate a' = −aᵀ∂f/∂y,
 * g' = −aᵀ∂f/∂θ backwards reading y(t) from that interpolant. Never integrates y backwards, so unstable
 * reversed dynamics cannot spoil it; memory is the grid's states plus one interval's dense output.
 */
function interpolatingAdjointBackward<P extends PyTree>(
  f: OdeVectorField<P>,
  ct: NDArray,
  ys: NDArray,
  y0: NDArray,
  params: P,
  times: Float64Array,
  opts: Resolved,
): [NDArray, P] {
  const shape = y0.shape;
  const n = y0.size;
  const p = stopGradient(params);
  const [theta, unravel] = ravelPytree(p);
  const m = theta.size;
  const rows = Float64Array.from(stopGradient(ys).dataSync() as ArrayLike<number>);
  const cts = Float64Array.from(stopGradient(ct).dataSync() as ArrayLike<number>);
  const g = numericField(f, shape, p);
  const { grid, output } = checkpointGrid(times, opts.checkpoints);
  // forward states at the grid: stored output rows, extra checkpoints by integrating on from the last one
  const states: Float64Array[] = [];
  for (let j = 0; j < grid.length; j++) {
    if (output[j] >= 0) states.push(rows.slice(output[j] * n, (output[j] + 1) * n));
    else
      states.push(
        Float64Array.from(integrate(g, opts, grid[j - 1], states[j - 1], grid[j], undefined).y),
      );
  }
  const yNow = new Float64Array(n);
  let yAt: (t: number, out: Float64Array) => void = () => {};
  const aug: OdeRhsInPlace = (t, z, out) => {
    yAt(t, yNow);
    const y = fromTypedArray(Float64Array.from(yNow), [...shape]);
    const a = fromTypedArray(z.slice(0, n), [...shape]);
    const [, pull] = vjp((yy: NDArray, pp: P) => f(t, yy, pp), y, p);
    const [ay, ap] = pull(a);
    const ayv = ay.dataSync() as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = -ayv[i];
    if (m > 0) {
      const apv = ravelPytree(ap)[0].dataSync() as ArrayLike<number>;
      for (let i = 0; i < m; i++) out[n + i] = -apv[i];
    }
  };
  // a′ = −(∂f/∂y)ᵀ a has the transposed band; the g rows are quadratures (nothing depends on g), which a
  // simplified Newton iteration solves exactly without their coupling in the iteration matrix
  const band = opts.jacBand;
  const adjointOpts =
    band === undefined ? opts : { ...opts, jacBand: { lband: band.uband, uband: band.lband } };
  let z = new Float64Array(n + m);
  const last = times.length - 1;
  for (let j = 0; j < n; j++) z[j] += cts[last * n + j];
  let h: number | undefined;
  for (let j = grid.length - 1; j >= 1; j--) {
    const segs: { t1: number; at: (t: number, out: Float64Array) => void }[] = [];
    integrate(g, opts, grid[j - 1], states[j - 1], grid[j], undefined, (_a, b, stepper) => {
      segs.push({ t1: b, at: stepper.segment() });
    });
    yAt = (t, out) => {
      let lo = 0;
      let hi = segs.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (segs[mid].t1 >= t) hi = mid;
        else lo = mid + 1;
      }
      segs[lo].at(t, out);
    };
    const r = integrate(aug, adjointOpts, grid[j], z, grid[j - 1], h);
    z = Float64Array.from(r.y);
    h = r.lastStep;
    const i = output[j - 1];
    if (i >= 0) for (let k = 0; k < n; k++) z[k] += cts[i * n + k];
  }
  const dy0 = castLike(fromTypedArray(z.slice(0, n), [...shape]), y0);
  const dtheta = unravel(fromTypedArray(z.slice(n)));
  return [dy0, dtheta];
}
