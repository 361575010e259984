/**
 * Fixed-step explicit Euler and classical RK4 on a uniform grid tᵢ = t0 + i·dt (the last step shortened
 * to land on t1). Written out by hand rather than from the tableau: these are the hot loops of long
 * rollouts, and the unrolled form is what reaches a hand-inlined loop's speed. Dense output is the cubic
 * Hermite interpolant through (yₙ, fₙ) and (yₙ₊₁, fₙ₊₁) (Hairer–Nørsett–Wanner I, eq. II.6.7).
 */
import type { OdeRhsInPlace } from '../types.js';
import { type StepKernel, kernelFor, sharedKernel } from './fixed-kernels.js';
import type { Stepper } from './stepper.js';

export { kernelFor } from './fixed-kernels.js';

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

/** Steps per call of a {@link StepKernel}: long enough to amortise the call, short enough that the kernel is
 * called often and tiers up to optimised code of its own (not on-stack replacement, whose code V8 may drop). */
const CHUNK = 256;

/** Runs with at least this many steps get a kernel of their own (see {@link kernelFor}); shorter ones share one. */
export const OWN_KERNEL_MIN_STEPS = 2048;

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
  readonly #evalsPerStep: number;
  readonly #t0: number;
  readonly #dt: number; // signed
  readonly #tBound: number;
  readonly #count: number;
  readonly #fNow: Float64Array; // f(t, y)
  readonly #fOld: Float64Array; // f(tOld, yOld)
  readonly #yOld: Float64Array;
  readonly #stages: Stages;
  readonly #run: StepKernel;

  /**
   * `ownKernel`: run ≥ {@link OWN_KERNEL_MIN_STEPS} steps through `f`'s own copy of the step loop
   * ({@link kernelFor}); for a user's in-place `f`, whose identity is stable across solves (a wrapper made
   * per solve would compile and warm up a copy each time). `kernel`: a step loop that `f` brings with it (a
   * symbolic system's loop with f written in, see inline-kernels.ts), used for runs of any length.
   */
  constructor(
    f: OdeRhsInPlace,
    kind: 'Euler' | 'RK4',
    t0: number,
    y0: Float64Array,
    tBound: number,
    dt: number,
    options: { ownKernel?: boolean; kernel?: StepKernel } = {},
  ) {
    const n = y0.length;
    this.#f = f;
    this.#evalsPerStep = kind === 'RK4' ? 4 : 1;
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
      options.kernel ??
      (this.#count >= OWN_KERNEL_MIN_STEPS && options.ownKernel === true
        ? kernelFor(f, kind, n)
        : sharedKernel(kind));
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
   * Takes up to `count` steps in chunks of {@link CHUNK} through the step loop ({@link kernelFor}: for long runs
   * this right-hand side's own copy), which also keeps the last step's start (yOld, fOld) for the dense output;
   * on the final grid point the step ends exactly on t1. A blow-up is detected at the end (NaN and ±Infinity propagate
   * through the stages).
   */
  advance(count: number): string | null {
    const y = this.y;
    const dt = this.#dt;
    const t0 = this.#t0;
    const total = this.#count;
    const from = this.nsteps;
    const stop = Math.min(total, from + Math.max(1, count));
    const f = this.#f;
    const k1 = this.#fNow;
    const { k2, k3, k4, tmp } = this.#stages;
    const yOld = this.#yOld;
    const fOld = this.#fOld;
    const tBound = this.#tBound;
    const run = this.#run;
    // one call site of the kernel: were it inlined here, a second copy would use up the inlining budget
    // that f needs (see fixed-kernels.ts); each chunk's kernel call keeps its last step's start in yOld, fOld
    for (let i = from; i < stop; ) {
      const to = Math.min(stop, i + CHUNK);
      run(f, y, k1, k2, k3, k4, tmp, yOld, fOld, t0, dt, i, to, to === total, tBound);
      i = to;
    }
    this.nfev += this.#evalsPerStep * (stop - from);
    this.nsteps = stop;
    this.tOld = t0 + (stop - 1) * dt;
    this.t = stop === total ? tBound : t0 + stop * dt;
    for (let m = 0; m < y.length; m++) {
      if (!Number.isFinite(y[m])) {
        return `the solution became non-finite by t = ${this.t} (component ${m} = ${y[m]}); reduce dt or use an adaptive method`;
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
