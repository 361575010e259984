/**
 * Adaptive ESDIRK stepper (explicit first stage, singly diagonally implicit; e.g. Kværnø 5(4)). Each
 * implicit stage Yᵢ = y + h Σⱼ<ᵢ aᵢⱼkⱼ + hγ f(t + cᵢh, Yᵢ) is solved by simplified Newton with the one
 * matrix I − hγJ, factored once and reused across the stages, across Newton iterations, and across steps
 * while h and J stay (Hairer–Wanner II, §IV.8; Kennedy & Carpenter, NASA TM-2016-219173, §5). The Jacobian
 * is refreshed only when Newton converges slowly; divergence first refreshes J, then halves h. Starting
 * guesses come from the tableau's stage predictors. Error: the embedded solution (stiffly accurate for
 * Kværnø's pairs, so not filtered); step control h ← h · clamp(0.9 err^(−1/(q+1))). Dense output: cubic
 * Hermite through (y₀, f₀) and (y₁, f₁).
 */
import { SingularMatrixError } from '@sciml/linalg';
import { JacobianStore } from './jacobian-store.js';
import type { AdaptiveOptions } from '../steppers/erk-adaptive.js';
import { hermiteInterpolate } from '../steppers/fixed.js';
import { type Stepper, initialStep, minimumStep, scaledErrorNorm } from '../steppers/stepper.js';
import type { OdeRhsInPlace } from '../types.js';
import { type NewtonMatrix, factorShifted } from './newton-matrix.js';
import type { EsdirkTableau } from './esdirk-tableau.js';

const OP = 'solveIVP';
const NEWTON_MAXITER = 10;
const SAFE = 0.9;
const FAC_MIN = 0.2;
const FAC_MAX = 5;

type Jac = (t: number, y: Float64Array, out: Float64Array) => void;

export class EsdirkStepper implements Stepper {
  t: number;
  tOld: number;
  readonly y: Float64Array;
  nfev = 0;
  njev = 0;
  nlu = 0;
  nsteps = 0;
  nrejected = 0;

  readonly #f: OdeRhsInPlace;
  readonly #jac?: Jac;
  readonly #tab: EsdirkTableau;
  readonly #tBound: number;
  readonly #dir: number;
  readonly #opts: AdaptiveOptions;
  readonly #n: number;
  readonly #newtonTol: number;
  readonly #expo: number;
  readonly #e: Float64Array; // b − b̂
  readonly #fy: Float64Array; // f(t, y)
  readonly #fOld: Float64Array;
  readonly #yOld: Float64Array;
  readonly #J: JacobianStore;
  readonly #k: Float64Array[]; // stage derivatives
  readonly #base: Float64Array;
  readonly #Y: Float64Array;
  readonly #fY: Float64Array;
  readonly #d: Float64Array;
  readonly #scale: Float64Array;
  readonly #err: Float64Array;
  #h: number;
  #hLast = 0;
  #lu: NewtonMatrix | undefined;
  #hLU = Number.NaN;
  #currentJac = true;
  #staleJac = false;

  constructor(
    f: OdeRhsInPlace,
    tableau: EsdirkTableau,
    jac: Jac | undefined,
    t0: number,
    y0: Float64Array,
    tBound: number,
    options: AdaptiveOptions,
  ) {
    const n = y0.length;
    this.#f = f;
    this.#jac = jac;
    this.#tab = tableau;
    this.#tBound = tBound;
    this.#dir = tBound >= t0 ? 1 : -1;
    this.#opts = options;
    this.#n = n;
    const rtol = options.tol.rtol;
    this.#newtonTol = Math.max((10 * Number.EPSILON) / rtol, Math.min(0.03, Math.sqrt(rtol)));
    const q = Math.min(tableau.order, tableau.embeddedOrder);
    this.#expo = 1 / (q + 1);
    this.#e = Float64Array.from(tableau.b.map((bi, i) => bi - tableau.bHat[i]));
    this.t = t0;
    this.tOld = t0;
    this.y = Float64Array.from(y0);
    this.#yOld = Float64Array.from(y0);
    this.#fy = new Float64Array(n);
    this.#fOld = new Float64Array(n);
    this.#J = new JacobianStore(n, options.jacBand);
    this.#k = Array.from({ length: tableau.stages }, () => new Float64Array(n));
    this.#base = new Float64Array(n);
    this.#Y = new Float64Array(n);
    this.#fY = new Float64Array(n);
    this.#d = new Float64Array(n);
    this.#scale = new Float64Array(n);
    this.#err = new Float64Array(n);
    f(t0, this.y, this.#fy);
    this.nfev = 1;
    const interval = Math.abs(tBound - t0);
    if (options.firstStep !== undefined) this.#h = options.firstStep;
    else {
      this.#h = initialStep(f, t0, this.y, this.#fy, this.#dir, q, options.tol, interval);
      this.nfev += 1;
    }
    this.#evalJacobian(t0, this.y, this.#fy);
  }

  #evalJacobian(t: number, y: Float64Array, fy: Float64Array): void {
    this.nfev += this.#J.evaluate(this.#f, this.#jac, t, y, fy, this.#d);
    this.njev++;
    this.#currentJac = true;
    this.#lu = undefined;
  }

  #factor(h: number): void {
    // I − hγJ, banded when the Jacobian is
    this.#lu = factorShifted(OP, this.#J, -h * this.#tab.gamma, 1);
    this.#hLU = h;
    this.nlu++;
  }

  /** Solves every implicit stage of a step of size h from (t, y); false when a Newton iteration failed. */
  #stages(t: number, h: number): { ok: boolean; slow: boolean } {
    const n = this.#n;
    const tab = this.#tab;
    const k = this.#k;
    const y = this.y;
    const base = this.#base;
    const Y = this.#Y;
    const fY = this.#fY;
    const d = this.#d;
    const scale = this.#scale;
    const lu = this.#lu!;
    const hg = h * tab.gamma;
    let slow = false;
    k[0].set(this.#fy);
    for (let i = 1; i < tab.stages; i++) {
      const row = tab.A[i];
      const pred = tab.predictor[i];
      for (let m = 0; m < n; m++) {
        let acc = 0;
        let guess = 0;
        for (let j = 0; j < i; j++) {
          acc += row[j] * k[j][m];
          guess += (pred[j] ?? 0) * k[j][m];
        }
        base[m] = y[m] + h * acc;
        Y[m] = base[m] + hg * guess;
      }
      const ti = t + tab.c[i] * h;
      let normOld = Number.NaN;
      let converged = false;
      for (let it = 0; it < NEWTON_MAXITER; it++) {
        this.#f(ti, Y, fY);
        this.nfev++;
        // residual of Y − base − hγ f(Y) = 0, solved with the frozen I − hγJ
        for (let m = 0; m < n; m++) d[m] = base[m] + hg * fY[m] - Y[m];
        lu.solveInPlace(d);
        let s = 0;
        for (let m = 0; m < n; m++) {
          Y[m] += d[m];
          s += (d[m] / scale[m]) ** 2;
        }
        const norm = Math.sqrt(s / n);
        if (!Number.isFinite(norm)) break;
        const rate = norm / normOld;
        if (it > 0 && rate >= 1) break;
        if (it > 2 || rate > 0.2) slow = true;
        if (norm === 0 || (it > 0 ? (rate / (1 - rate)) * norm : norm) < this.#newtonTol) {
          converged = true;
          break;
        }
        normOld = norm;
      }
      if (!converged) return { ok: false, slow: true };
      // the stage derivative consistent with the solved stage (not f(Y), which amplifies the Newton
      // residual by the stiffness)
      for (let m = 0; m < n; m++) k[i][m] = (Y[m] - base[m]) / hg;
    }
    return { ok: true, slow };
  }

  step(): string | null {
    const n = this.#n;
    const t = this.t;
    const y = this.y;
    const { rtol, atol } = this.#opts.tol;
    if (this.#staleJac) {
      this.#evalJacobian(t, y, this.#fy);
      this.#staleJac = false;
    }
    let h = Math.min(this.#h, this.#opts.maxStep);
    let rejected = false;
    for (;;) {
      if (!(h >= minimumStep(t))) {
        return Number.isNaN(h)
          ? `f(t, y) is not finite near t = ${t}; check the right-hand side there`
          : `required step size ${h} is less than the spacing between numbers at t = ${t}`;
      }
      let tNew = t + this.#dir * h;
      if (this.#dir * (tNew - this.#tBound) > -1e-8 * h) tNew = this.#tBound;
      const hs = tNew - t;
      const habs = Math.abs(hs);
      for (let m = 0; m < n; m++) this.#scale[m] = atol[m] + rtol * Math.abs(y[m]);
      let result = { ok: false, slow: true };
      try {
        if (this.#lu === undefined || this.#hLU !== hs) this.#factor(hs);
        result = this.#stages(t, hs);
      } catch (e) {
        if (!(e instanceof SingularMatrixError)) throw e;
      }
      if (!result.ok) {
        this.nrejected++;
        rejected = true;
        if (!this.#currentJac) this.#evalJacobian(t, y, this.#fy);
        else h = habs * 0.5;
        continue;
      }
      const k = this.#k;
      const e = this.#e;
      const err = this.#err;
      const yNew = this.#Y; // stiffly accurate: the last stage is y₁
      for (let m = 0; m < n; m++) {
        let acc = 0;
        for (let j = 0; j < k.length; j++) acc += e[j] * k[j][m];
        err[m] = hs * acc;
      }
      const errNorm = scaledErrorNorm(err, y, yNew, this.#opts.tol);
      if (!(errNorm <= 1)) {
        this.nrejected++;
        rejected = true;
        h = Number.isFinite(errNorm)
          ? habs * Math.max(FAC_MIN, SAFE * errNorm ** -this.#expo)
          : habs * FAC_MIN;
        continue;
      }
      let fac = errNorm === 0 ? FAC_MAX : Math.min(FAC_MAX, SAFE * errNorm ** -this.#expo);
      fac = Math.max(FAC_MIN, fac);
      if (rejected) fac = Math.min(fac, 1);
      // keep h (and so the factorisation) when the change would be small
      if (fac >= 1 && fac < 1.2) fac = 1;
      this.#yOld.set(y);
      this.#fOld.set(this.#fy);
      y.set(yNew);
      this.#f(tNew, y, this.#fy);
      this.nfev++;
      this.#currentJac = false;
      this.#staleJac = result.slow;
      this.tOld = t;
      this.t = tNew;
      this.#hLast = hs;
      this.#h = habs * fac;
      this.nsteps++;
      return null;
    }
  }

  interpolate(t: number, out: Float64Array): void {
    const h = this.#hLast;
    hermiteInterpolate(
      h === 0 ? 1 : (t - this.tOld) / h,
      h,
      this.#yOld,
      this.y,
      this.#fOld,
      this.#fy,
      out,
    );
  }

  segment(): (t: number, out: Float64Array) => void {
    const h = this.#hLast;
    const t0 = this.tOld;
    const y0 = Float64Array.from(this.#yOld);
    const y1 = Float64Array.from(this.y);
    const f0 = Float64Array.from(this.#fOld);
    const f1 = Float64Array.from(this.#fy);
    return (t, out) => hermiteInterpolate(h === 0 ? 1 : (t - t0) / h, h, y0, y1, f0, f1, out);
  }
}
