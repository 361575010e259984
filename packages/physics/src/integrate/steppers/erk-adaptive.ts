/**
 * Adaptive explicit Runge–Kutta stepper for embedded pairs, FSAL (Dormand–Prince, Tsitouras) or not (Verner), with
 * Hairer's PI step-size control (`dopri5.f`; Hairer–Nørsett–Wanner I, §II.4; Gustafsson's PI controller
 * with β = 0.04 as in Hairer–Wanner II, §IV.2): hₙ₊₁ = hₙ · safe · errₙ^(−α) · errₙ₋₁^β, α = 1/(q+1) − 0.75β.
 */
import type { JacobianBand } from '../fd-jacobian.js';
import type { ButcherTableau } from '../tableau.js';
import type { OdeRhsInPlace } from '../types.js';
import {
  type Stepper,
  type Tolerances,
  initialStep,
  minimumStep,
  scaledErrorNorm,
} from './stepper.js';
import { acceptedStepDivisor, piExponent, rejectedStepSize } from './step-control.js';

/** Evaluates a method's dense output at θ ∈ [0, 1] of a step of (signed) size h from y0 to y1. */
export type ErkInterpolant = (
  theta: number,
  h: number,
  y0: Float64Array,
  y1: Float64Array,
  k: Float64Array,
  out: Float64Array,
) => void;

/** An adaptive explicit method: its tableau and its continuous extension. */
export interface AdaptiveErkMethod {
  tableau: ButcherTableau;
  interpolate: ErkInterpolant;
  /** Order q of the error estimate, for the step-size exponent 1/(q+1) (default: min(order, embeddedOrder)). */
  errorOrder?: number;
  /**
   * A method's own scaled error norm of a step (DOP853's combined 5th/3rd-order estimate); default: the RMS
   * norm of h Σ Eⱼkⱼ. `k` holds the stages, stage-major.
   */
  errorNorm?: (
    k: Float64Array,
    h: number,
    y0: Float64Array,
    y1: Float64Array,
    tol: Tolerances,
  ) => number;
  /**
   * Stages the dense output needs beyond the step's own (DOP853's three), evaluated lazily on the first
   * interpolation of a step: row i covers all earlier stages. `interpolate` then receives them in `k`.
   */
  extraStages?: { c: readonly number[]; A: readonly (readonly number[])[] };
}

export interface AdaptiveOptions {
  tol: Tolerances;
  maxStep: number;
  firstStep?: number;
  /** Band of ∂f/∂y for the implicit methods' finite-difference Jacobian (Curtis–Powell–Reid grouping). */
  jacBand?: JacobianBand;
}

export class ErkAdaptiveStepper implements Stepper {
  t: number;
  tOld: number;
  readonly y: Float64Array;
  nfev = 0;
  njev = 0;
  nlu = 0;
  nsteps = 0;
  nrejected = 0;

  readonly #f: OdeRhsInPlace;
  readonly #tab: ButcherTableau;
  // the tableau as typed arrays: every method then runs the same monomorphic loads
  readonly #a: Float64Array; // s×s, row-major, strictly lower triangle
  readonly #c: Float64Array;
  readonly #e: Float64Array;
  readonly #interp: ErkInterpolant;
  readonly #tBound: number;
  readonly #dir: number;
  readonly #tol: Tolerances;
  readonly #maxStep: number;
  readonly #n: number;
  readonly #k: Float64Array; // stages, stage-major (s·n)
  readonly #stage: Float64Array[]; // views of #k, one per stage (made once: no allocation per step)
  readonly #yOld: Float64Array;
  readonly #yStage: Float64Array;
  readonly #err: Float64Array;
  readonly #expo: number;
  #h: number; // |h| to try next
  #hLast = 0; // signed size of the last accepted step
  #facOld = 1e-4;
  #fsalPending = false;
  // non-FSAL pairs: the next step's first stage f(t, y) is still to be evaluated (or copied from the dense
  // output's first extra stage when that is f(t + h, y₁), as in Verner's interpolants)
  #firstPending = false;
  readonly #extraIsNextFirst: boolean;
  readonly #b: Float64Array;
  readonly #extra: AdaptiveErkMethod['extraStages'];
  readonly #errorNorm: AdaptiveErkMethod['errorNorm'];
  #extraReady = false;

  constructor(
    f: OdeRhsInPlace,
    method: AdaptiveErkMethod,
    t0: number,
    y0: Float64Array,
    tBound: number,
    options: AdaptiveOptions,
  ) {
    const n = y0.length;
    const s = method.tableau.stages;
    this.#f = f;
    this.#tab = method.tableau;
    this.#a = new Float64Array(s * s);
    method.tableau.A.forEach((row, i) => {
      for (let j = 0; j < row.length; j++) this.#a[i * s + j] = row[j];
    });
    this.#c = Float64Array.from(method.tableau.c);
    this.#e = Float64Array.from(method.tableau.E ?? []);
    this.#b = Float64Array.from(method.tableau.b);
    const x0 = method.extraStages;
    this.#extraIsNextFirst =
      !method.tableau.fsal &&
      x0 !== undefined &&
      x0.c[0] === 1 &&
      method.tableau.b.every((bi, j) => (x0.A[0][j] ?? 0) === bi);
    this.#interp = method.interpolate;
    this.#tBound = tBound;
    this.#dir = tBound >= t0 ? 1 : -1;
    this.#tol = options.tol;
    this.#maxStep = options.maxStep;
    this.#n = n;
    this.t = t0;
    this.tOld = t0;
    this.y = Float64Array.from(y0);
    this.#yOld = Float64Array.from(y0);
    this.#extra = method.extraStages;
    this.#errorNorm = method.errorNorm;
    this.#k = new Float64Array((s + (method.extraStages?.c.length ?? 0)) * n);
    this.#stage = Array.from({ length: s }, (_, i) => this.#k.subarray(i * n, (i + 1) * n));
    this.#yStage = new Float64Array(n);
    this.#err = new Float64Array(n);
    const q = method.errorOrder ?? Math.min(this.#tab.order, this.#tab.embeddedOrder);
    this.#expo = piExponent(q + 1);
    // first stage at t0 (reused by the FSAL property from then on)
    f(t0, this.y, this.#stage[0]);
    this.nfev = 1;
    const interval = Math.abs(tBound - t0);
    if (options.firstStep !== undefined) {
      this.#h = options.firstStep;
    } else {
      this.#h = initialStep(f, t0, this.y, this.#stage[0], this.#dir, q, this.#tol, interval);
      this.nfev += 1;
    }
    this.#h = Math.min(this.#h, this.#maxStep);
  }

  step(): string | null {
    // Every field is read here, on the path each call takes: the rarely taken branches below (the last
    // step's clipping, rejections) then touch only locals, and V8 does not deoptimise the hot loop the
    // first time they run.
    const n = this.#n;
    const k = this.#k;
    const s = this.#tab.stages;
    const A = this.#a;
    const c = this.#c;
    const E = this.#e;
    const f = this.#f;
    const stage = this.#stage;
    const err = this.#err;
    const tol = this.#tol;
    const expo = this.#expo;
    const dir = this.#dir;
    const tBound = this.#tBound;
    const y = this.y;
    const yStage = this.#yStage;
    const t = this.t;
    const fsal = this.#tab.fsal;
    const B = this.#b;
    if (this.#fsalPending) {
      // the last stage of the accepted step is f(t, y): it becomes this step's first stage
      k.copyWithin(0, (s - 1) * n, s * n);
      this.#fsalPending = false;
    } else if (this.#firstPending) {
      if (this.#extraReady && this.#extraIsNextFirst) k.copyWithin(0, s * n, (s + 1) * n);
      else {
        f(t, y, stage[0]);
        this.nfev++;
      }
      this.#firstPending = false;
    }
    let h = Math.min(this.#h, this.#maxStep);
    let rejections = 0;
    let evaluations = 0;
    let errNorm = 0;
    let tNew = t;
    let hs = 0;
    for (;;) {
      // written so that a NaN step (from a non-finite f) fails here instead of looping
      if (!(h >= minimumStep(t))) {
        this.nfev += evaluations;
        this.nrejected += rejections;
        return Number.isNaN(h)
          ? `f(t, y) is not finite near t = ${t}; check the right-hand side there`
          : `required step size ${h} is less than the spacing between numbers at t = ${t}`;
      }
      tNew = t + dir * h;
      // clip to the end; a remainder below 1e-8 h (rounding in t + h) is absorbed rather than left as a sliver
      if (dir * (tNew - tBound) > -1e-8 * h) tNew = tBound;
      hs = tNew - t;
      for (let i = 1; i < s; i++) {
        const row = i * s;
        for (let m = 0; m < n; m++) {
          let acc = 0;
          for (let j = 0; j < i; j++) acc += A[row + j] * k[j * n + m];
          yStage[m] = y[m] + hs * acc;
        }
        f(t + c[i] * hs, yStage, stage[i]);
      }
      evaluations += s - 1;
      // FSAL: the last stage was evaluated at y₁ = y + h Σ bⱼkⱼ, which is what yStage holds now; otherwise
      // form y₁ (same summation order as the dense output's stage f(t + h, y₁), so the two agree bitwise)
      if (!fsal) {
        for (let m = 0; m < n; m++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc += B[j] * k[j * n + m];
          yStage[m] = y[m] + hs * acc;
        }
      }
      if (this.#errorNorm !== undefined) errNorm = this.#errorNorm(k, hs, y, yStage, tol);
      else {
        for (let m = 0; m < n; m++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc += E[j] * k[j * n + m];
          err[m] = hs * acc;
        }
        errNorm = scaledErrorNorm(err, y, yStage, tol);
      }
      if (errNorm <= 1) break;
      // rejected: shrink (a non-finite error means the trial state blew up: shrink the most);
      // k[0] is still f(t, y), so the retry needs no new first stage
      rejections++;
      h = rejectedStepSize(Math.abs(hs), errNorm, expo);
    }
    const habs = Math.abs(hs);
    const hNew = habs / acceptedStepDivisor(errNorm, this.#facOld, expo);
    // after a rejection, do not grow the step at once (Hairer's dopri5)
    this.#h = rejections > 0 ? Math.min(hNew, habs) : hNew;
    this.#facOld = Math.max(errNorm, 1e-4);
    this.#yOld.set(y);
    y.set(yStage);
    this.tOld = t;
    this.t = tNew;
    this.#hLast = hs;
    this.#fsalPending = fsal;
    this.#firstPending = !fsal;
    this.#extraReady = false;
    this.nfev += evaluations;
    this.nrejected += rejections;
    this.nsteps++;
    return null;
  }

  /**
   * Hairer's stiffness estimate of the last accepted step (`dopri5.f`; Hairer–Wanner II, §IV.2):
   * |h|·‖kₛ − kₛ₋₁‖/‖y₁ − Yₛ₋₁‖ ≈ |hλ| for the dominant eigenvalue λ, from the two last stages of an FSAL pair
   * whose last two nodes are both 1 (Dormand–Prince, Tsitouras). NaN for other pairs.
   */
  stiffnessEstimate(): number {
    const s = this.#tab.stages;
    const c = this.#c;
    const h = this.#hLast;
    if (!this.#tab.fsal || s < 2 || c[s - 1] !== 1 || c[s - 2] !== 1) return Number.NaN;
    if (h === 0) return 0;
    const n = this.#n;
    const k = this.#k;
    const A = this.#a;
    const y0 = this.#yOld;
    const y1 = this.y;
    const row = (s - 2) * s;
    let num = 0;
    let den = 0;
    for (let m = 0; m < n; m++) {
      let acc = 0;
      for (let j = 0; j < s - 2; j++) acc += A[row + j] * k[j * n + m];
      const d = y1[m] - (y0[m] + h * acc);
      const e = k[(s - 1) * n + m] - k[(s - 2) * n + m];
      den += d * d;
      num += e * e;
    }
    return den > 0 ? Math.abs(h) * Math.sqrt(num / den) : 0;
  }

  /** Evaluates the dense output's extra stages of the last step, once (they cost f-evaluations). */
  #ensureExtraStages(): void {
    const extra = this.#extra;
    if (extra === undefined || this.#extraReady) return;
    const n = this.#n;
    const s = this.#tab.stages;
    const k = this.#k;
    const h = this.#hLast;
    const y0 = this.#yOld;
    const yStage = this.#yStage;
    for (let e = 0; e < extra.c.length; e++) {
      const row = extra.A[e];
      for (let m = 0; m < n; m++) {
        let acc = 0;
        for (let j = 0; j < row.length; j++) acc += row[j] * k[j * n + m];
        yStage[m] = y0[m] + h * acc;
      }
      this.#f(this.tOld + extra.c[e] * h, yStage, k.subarray((s + e) * n, (s + e + 1) * n));
    }
    this.nfev += extra.c.length;
    this.#extraReady = true;
  }

  interpolate(t: number, out: Float64Array): void {
    const h = this.#hLast;
    const theta = h === 0 ? 1 : (t - this.tOld) / h;
    this.#ensureExtraStages();
    this.#interp(theta, h, this.#yOld, this.y, this.#k, out);
  }

  segment(): (t: number, out: Float64Array) => void {
    const h = this.#hLast;
    const t0 = this.tOld;
    const y0 = Float64Array.from(this.#yOld);
    const y1 = Float64Array.from(this.y);
    this.#ensureExtraStages();
    const k = Float64Array.from(this.#k);
    const interp = this.#interp;
    return (t, out) => interp(h === 0 ? 1 : (t - t0) / h, h, y0, y1, k, out);
  }
}
