/**
 * `odeintEvents`: {@link odeint} with event functions g(t, y, θ) — zero crossings located on each step's dense
 * output (Illinois regula falsi, as `solveIVP`), terminal or not, filtered by direction — and event times that
 * are differentiable.
 *
 * Gradient semantics: a crossing time t⋆ solves g(t⋆, y(t⋆; θ), θ) = 0, so by the implicit function theorem
 * dt⋆/dθ = −(∂g/∂θ + ∂g/∂y · ∂y(t⋆)/∂θ) / ġ with ġ = ∂g/∂t + ∂g/∂y · f(t⋆, y⋆, θ) (the "event gradient" of
 * Chen, Amos & Nickel, "Learning Neural Event Functions for ODEs", ICLR 2021, eq. 5). The state there moves
 * with it: dy(t⋆)/dθ = ∂y(t⋆)/∂θ + f(t⋆, y⋆) dt⋆/dθ. Both are built from ordinary differentiable ops around
 * one `odeint` solve whose output grid holds the event times, so every gradient mode of `odeint` (direct,
 * adjoint, checkpoint) carries them; ġ is a constant of the backward pass, taken by a central difference
 * along the trajectory's tangent (relative error ~1e-10).
 */
import { type PyTree, stopGradient } from '@sciml/autodiff';
import {
  type NDArray,
  NotFiniteError,
  ShapeError,
  ValueError,
  add,
  div,
  fromTypedArray,
  mul,
  reshape,
  slice,
  stack,
  sub,
  zeros,
} from '@sciml/linalg';
import { type EventSpec, crosses, illinois, normalizeEvents } from './events.js';
import {
  type OdeVectorField,
  type OdeintOptions,
  checkTimes,
  integrate,
  numericField,
  odeint,
  resolveOptions,
} from './odeint.js';

const OP = 'odeintEvents';

/**
 * An event function g(t, y, θ) of {@link odeintEvents}, written with @sciml/linalg ops (so its time is
 * differentiable): returns a one-element array whose zero crossings are the events.
 * @public
 */
export type OdeintEventFn<P extends PyTree> = (t: number, y: NDArray, params: P) => NDArray;

/**
 * An event of {@link odeintEvents}: a bare function (non-terminal, both directions) or the function with
 * `terminal` (stop the solve at its first crossing) and `direction` (1: g goes − to +, −1: + to −, 0: both).
 * @public
 */
export type OdeintEvent<P extends PyTree> =
  | OdeintEventFn<P>
  | { g: OdeintEventFn<P>; terminal?: boolean; direction?: -1 | 0 | 1 };

/** Options of {@link odeintEvents}: those of `odeint` and the events. @public */
export interface OdeintEventsOptions<P extends PyTree> extends OdeintOptions {
  /** The event functions (at least one). */
  events: OdeintEvent<P> | readonly OdeintEvent<P>[];
}

/** Result of {@link odeintEvents}. @public */
export interface OdeintEventsResult {
  /** States at the output times reached (all of `ts`, or those before a terminal event): [t.length, ...y0.shape]. */
  ys: NDArray;
  /** The output times of the rows of `ys`. */
  t: Float64Array;
  /** The crossing times in time order, differentiable (implicit function theorem): shape [m]. */
  tEvents: NDArray;
  /** The states at the crossings, differentiable (they move with their times): [m, ...y0.shape]. */
  yEvents: NDArray;
  /** For each crossing, the index of the event function that crossed. */
  eventIndex: Int32Array;
  /** True when a terminal event stopped the solve (its crossing is the last of `tEvents`). */
  terminated: boolean;
}

/**
 * Solves y' = f(t, y, θ) like {@link odeint} and locates the zero crossings of event functions g(t, y, θ) on
 * the dense output, stopping at the first crossing of a terminal event (SciPy's `events` for `odeint`). The
 * event times and states are differentiable with respect to `y0` and `params` through the implicit function
 * theorem, dt⋆/dθ = −(∂g/∂θ + ∂g/∂y·∂y/∂θ)/ġ (Chen, Amos & Nickel 2021), in every gradient mode.
 * @example
 * ```ts
 * // a ball dropped from height h: the time it lands is √(2h/g)
 * const fall = (_t: number, y: NDArray, g: NDArray) => stack([slice(y, 1), neg(reshape(g, []))]);
 * const r = odeintEvents(fall, array([2, 0]), [0, 10], array([9.81]), {
 *   events: { g: (_t, y) => slice(y, 0), terminal: true, direction: -1 },
 * });
 * r.tEvents.get(0); // ≈ 0.6386
 * ```
 * @public
 */
export function odeintEvents<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  ts: ArrayLike<number>,
  params: P,
  options: OdeintEventsOptions<P>,
): OdeintEventsResult {
  const times = checkTimes(ts);
  const opts = resolveOptions(options);
  const events = normalizeEvents<OdeintEventFn<P>>(
    OP,
    options.events as EventSpec<OdeintEventFn<P>> | readonly EventSpec<OdeintEventFn<P>>[],
  );
  if (events.length === 0)
    throw new ValueError(OP, 'options.events is empty: pass at least one event function');
  const shape = [...y0.shape];
  const n = y0.size;
  const pNum = stopGradient(params);
  const gNum = (i: number, t: number, y: Float64Array): number =>
    eventNumber(events[i].g(t, fromTypedArray(Float64Array.from(y), shape), pNum), i, t);

  // 1. locate the crossings on numbers, interval by interval, stopping at the first terminal one
  const rhs = numericField(f, shape, params);
  let y = Float64Array.from(stopGradient(y0).dataSync() as ArrayLike<number>);
  const gOld = events.map((_, i) => gNum(i, times[0], y));
  const hits: { index: number; t: number }[] = [];
  const scratch = new Float64Array(n);
  let tEnd = times[times.length - 1];
  let terminated = false;
  let h: number | undefined;
  for (let i = 1; i < times.length && !terminated; i++) {
    const r = integrate(rhs, opts, times[i - 1], y, times[i], h, (tA, tB, stepper) => {
      const found: { index: number; t: number }[] = [];
      for (let e = 0; e < events.length; e++) {
        const gNew = gNum(e, tB, stepper.y);
        if (crosses(gOld[e], gNew, events[e].direction)) {
          const gAt = (t: number): number => {
            if (t === tB) return gNew;
            stepper.interpolate(t, scratch);
            return gNum(e, t, scratch);
          };
          found.push({ index: e, t: illinois(gAt, tA, tB, gOld[e], gNew) });
        }
        gOld[e] = gNew;
      }
      found.sort((a, b) => a.t - b.t);
      for (const hit of found) {
        hits.push(hit);
        if (events[hit.index].terminal) {
          tEnd = hit.t;
          terminated = true;
          return true;
        }
      }
      return false;
    });
    y = Float64Array.from(r.y);
    h = r.lastStep;
  }

  // 2. one differentiable solve on the output times reached, merged with the event times
  const outTimes = Array.from(times).filter((t) => t <= tEnd);
  const grid = [...new Set([...outTimes, ...hits.map((e) => e.t)])].sort((a, b) => a - b);
  const { method, dt, rtol, atol, gradient, checkpoints, maxSteps, jacBand } = options;
  const solveOpts: OdeintOptions = {
    method,
    dt,
    rtol,
    atol,
    gradient,
    checkpoints,
    maxSteps,
    jacBand,
  };
  const all =
    grid.length >= 2 ? odeint(f, y0, grid, params, solveOpts) : reshape(y0, [1, ...shape]); // an event exactly at ts[0] cannot occur: a crossing leaves g(t0) ≠ 0
  const row = (t: number): NDArray => slice(all, grid.indexOf(t));
  const ys = stack(
    outTimes.map((t) => row(t)),
    { axis: 0 },
  );

  // 3. the crossing times and states, with the implicit-function-theorem derivative attached
  const tEv: NDArray[] = [];
  const yEv: NDArray[] = [];
  for (const { index, t } of hits) {
    const yt = row(t);
    const g = reshape(events[index].g(t, yt, params), []);
    const yNum = Float64Array.from(stopGradient(yt).dataSync() as ArrayLike<number>);
    const slope = eventSlope((tt, yy) => gNum(index, tt, yy), rhs, t, yNum);
    if (!(Math.abs(slope) > 0) || !Number.isFinite(slope))
      throw new NotFiniteError(
        OP,
        `event ${index} crosses zero tangentially at t = ${t} (dg/dt = ${slope}): its time is not differentiable there`,
      );
    // value t⋆, derivative −(dg)/ġ: g − stop(g) is zero but carries g's derivative
    const tDiff = sub(t, div(sub(g, stopGradient(g)), slope));
    const fy = new Float64Array(n);
    rhs(t, yNum, fy);
    tEv.push(tDiff);
    yEv.push(add(yt, mul(fromTypedArray(fy, shape), sub(tDiff, stopGradient(tDiff)))));
  }
  return {
    ys,
    t: Float64Array.from(outTimes),
    tEvents: tEv.length > 0 ? stack(tEv, { axis: 0 }) : zeros([0]),
    yEvents: yEv.length > 0 ? stack(yEv, { axis: 0 }) : zeros([0, ...shape]),
    eventIndex: Int32Array.from(hits.map((e) => e.index)),
    terminated,
  };
}

/** g's value as a number, rejecting a result that is not one element or is NaN (such an event never fires). */
function eventNumber(v: NDArray, index: number, t: number): number {
  if (v.size !== 1)
    throw new ShapeError(
      OP,
      `event ${index} returned shape [${v.shape.join(', ')}]; an event function must return one value (reshape or sum it)`,
    );
  const g = (v.dataSync() as ArrayLike<number>)[0];
  if (Number.isNaN(g))
    throw new NotFiniteError(
      OP,
      `event ${index} returned NaN at t = ${t}; an event function must return a number whose sign changes at the event`,
    );
  return g;
}

/**
 * ġ = d/dt g(t, y(t)) = ∂g/∂t + ∂g/∂y·f at a crossing, by a central difference along the tangent
 * (t ± δ, y ± δ f(t, y)): second order in δ.
 */
function eventSlope(
  g: (t: number, y: Float64Array) => number,
  rhs: (t: number, y: Float64Array, out: Float64Array) => void,
  t: number,
  y: Float64Array,
): number {
  const n = y.length;
  const fy = new Float64Array(n);
  rhs(t, y, fy);
  let yNorm = 0;
  let fNorm = 0;
  for (let i = 0; i < n; i++) {
    yNorm = Math.max(yNorm, Math.abs(y[i]));
    fNorm = Math.max(fNorm, Math.abs(fy[i]));
  }
  // δ = ε^(1/3) times the time scale on which y moves by its own size (at most max(|t|, 1))
  const tau = fNorm > 0 ? Math.max(yNorm, 1e-8) / fNorm : 1;
  const delta = 6e-6 * Math.min(tau, Math.max(Math.abs(t), 1));
  const yp = new Float64Array(n);
  const ym = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yp[i] = y[i] + delta * fy[i];
    ym[i] = y[i] - delta * fy[i];
  }
  return (g(t + delta, yp) - g(t - delta, ym)) / (2 * delta);
}
