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

/** Steps per call of {@link runSteps}: long enough to amortise the call, short enough to tier up quickly. */
const CHUNK = 256;

/**
 * One explicit Euler or RK4 step from (t, y) of size h, in place; `k1` holds f(t, y) on entry and
 * f(tNew, y₁) on return (the next step's first stage).
 */
function oneStep(
  f: OdeRhsInPlace,
  rk4: boolean,
  y: Float64Array,
  k1: Float64Array,
  s: Stages,
  t: number,
  h: number,
  tNew: number,
): void {
  const n = y.length;
  if (rk4) {
    const { k2, k3, k4, tmp } = s;
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

/** Steps j = from … to − 1 of the uniform grid t_j = t0 + j·dt (interior steps use dt itself, as `rk4Step`). */
function runSteps(
  f: OdeRhsInPlace,
  rk4: boolean,
  y: Float64Array,
  k1: Float64Array,
  s: Stages,
  t0: number,
  dt: number,
  from: number,
  to: number,
): void {
  for (let j = from; j < to; j++) {
    const t = t0 + j * dt;
    oneStep(f, rk4, y, k1, s, t, dt, t0 + (j + 1) * dt);
  }
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

  constructor(
    f: OdeRhsInPlace,
    kind: 'Euler' | 'RK4',
    t0: number,
    y0: Float64Array,
    tBound: number,
    dt: number,
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
   * Takes up to `count` steps. Interior steps run in chunks through {@link runSteps}, a small function
   * called once per chunk: V8 optimises it after a few calls (rather than by on-stack replacement of one
   * long loop, which a deoptimisation sends back to the interpreter for the rest of the run). Only the last
   * step keeps (yOld, fOld) for the dense output. A blow-up is detected at the end (NaN and ±Infinity
   * propagate through the stages).
   */
  advance(count: number): string | null {
    const f = this.#f;
    const y = this.y;
    const rk4 = this.#rk4;
    const dt = this.#dt;
    const total = this.#count;
    const k1 = this.#fNow;
    const stages = this.#stages;
    const stop = Math.min(total, this.nsteps + count);
    let i = this.nsteps;
    // all but the last step of this call: uniform steps of dt from the grid point t0 + j·dt
    while (i < stop - 1) {
      const to = Math.min(stop - 1, i + CHUNK);
      runSteps(f, rk4, y, k1, stages, this.#t0, dt, i, to);
      i = to;
    }
    // the last step: keep its start for the dense output; on the final grid point h ends exactly on t1
    const t = this.#t0 + i * dt;
    const last = i + 1 >= total;
    const tNew = last ? this.#tBound : this.#t0 + (i + 1) * dt;
    this.#yOld.set(y);
    this.#fOld.set(k1);
    oneStep(f, rk4, y, k1, stages, t, last ? tNew - t : dt, tNew);
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
