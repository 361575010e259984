/**
 * `odeintAsync`: `odeint`'s explicit solves on any backend, a GPU's included. The adaptive controller is the
 * CPU steppers' (Hairer's PI control and starting step, `step-control.ts`/`stepper.ts`), but the stages and
 * the scaled error norm are computed where the state lives, with NDArray ops, and the norm (one number per
 * trial step, two for the starting step) is read with the backend's asynchronous read. The accepted steps are
 * the plan that `odeint`'s `plan` option replays and differentiates without reading anything.
 */
import { type PyTree, stopGradient } from '@sciml/autodiff';
import {
  ConvergenceError,
  type NDArray,
  ShapeError,
  ValueError,
  abs,
  add,
  div,
  maximum,
  mul,
  scope,
  square,
  stack,
  sub,
  sum,
} from '@sciml/linalg';
import { DOP853_E3, DOP853_E5 } from './methods/dop853.js';
import { RK4 } from './methods/rk4.js';
import {
  type OdeVectorField,
  type OdeintOptions,
  checkTimes,
  isImplicit,
  resolveOptions,
} from './odeint.js';
import { rk4Grid } from './odeint-device.js';
import type { OdeintPlan } from './odeint-plan.js';
import { combine, propagatedStages, replaySteps } from './replay.js';
import { ADAPTIVE_ERK } from './solve-ivp.js';
import { acceptedStepDivisor, piExponent, rejectedStepSize } from './steppers/step-control.js';
import { minimumStep } from './steppers/stepper.js';
import type { ButcherTableau } from './tableau.js';

const OP = 'odeintAsync';

/** What {@link odeintAsync} returns. @public */
export interface OdeintAsyncResult {
  /**
   * The states at the output times, stacked (shape [ts.length, ...y0.shape]; row 0 is y0), on y0's backend
   * and in its dtype. Not recorded for autodiff: differentiate `odeint` called with the option `plan`,
   * which replays the same steps.
   */
  ys: NDArray;
  /** The accepted steps, for `odeint`'s `plan` option. */
  plan: OdeintPlan;
}

/** The scaled error norm of a trial step: arrays to read in one go, and the norm from their values. */
interface ErrorNorm {
  read: NDArray;
  norm: (v: ArrayLike<number>) => number;
}

/** Σⱼ wⱼ kⱼ over the nonzero weights (the CPU stepper's order of summation). */
function weighted(w: readonly number[], k: readonly NDArray[]): NDArray | undefined {
  let acc: NDArray | undefined;
  for (let j = 0; j < k.length; j++) {
    if (!w[j]) continue;
    const term = mul(w[j]!, k[j]!);
    acc = acc === undefined ? term : add(acc, term);
  }
  return acc;
}

/**
 * RMS of e/(atol + rtol·max(|y0|, |y1|)) (Hairer–Nørsett–Wanner I, eq. II.4.11) with e = h Σ Eⱼkⱼ — or, for
 * DOP853, Hairer's ‖e₅‖²/√(‖e₅‖² + 0.01‖e₃‖²) — as the CPU steppers compute it; the sums of squares are read
 * and the square roots taken on the host in float64.
 */
function errorNorm(
  tab: ButcherTableau,
  k: readonly NDArray[],
  h: number,
  y0: NDArray,
  y1: NDArray,
  rtol: number,
  atol: number,
): ErrorNorm {
  const n = y0.size;
  const sc = add(atol, mul(rtol, maximum(abs(y0), abs(y1))));
  const sq = (e: NDArray | undefined) => (e === undefined ? mul(0, y0) : square(div(e, sc)));
  if (tab === ADAPTIVE_ERK.DOP853.tableau) {
    const read = stack([sum(sq(weighted(DOP853_E5, k))), sum(sq(weighted(DOP853_E3, k)))]);
    return {
      read,
      norm: (v) => {
        const e5 = v[0]!;
        const e3 = v[1]!;
        return e5 === 0 && e3 === 0 ? 0 : (Math.abs(h) * e5) / Math.sqrt((e5 + 0.01 * e3) * n);
      },
    };
  }
  const acc = weighted(tab.E ?? [], k);
  return {
    read: sum(sq(acc === undefined ? undefined : mul(h, acc))),
    norm: (v) => Math.sqrt(v[0]! / n),
  };
}

/**
 * Hairer's starting step (Hairer–Nørsett–Wanner I, §II.4; `initialStep` of the CPU steppers) with the norms
 * computed on y's backend and read: one Euler probe, one evaluation of f.
 */
async function initialStepAsync<P extends PyTree>(
  f: OdeVectorField<P>,
  p: P,
  t0: number,
  y0: NDArray,
  f0: NDArray,
  errorOrder: number,
  rtol: number,
  atol: number,
  interval: number,
): Promise<number> {
  return scope(async () => {
    const sc = add(atol, mul(rtol, abs(y0)));
    const n = y0.size;
    const rms = (x: NDArray) => sum(square(div(x, sc)));
    const [s0, s1] = await stack([rms(y0), rms(f0)]).data();
    const d0 = Math.sqrt(s0! / n);
    const d1 = Math.sqrt(s1! / n);
    const h0 = Math.min(d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1, interval);
    const f1 = f(t0 + h0, add(y0, mul(h0, f0)), p);
    const [s2] = await rms(sub(f1, f0)).data();
    const d2 = Math.sqrt(s2! / n) / h0;
    const h1 =
      d1 <= 1e-15 && d2 <= 1e-15
        ? Math.max(1e-6, h0 * 1e-3)
        : (0.01 / Math.max(d1, d2)) ** (1 / (errorOrder + 1));
    return Math.min(100 * h0, h1, interval);
  });
}

/** f(t, y, θ), checked to return an array shaped like y. */
function evaluate<P extends PyTree>(f: OdeVectorField<P>, t: number, y: NDArray, p: P): NDArray {
  const dy = f(t, y, p);
  if (dy.size !== y.size)
    throw new ShapeError(
      OP,
      `f returned shape [${dy.shape.join(', ')}] for a state of shape [${y.shape.join(', ')}]; it must return an array shaped like y`,
    );
  return dy;
}

/** Counters of a planned solve. */
interface Counts {
  nfev: number;
  nsteps: number;
  nrejected: number;
}

/**
 * One output interval [t0, t1] of an adaptive explicit solve from y (as the CPU's `ErkAdaptiveStepper` over
 * that interval: a fresh controller, first step `firstStep` or Hairer's starting step). Returns the end
 * state, the accepted steps and the size of the last one.
 */
async function planInterval<P extends PyTree>(
  f: OdeVectorField<P>,
  p: P,
  tab: ButcherTableau,
  errorOrder: number,
  t0: number,
  y0: NDArray,
  t1: number,
  firstStep: number | undefined,
  tol: { rtol: number; atol: number; maxSteps: number },
  counts: Counts,
): Promise<{ y: NDArray; steps: [number, number][]; lastStep: number }> {
  const s = tab.stages;
  const sb = propagatedStages(tab);
  const expo = piExponent(errorOrder + 1);
  // an FSAL pair's last stage is evaluated at y₁ itself: its stage input is the new state
  const lastIsY1 = tab.fsal && tab.b.every((bj, j) => (tab.A[s - 1]![j] ?? 0) === bj);
  let y = y0;
  let k0: NDArray | undefined = evaluate(f, t0, y, p);
  counts.nfev++;
  let h = firstStep;
  if (h === undefined) {
    h = await initialStepAsync(f, p, t0, y, k0, errorOrder, tol.rtol, tol.atol, t1 - t0);
    counts.nfev++;
  }
  let facOld = 1e-4;
  let t = t0;
  let tOld = t0;
  let nsteps = 0;
  let nrejected = 0;
  const steps: [number, number][] = [];
  while (t !== t1) {
    if (k0 === undefined) {
      k0 = evaluate(f, t, y, p);
      counts.nfev++;
    }
    const first: NDArray = k0;
    const yNow = y;
    let rejections = 0;
    let hTry: number = h;
    // one step, tried until accepted: its rejected trials' arrays are freed when the scope closes
    const accepted = await scope(async () => {
      for (;;) {
        if (!(hTry >= minimumStep(t)))
          throw new ConvergenceError(
            OP,
            Number.isNaN(hTry)
              ? `f(t, y) is not finite near t = ${t}; check the right-hand side there`
              : `required step size ${hTry} is less than the spacing between numbers at t = ${t}`,
            counts.nsteps,
          );
        let tNew = t + hTry;
        // as the CPU stepper: a remainder below 1e-8 h (rounding in t + h) is absorbed into the last step
        if (tNew - t1 > -1e-8 * hTry) tNew = t1;
        const hs = tNew - t;
        const k: NDArray[] = [first];
        let y1: NDArray | undefined;
        for (let i = 1; i < s; i++) {
          const yi = combine(yNow, hs, tab.A[i]!, k);
          if (i === s - 1 && lastIsY1) y1 = yi;
          k.push(evaluate(f, t + tab.c[i]! * hs, yi, p));
        }
        counts.nfev += s - 1;
        // the replay's own formula (odeint differentiates these very ops), so planned and replayed agree
        y1 ??= combine(yNow, hs, tab.b, k.slice(0, sb));
        const e = errorNorm(tab, k, hs, yNow, y1, tol.rtol, tol.atol);
        const err = e.norm(await e.read.data());
        if (err <= 1) return { y1, kLast: tab.fsal ? k[s - 1] : undefined, hs, tNew, err };
        // rejected: shrink (a non-finite error means the trial state blew up: shrink the most)
        rejections++;
        hTry = rejectedStepSize(Math.abs(hs), err, expo);
      }
    });
    const habs = Math.abs(accepted.hs);
    const hNew = habs / acceptedStepDivisor(accepted.err, facOld, expo);
    // after a rejection, do not grow the step at once (Hairer's dopri5)
    h = rejections > 0 ? Math.min(hNew, habs) : hNew;
    facOld = Math.max(accepted.err, 1e-4);
    steps.push([t, accepted.tNew]);
    tOld = t;
    t = accepted.tNew;
    y = accepted.y1;
    k0 = accepted.kLast;
    nsteps++;
    nrejected += rejections;
    counts.nsteps++;
    counts.nrejected += rejections;
    if (nsteps + nrejected > tol.maxSteps)
      throw new ConvergenceError(
        OP,
        `reached maxSteps = ${tol.maxSteps} between t = ${t0} and t = ${t1} (at t = ${t}); loosen rtol/atol or raise maxSteps`,
        counts.nsteps,
      );
  }
  return { y, steps, lastStep: Math.abs(t - tOld) };
}

/**
 * Solves y' = f(t, y, θ), y(ts[0]) = y0 like {@link odeint} with an explicit method, on any backend: the
 * adaptive controller (Hairer's PI step-size control, Hairer–Nørsett–Wanner I §II.4, as `odeint` uses) reads
 * each trial step's error norm with the backend's asynchronous read, so it runs where reads are asynchronous
 * (WebGPU) as well as on the CPU, where it takes the steps `odeint` takes. Returns the states at `ts` and the
 * plan of accepted steps; pass the plan as `odeint`'s option `plan` to differentiate the same solution on the
 * device (`gradient` 'direct', 'checkpoint' or 'adjoint'). `'RK4'` needs no read: its plan is its grid.
 * @example
 * ```ts
 * const { ys, plan } = await odeintAsync(lorenz, y0, [0, 0.5, 1], params, { method: 'Tsit5', rtol: 1e-6 });
 * const g = grad((p: Lorenz) => sum(square(odeint(lorenz, y0, [0, 0.5, 1], p, { method: 'Tsit5', rtol: 1e-6, plan, gradient: 'adjoint' }))))(params);
 * ```
 * @public
 */
export async function odeintAsync<P extends PyTree>(
  f: OdeVectorField<P>,
  y0: NDArray,
  ts: ArrayLike<number>,
  params: P,
  options: OdeintOptions = {},
): Promise<OdeintAsyncResult> {
  const times = checkTimes(ts, OP);
  const opts = resolveOptions(options, OP);
  const method = opts.method;
  if (isImplicit(method))
    throw new ValueError(
      OP,
      `method '${method}' is implicit: its Newton iterations run on the host; solve with odeint on a CPU backend`,
    );
  if (options.plan !== undefined)
    throw new ValueError(OP, 'odeintAsync makes the plan; call it without the option plan');
  const p = stopGradient(params);
  const start = stopGradient(y0);
  const ts0 = Array.from(times);
  if (method === 'RK4') {
    const grid = rk4Grid(times, opts.dt);
    const nsteps = grid.reduce((a, iv) => a + iv.length, 0);
    return {
      ys: replaySteps(RK4, f, start, grid, p),
      plan: { method, ts: ts0, steps: grid, nsteps, nrejected: 0, nfev: 4 * nsteps },
    };
  }
  const erk = ADAPTIVE_ERK[method];
  const tab = erk.tableau;
  const errorOrder = erk.errorOrder ?? Math.min(tab.order, tab.embeddedOrder);
  const counts: Counts = { nfev: 0, nsteps: 0, nrejected: 0 };
  const tol = { rtol: opts.rtol, atol: opts.atol, maxSteps: opts.maxSteps };
  return scope(async () => {
    const rows: NDArray[] = [start];
    const steps: [number, number][][] = [];
    let h: number | undefined;
    for (let i = 1; i < times.length; i++) {
      const y = rows[i - 1]!;
      // each interval in a scope of its own: only its end state outlives it
      const r = await scope(() =>
        planInterval(f, p, tab, errorOrder, times[i - 1]!, y, times[i]!, h, tol, counts),
      );
      rows.push(r.y);
      steps.push(r.steps);
      h = r.lastStep;
    }
    const plan: OdeintPlan = { method, ts: ts0, steps, ...counts };
    return { ys: stack(rows, { axis: 0 }), plan };
  });
}
