/**
 * Fixed-step explicit Euler and classical RK4 on a uniform grid tᵢ = t0 + i·dt (the last step shortened
 * to land on t1). Written out by hand rather than from the tableau: these are the hot loops of long
 * rollouts, and the unrolled form is what reaches a hand-inlined loop's speed. Dense output is the cubic
 * Hermite interpolant through (yₙ, fₙ) and (yₙ₊₁, fₙ₊₁) (Hairer–Nørsett–Wanner I, eq. II.6.7).
 */
import type { OdeRhsInPlace } from '../types.js';
import type { Stepper } from './stepper.js';

/** Number of steps of size dt that cover `interval`, tolerating rounding in interval/dt. */
export function fixedStepCount(interval: number, dt: number): number {
  const r = interval / dt;
  const nearest = Math.round(r);
  const steps = Math.abs(r - nearest) <= 1e-9 * Math.max(1, r) ? nearest : Math.ceil(r);
  return Math.max(1, steps);
}

/** Cubic Hermite interpolation on one step: (1−θ)y0 + θy1 + θ(θ−1)((1−2θ)(y1−y0) + (θ−1)h f0 + θh f1). */
export function hermiteInterpolate(
  theta: number,
  h: number,
  y0: Float64Array,
  y1: Float64Array,
  f0: Float64Array,
  f1: Float64Array,
  out: Float64Array,
): void {
  const n = y0.length;
  const a = theta * (theta - 1);
  for (let i = 0; i < n; i++) {
    const dy = y1[i] - y0[i];
    out[i] =
      y0[i] + theta * dy + a * ((1 - 2 * theta) * dy + (theta - 1) * h * f0[i] + theta * h * f1[i]);
  }
}

/** Scratch stages of one RK4 step. */
interface Stages {
  k2: Float64Array;
  k3: Float64Array;
  k4: Float64Array;
  tmp: Float64Array;
}

/** Steps per call of a {@link StepRunner}: long enough to amortise the call, short enough to tier up quickly. */
const CHUNK = 256;

/** Runs with at least this many steps get a kernel of their own (see {@link kernelFor}); shorter ones share one. */
export const OWN_KERNEL_MIN_STEPS = 2048;

/** The signature of {@link runSteps} and of its per-right-hand-side copies. */
type StepRunner = typeof runSteps;

/**
 * Explicit Euler or RK4 steps j = from … to − 1 of the grid t_j = t0 + j·dt, in place. Interior steps use
 * dt itself (as `rk4Step`); when `final`, step to − 1 ends exactly on `tBound` with h = tBound − t. `k1`
 * holds f(t_from, y) on entry and f(t_to, y) on return (the next step's first stage, so each step costs 4
 * calls of f for RK4 and 1 for Euler).
 *
 * Self-contained on purpose — no free variables, no nested functions — so that {@link kernelFor} can
 * compile a private copy of this exact source: the arithmetic, and so the result, is the same bit for bit.
 */
function runSteps(
  f: OdeRhsInPlace,
  rk4: boolean,
  y: Float64Array,
  k1: Float64Array,
  k2: Float64Array,
  k3: Float64Array,
  k4: Float64Array,
  tmp: Float64Array,
  t0: number,
  dt: number,
  from: number,
  to: number,
  final: boolean,
  tBound: number,
): void {
  const n = y.length;
  for (let j = from; j < to; j++) {
    const t = t0 + j * dt;
    const last = final && j + 1 === to;
    const tNew = last ? tBound : t0 + (j + 1) * dt;
    const h = last ? tNew - t : dt;
    if (rk4) {
      const h2 = 0.5 * h;
      for (let m = 0; m < n; m++) tmp[m] = y[m] + h2 * k1[m];
      f(t + h2, tmp, k2);
      for (let m = 0; m < n; m++) tmp[m] = y[m] + h2 * k2[m];
      f(t + h2, tmp, k3);
      for (let m = 0; m < n; m++) tmp[m] = y[m] + h * k3[m];
      f(t + h, tmp, k4);
      const h6 = h / 6;
      for (let m = 0; m < n; m++) y[m] += h6 * (k1[m] + 2 * (k2[m] + k3[m]) + k4[m]);
    } else {
      for (let m = 0; m < n; m++) y[m] += h * k1[m];
    }
    f(tNew, y, k1);
  }
}

const kernels = new WeakMap<OdeRhsInPlace, StepRunner>();
let kernelCount = 0;
/** Whether this runtime compiles code from strings (false under a Content-Security-Policy without 'unsafe-eval'). */
let canCompile = true;

/**
 * A private copy of {@link runSteps} for the right-hand side `f` (cached per `f`), or the shared one where
 * code cannot be compiled from strings.
 *
 * Why: V8 keeps type feedback per function. With one shared `runSteps`, the call `f(…)` inside it sees every
 * right-hand side the process ever integrated; after a handful it turns polymorphic and V8 stops inlining
 * `f` into the stage loop, costing ~30 % on a small system such as Lorenz-63 (measured: 48 → 37 ms per 10⁶
 * steps). A copy compiled from the same source has feedback of its own, so `f` is inlined again. The
 * source gets a unique comment because V8 caches `new Function` by source text, feedback included.
 */
export function kernelFor(f: OdeRhsInPlace): StepRunner {
  const cached = kernels.get(f);
  if (cached !== undefined) return cached;
  if (!canCompile) return runSteps;
  let kernel: StepRunner;
  try {
    kernel = new Function(
      `return (${runSteps.toString()}); /* fixed-step kernel ${++kernelCount} */`,
    )() as StepRunner;
  } catch {
    canCompile = false;
    return runSteps;
  }
  kernels.set(f, kernel);
  return kernel;
}

export class FixedStepper implements Stepper {
  t: number;
  tOld: number;
  readonly y: Float64Array;
  nfev = 0;
  njev = 0;
  nlu = 0;
  nsteps = 0;
  nrejected = 0;

  readonly #f: OdeRhsInPlace;
  readonly #rk4: boolean;
  readonly #t0: number;
  readonly #dt: number; // signed
  readonly #tBound: number;
  readonly #count: number;
  readonly #fNow: Float64Array; // f(t, y)
  readonly #fOld: Float64Array; // f(tOld, yOld)
  readonly #yOld: Float64Array;
  readonly #stages: Stages;
  readonly #run: StepRunner;

  /**
   * `ownKernel`: run ≥ {@link OWN_KERNEL_MIN_STEPS} steps through `f`'s own copy of the step loop
   * ({@link kernelFor}); for a user's in-place `f`, whose identity is stable across solves (a wrapper made
   * per solve would compile and warm up a copy each time).
   */
  constructor(
    f: OdeRhsInPlace,
    kind: 'Euler' | 'RK4',
    t0: number,
    y0: Float64Array,
    tBound: number,
    dt: number,
    options: { ownKernel?: boolean } = {},
  ) {
    const n = y0.length;
    this.#f = f;
    this.#rk4 = kind === 'RK4';
    this.#t0 = t0;
    this.#tBound = tBound;
    this.#count = fixedStepCount(Math.abs(tBound - t0), dt);
    this.#dt = tBound >= t0 ? dt : -dt;
    this.t = t0;
    this.tOld = t0;
    this.y = Float64Array.from(y0);
    this.#yOld = Float64Array.from(y0);
    this.#fNow = new Float64Array(n);
    this.#fOld = new Float64Array(n);
    this.#stages = {
      k2: new Float64Array(n),
      k3: new Float64Array(n),
      k4: new Float64Array(n),
      tmp: new Float64Array(n),
    };
    this.#run =
      this.#count >= OWN_KERNEL_MIN_STEPS && options.ownKernel === true ? kernelFor(f) : runSteps;
    f(t0, this.y, this.#fNow);
    this.nfev = 1;
  }

  step(): string | null {
    return this.advance(1);
  }

  /** Steps still needed so that t reaches `target` on the grid (0 when it already has). */
  stepsUntil(target: number): number {
    const remaining = this.#count - this.nsteps;
    if ((target - this.t) * Math.sign(this.#dt) <= 0) return 0;
    const k = Math.ceil((target - this.#t0) / this.#dt - 1e-9) - this.nsteps;
    return Math.max(1, Math.min(remaining, k));
  }

  /**
   * Takes up to `count` steps. Interior steps run in chunks through {@link runSteps} (for long runs this
   * right-hand side's own copy, {@link kernelFor}), a small function called once per chunk: V8 optimises it after a few calls (rather than by on-stack replacement of one
   * long loop, which a deoptimisation sends back to the interpreter for the rest of the run). Only the last
   * step keeps (yOld, fOld) for the dense output. A blow-up is detected at the end (NaN and ±Infinity
   * propagate through the stages).
   */
  advance(count: number): string | null {
    const f = this.#f;
    const y = this.y;
    const rk4 = this.#rk4;
    const dt = this.#dt;
    const t0 = this.#t0;
    const total = this.#count;
    const k1 = this.#fNow;
    const { k2, k3, k4, tmp } = this.#stages;
    const run = this.#run;
    const stop = Math.min(total, this.nsteps + count);
    let i = this.nsteps;
    // all but the last step of this call: uniform steps of dt from the grid point t0 + j·dt
    while (i < stop - 1) {
      const to = Math.min(stop - 1, i + CHUNK);
      run(f, rk4, y, k1, k2, k3, k4, tmp, t0, dt, i, to, false, this.#tBound);
      i = to;
    }
    // the last step: keep its start for the dense output; on the final grid point h ends exactly on t1
    const last = i + 1 >= total;
    this.#yOld.set(y);
    this.#fOld.set(k1);
    run(f, rk4, y, k1, k2, k3, k4, tmp, t0, dt, i, i + 1, last, this.#tBound);
    const t = t0 + i * dt;
    const tNew = last ? this.#tBound : t0 + (i + 1) * dt;
    i++;
    this.nfev += (rk4 ? 4 : 1) * (i - this.nsteps);
    this.nsteps = i;
    this.tOld = t;
    this.t = tNew;
    for (let m = 0; m < y.length; m++) {
      if (!Number.isFinite(y[m])) {
        return `the solution became non-finite by t = ${tNew} (component ${m} = ${y[m]}); reduce dt or use an adaptive method`;
      }
    }
    return null;
  }

  interpolate(t: number, out: Float64Array): void {
    const h = this.t - this.tOld;
    hermiteInterpolate(
      h === 0 ? 1 : (t - this.tOld) / h,
      h,
      this.#yOld,
      this.y,
      this.#fOld,
      this.#fNow,
      out,
    );
  }

  segment(): (t: number, out: Float64Array) => void {
    const t0 = this.tOld;
    const h = this.t - t0;
    const y0 = Float64Array.from(this.#yOld);
    const y1 = Float64Array.from(this.y);
    const f0 = Float64Array.from(this.#fOld);
    const f1 = Float64Array.from(this.#fNow);
    return (t, out) => hermiteInterpolate(h === 0 ? 1 : (t - t0) / h, h, y0, y1, f0, f1, out);
  }
}
