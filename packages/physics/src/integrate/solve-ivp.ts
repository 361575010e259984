/**
 * `solveIVP`: SciPy's `solve_ivp` for float64 state vectors — one driver for every method that handles
 * output times (`tEval`, from each method's dense output), events and the result record.
 */
import { checkStateDim } from './state-dim.js';
import { NDArray, NotFiniteError, ShapeError, ValueError, formatShape } from '@sciml/linalg';
import { StallWatch, checkStepBudget, resolveMaxSteps } from './budget.js';
import { type NormalizedEvent, crosses, eventValue, illinois, normalizeEvents } from './events.js';
import {
  DOP853,
  DOP853_A_EXTRA,
  DOP853_C_EXTRA,
  dop853ErrorNorm,
  dop853Interpolate,
} from './methods/dop853.js';
import { dopri5Interpolate, DOPRI5 } from './methods/dopri5.js';
import { TSIT5, tsit5Interpolate } from './methods/tsit5.js';
import { VERN7, VERN7_A_EXTRA, VERN7_C_EXTRA, VERN7_DENSE } from './methods/vern7.js';
import { VERN9, VERN9_A_EXTRA, VERN9_C_EXTRA, VERN9_DENSE } from './methods/vern9.js';
import type { JacobianBand } from './fd-jacobian.js';
import { polynomialInterpolant } from './tableau.js';
import { EsdirkStepper } from './implicit/esdirk-stepper.js';
import { KVAERNO5 } from './methods/kvaerno5.js';
import { RadauStepper } from './implicit/radau-stepper.js';
import { TrajectoryBuffer, stackRows } from './output.js';
import { toInPlaceJacobian, toInPlaceRhs } from './rhs.js';
import { type AdaptiveErkMethod, ErkAdaptiveStepper } from './steppers/erk-adaptive.js';
import { FixedStepper } from './steppers/fixed.js';
import { inlineKernelOf } from './inline-kernels.js';
import { AutoSwitchStepper } from './steppers/auto-switch.js';
import { RosenbrockStepper } from './steppers/rosenbrock.js';
import type { Stepper, Tolerances } from './steppers/stepper.js';
import type { OdeMethod, OdeResult, OdeRhs, SolveIVPOptions } from './types.js';

const OP = 'solveIVP';

/** The adaptive explicit pairs with their dense output (shared with `odeint`'s step planning). */
export const ADAPTIVE_ERK: Record<
  'RK45' | 'Tsit5' | 'DOP853' | 'Vern7' | 'Vern9',
  AdaptiveErkMethod
> = {
  RK45: { tableau: DOPRI5, interpolate: dopri5Interpolate },
  Tsit5: {
    tableau: TSIT5,
    interpolate: (theta, h, y0, _y1, k, out) => tsit5Interpolate(theta, h, y0, k, out),
  },
  DOP853: {
    tableau: DOP853,
    interpolate: dop853Interpolate,
    errorOrder: 7,
    errorNorm: dop853ErrorNorm,
    extraStages: { c: DOP853_C_EXTRA, A: DOP853_A_EXTRA },
  },
  Vern7: {
    tableau: VERN7,
    interpolate: polynomialInterpolant(VERN7_DENSE),
    extraStages: { c: VERN7_C_EXTRA, A: VERN7_A_EXTRA },
  },
  Vern9: {
    tableau: VERN9,
    interpolate: polynomialInterpolant(VERN9_DENSE),
    extraStages: { c: VERN9_C_EXTRA, A: VERN9_A_EXTRA },
  },
};

const METHODS: readonly OdeMethod[] = [
  'Euler',
  'RK4',
  'RK45',
  'Tsit5',
  'Rosenbrock23',
  'Radau',
  'Kvaerno5',
  'DOP853',
  'Vern7',
  'Vern9',
  'Auto',
];

/** Reads y0 (array-like or 1-D NDArray) into a fresh Float64Array, rejecting non-finite values. */
export function toStateVector(
  op: string,
  y0: ArrayLike<number> | NDArray,
  rhs?: unknown,
): Float64Array {
  let y: Float64Array;
  if (y0 instanceof NDArray) {
    if (y0.ndim !== 1) {
      throw new ShapeError(
        op,
        `y0 must be a vector (n,), got shape ${formatShape(y0.shape)}; flatten it with reshape(y0, [-1])`,
      );
    }
    y = Float64Array.from(y0.dataSync());
  } else {
    y = Float64Array.from(y0);
  }
  if (y.length === 0)
    throw new ShapeError(op, 'y0 is empty; the state needs at least one component');
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]))
      throw new NotFiniteError(op, `y0[${i}] = ${y[i]}; the initial state must be finite`);
  }
  checkStateDim(op, rhs, y.length);
  return y;
}

/** rtol and atol (defaults 1e-3 and 1e-6, as SciPy), checked; errors name `op`. Shared with `sdeint`. */
export function tolerances(
  options: Pick<SolveIVPOptions, 'rtol' | 'atol'>,
  n: number,
  op = OP,
): Tolerances {
  const rtol = options.rtol ?? 1e-3;
  if (!(rtol > 0) || !Number.isFinite(rtol))
    throw new ValueError(op, `rtol must be positive and finite, got ${rtol}`);
  // below ~100 ε the error estimate is rounding noise (SciPy clips at the same bound)
  const rtolEff = Math.max(rtol, 100 * Number.EPSILON);
  const atolIn = options.atol ?? 1e-6;
  const atol = new Float64Array(n);
  if (typeof atolIn === 'number') atol.fill(atolIn);
  else {
    if (atolIn.length !== n)
      throw new ShapeError(op, `atol has length ${atolIn.length}, the state has ${n} components`);
    for (let i = 0; i < n; i++) atol[i] = atolIn[i];
  }
  for (let i = 0; i < n; i++) {
    if (!(atol[i] >= 0))
      throw new ValueError(op, `atol must be non-negative, got ${atol[i]} (component ${i})`);
  }
  return { rtol: rtolEff, atol };
}

/** Validates a Jacobian band: non-negative integer lband and uband. */
export function checkJacBand(op: string, band: JacobianBand | undefined): JacobianBand | undefined {
  if (band === undefined) return undefined;
  const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (band === null || !ok(band.lband) || !ok(band.uband))
    throw new ValueError(
      op,
      `jacBand must be { lband, uband } with non-negative integers, got ${JSON.stringify(band)}`,
    );
  return { lband: band.lband, uband: band.uband };
}

function makeStepper(
  f: ReturnType<typeof toInPlaceRhs>,
  method: OdeMethod,
  t0: number,
  y0: Float64Array,
  t1: number,
  options: SolveIVPOptions,
  maxSteps: number,
  userInPlace: boolean,
): Stepper {
  const span = Math.abs(t1 - t0);
  if (method === 'Euler' || method === 'RK4') {
    const dt = options.dt;
    if (dt === undefined || !(dt > 0) || !Number.isFinite(dt)) {
      throw new ValueError(
        OP,
        `method '${method}' takes a fixed step: pass a positive finite dt (got ${dt})`,
      );
    }
    checkStepBudget(OP, 'dt', dt, span, maxSteps);
    // a symbolic system's rhs brings a loop with itself written in (same bits as the generic loop)
    const kernel = userInPlace ? inlineKernelOf(f, method) : undefined;
    return new FixedStepper(f, method, t0, y0, t1, dt, { ownKernel: userInPlace, kernel });
  }
  const maxStep = options.maxStep ?? Number.POSITIVE_INFINITY;
  if (!(maxStep > 0)) throw new ValueError(OP, `maxStep must be positive, got ${maxStep}`);
  checkStepBudget(OP, 'maxStep', maxStep, span, maxSteps);
  const firstStep = options.firstStep;
  if (firstStep !== undefined && !(firstStep > 0 && firstStep <= Math.abs(t1 - t0))) {
    throw new ValueError(OP, `firstStep must be in (0, |t1 − t0|], got ${firstStep}`);
  }
  const jacBand = checkJacBand(OP, options.jacBand);
  const adaptive = { tol: tolerances(options, y0.length), maxStep, firstStep, jacBand };
  if (
    method === 'Rosenbrock23' ||
    method === 'Radau' ||
    method === 'Kvaerno5' ||
    method === 'Auto'
  ) {
    const jac =
      options.jac === undefined ? undefined : toInPlaceJacobian(OP, options.jac, y0.length);
    if (method === 'Radau') return new RadauStepper(f, jac, t0, y0, t1, adaptive);
    if (method === 'Auto') return new AutoSwitchStepper(f, jac, t0, y0, t1, adaptive);
    if (method === 'Kvaerno5') return new EsdirkStepper(f, KVAERNO5, jac, t0, y0, t1, adaptive);
    return new RosenbrockStepper(f, jac, t0, y0, t1, adaptive);
  }
  return new ErkAdaptiveStepper(f, ADAPTIVE_ERK[method], t0, y0, t1, adaptive);
}

/**
 * Solves the initial value problem y' = f(t, y), y(t0) = y0 on tSpan = [t0, t1] (SciPy's `solve_ivp`).
 *
 * @remarks
 * `f` is either in place, `f(t, y, dydt)` (no allocation per call: the fast form), or returning,
 * `f(t, y) → number[] | Float64Array`; the form is read from `f.length` unless `rhsForm` says. The
 * result's `y` has shape (n_states, n_times) as in SciPy: `y.get(i, j)` is component i at `t[j]`.
 * Integration may run backwards (t1 < t0). Failure (step size underflow, `maxSteps`, a stall, a blow-up of
 * a fixed-step method) is reported by `status: -1` and `message` naming the likely cause, with the solution
 * up to that point. Every run is bounded: `maxSteps` defaults to 10⁶, a `dt` or `maxStep` too small to cover
 * tSpan within it is a `ValueError` up front, and steps that shrink so far that t1 is out of reach (a
 * discontinuous right-hand side) stop the run early. An event function returning NaN (or a non-number)
 * throws `NotFiniteError`: an event that can never fire is a bug, not a success.
 *
 * @example
 * ```ts
 * const sol = solveIVP((t, y, dy) => { dy[0] = -y[0]; }, [0, 1], [1], { rtol: 1e-8, atol: 1e-10 });
 * sol.y.get(0, sol.t.length - 1); // ≈ e⁻¹
 * ```
 * @public
 */
export function solveIVP(
  f: OdeRhs,
  tSpan: readonly [number, number],
  y0: ArrayLike<number> | NDArray,
  options: SolveIVPOptions = {},
): OdeResult {
  const method = options.method ?? 'RK45';
  if (!METHODS.includes(method)) {
    throw new ValueError(
      OP,
      `unknown method '${String(method)}'; choose one of ${METHODS.join(', ')}`,
    );
  }
  if (!Array.isArray(tSpan) || tSpan.length !== 2) {
    throw new ValueError(OP, 'tSpan must be [t0, t1]');
  }
  const [t0, t1] = tSpan;
  if (!Number.isFinite(t0) || !Number.isFinite(t1))
    throw new NotFiniteError(OP, `tSpan = [${t0}, ${t1}] must be finite`);
  if (t0 === t1) throw new ValueError(OP, `tSpan = [${t0}, ${t1}] is empty; give t1 ≠ t0`);
  const y = toStateVector(OP, y0, f);
  const n = y.length;
  checkStateDim(OP, options.jac, n);
  const dir = t1 > t0 ? 1 : -1;
  const tEval = options.tEval === undefined ? undefined : Float64Array.from(options.tEval);
  if (tEval) {
    for (let i = 0; i < tEval.length; i++) {
      const te = tEval[i];
      if (!(dir * (te - t0) >= 0 && dir * (t1 - te) >= 0)) {
        throw new ValueError(OP, `tEval[${i}] = ${te} lies outside tSpan [${t0}, ${t1}]`);
      }
      if (i > 0 && dir * (te - tEval[i - 1]) < 0) {
        throw new ValueError(
          OP,
          `tEval must be sorted in the direction of integration (tEval[${i}] = ${te})`,
        );
      }
    }
  }
  const maxSteps = resolveMaxSteps(OP, options.maxSteps);
  const fIn = toInPlaceRhs(OP, f, n, options.rhsForm);
  const events = normalizeEvents(OP, options.events);
  // the user's own in-place f (not a per-solve wrapper): fixed-step runs may compile a loop for it
  const stepper = makeStepper(fIn, method, t0, y, t1, options, maxSteps, fIn === f);
  const watch = new StallWatch(t0, t1, maxSteps);

  const out = new TrajectoryBuffer(n, tEval ? tEval.length : 64);
  let evalIndex = 0;
  if (tEval) {
    for (; evalIndex < tEval.length && tEval[evalIndex] === t0; evalIndex++) out.push(t0, y);
  } else out.push(t0, y);

  const tEvents: number[][] = events.map(() => []);
  const yEvents: Float64Array[][] = events.map(() => []);
  const gOld = events.map((e, i) => eventValue(OP, e, i, t0, y));
  const segments: { t0: number; t1: number; at: (t: number, out: Float64Array) => void }[] = [];
  const scratch = new Float64Array(n);

  const chunked =
    stepper.advance !== undefined &&
    tEval !== undefined &&
    events.length === 0 &&
    !options.denseOutput;
  let status: -1 | 0 | 1 | undefined;
  let message = '';
  while (status === undefined) {
    if (stepper.nsteps + stepper.nrejected >= maxSteps) {
      status = -1;
      message = watch.exhausted(stepper.t);
      break;
    }
    const stalled = watch.check(stepper.nsteps + stepper.nrejected, stepper.t);
    if (stalled !== undefined) {
      status = -1;
      message = stalled;
      break;
    }
    // fixed-step methods with only tEval output and no events run straight to the next output time
    let failure: string | null;
    if (chunked) {
      const target = tEval && evalIndex < tEval.length ? tEval[evalIndex] : t1;
      const budget = maxSteps - stepper.nsteps;
      failure = stepper.advance!(Math.max(1, Math.min(stepper.stepsUntil!(target), budget)));
    } else failure = stepper.step();
    if (failure !== null) {
      status = -1;
      message = failure;
      break;
    }
    let tEnd = stepper.t;
    let yEnd: Float64Array = stepper.y;
    if (events.length > 0) {
      const hit = detectEvents(events, gOld, stepper, scratch);
      for (const { index, t } of hit.found) {
        tEvents[index].push(t);
        const ye = new Float64Array(n);
        if (t === stepper.t) ye.set(stepper.y);
        else stepper.interpolate(t, ye);
        yEvents[index].push(ye);
      }
      if (hit.terminalAt !== undefined) {
        tEnd = hit.terminalAt;
        yEnd = yEvents[hit.terminalIndex!][yEvents[hit.terminalIndex!].length - 1];
        status = 1;
        message = `a termination event occurred (event ${hit.terminalIndex} at t = ${tEnd})`;
      }
    }
    if (options.denseOutput) segments.push({ t0: stepper.tOld, t1: tEnd, at: stepper.segment() });
    if (tEval) {
      while (evalIndex < tEval.length && dir * (tEval[evalIndex] - tEnd) <= 0) {
        const te = tEval[evalIndex++];
        if (te === stepper.t) out.push(te, stepper.y);
        else {
          stepper.interpolate(te, scratch);
          out.push(te, scratch);
        }
      }
    } else out.push(tEnd, yEnd);
    if (status === undefined && stepper.t === t1) {
      status = 0;
      message = 'the solver successfully reached the end of the integration interval';
    }
  }

  const { t, y: yOut } = out.finish();
  const result: OdeResult = {
    t,
    y: yOut,
    nfev: stepper.nfev,
    njev: stepper.njev,
    nlu: stepper.nlu,
    nsteps: stepper.nsteps,
    nrejected: stepper.nrejected,
    status,
    message,
    success: status >= 0,
    tEvents: tEvents.map((ts) => Float64Array.from(ts)),
    yEvents: yEvents.map((rows) => stackRows(rows, n)),
  };
  if (options.denseOutput) result.sol = denseSolution(segments, n, t0);
  if (stepper instanceof AutoSwitchStepper) result.switches = [...stepper.switches];
  return result;
}

interface EventHits {
  found: { index: number; t: number }[];
  terminalAt?: number;
  terminalIndex?: number;
}

/** Finds the events of the last step, in time order, up to and including the first terminal one. */
function detectEvents(
  events: NormalizedEvent[],
  gOld: number[],
  stepper: Stepper,
  scratch: Float64Array,
): EventHits {
  const tA = stepper.tOld;
  const tB = stepper.t;
  const found: { index: number; t: number }[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const gNew = eventValue(OP, e, i, tB, stepper.y);
    if (crosses(gOld[i], gNew, e.direction)) {
      const gAt = (t: number): number => {
        if (t === tB) return gNew;
        stepper.interpolate(t, scratch);
        return eventValue(OP, e, i, t, scratch);
      };
      found.push({ index: i, t: illinois(gAt, tA, tB, gOld[i], gNew) });
    }
    gOld[i] = gNew;
  }
  const dir = tB >= tA ? 1 : -1;
  found.sort((a, b) => dir * (a.t - b.t));
  const firstTerminal = found.findIndex((h) => events[h.index].terminal);
  if (firstTerminal < 0) return { found };
  const hit = found[firstTerminal];
  return { found: found.slice(0, firstTerminal + 1), terminalAt: hit.t, terminalIndex: hit.index };
}

/** Glues the steps' dense outputs into y(t) over the integrated interval (binary search on the steps). */
function denseSolution(
  segments: { t0: number; t1: number; at: (t: number, out: Float64Array) => void }[],
  n: number,
  tStart: number,
): (t: number) => Float64Array {
  const ends = segments.map((s) => s.t1);
  const dir = segments.length > 0 && segments[0].t1 < tStart ? -1 : 1;
  const tLast = ends[ends.length - 1] ?? tStart;
  return (t: number) => {
    if (!(dir * (t - tStart) >= 0 && dir * (tLast - t) >= 0)) {
      throw new ValueError(
        'sol',
        `t = ${t} lies outside the integrated interval [${tStart}, ${tLast}]`,
      );
    }
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dir * (ends[mid] - t) >= 0) hi = mid;
      else lo = mid + 1;
    }
    const outArr = new Float64Array(n);
    segments[lo].at(t, outArr);
    return outArr;
  };
}
