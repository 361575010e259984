/**
 * Adaptive Radau IIA (order 5) stepper after Hairer & Wanner's `radau5.f` (Solving ODEs II, §IV.8) in the
 * organisation of SciPy's `Radau`: a simplified Newton iteration on the transformed stage system (one real
 * and one complex LU of J-shifted matrices, reused across iterations and across steps while the step size
 * and the Jacobian do not change), Hairer's third-order error estimate filtered through (I − hγ₀J)⁻¹
 * (eq. IV.8.20, with the extra filtering on the first and on rejected steps), and Gustafsson's predictive
 * step-size controller (eq. IV.8.25). Dense output: the collocation polynomial (order 3 uniformly, exact
 * at the step's end).
 */
import { SingularMatrixError } from '@sciml/linalg';
import { JacobianStore } from './jacobian-store.js';
import {
  RADAU5_C as C,
  RADAU5_E as E,
  RADAU5_MU_COMPLEX as MU_C,
  RADAU5_MU_REAL as MU_R,
  RADAU5_T as T,
  RADAU5_TI as TI,
  radau5Interpolate,
} from '../methods/radau5.js';
import type { AdaptiveOptions } from '../steppers/erk-adaptive.js';
import { type Stepper, initialStep, minimumStep } from '../steppers/stepper.js';
import type { OdeRhsInPlace } from '../types.js';
import { type NewtonMatrix, factorShifted, factorShiftedComplex } from './newton-matrix.js';

const OP = 'solveIVP';
const NEWTON_MAXITER = 6;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 10;

type Jac = (t: number, y: Float64Array, out: Float64Array) => void;

/** Gustafsson's predictive controller (Hairer–Wanner II, eq. IV.8.25): the factor for the next step. */
function predictFactor(
  hAbs: number,
  hAbsOld: number | undefined,
  err: number,
  errOld: number | undefined,
): number {
  const multiplier =
    errOld === undefined || hAbsOld === undefined || err === 0
      ? 1
      : (hAbs / hAbsOld) * (errOld / err) ** 0.25;
  return Math.min(1, multiplier) * err ** -0.25;
}

export class RadauStepper implements Stepper {
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
  readonly #tBound: number;
  readonly #dir: number;
  readonly #opts: AdaptiveOptions;
  readonly #n: number;
  readonly #newtonTol: number;
  readonly #fy: Float64Array; // f(t, y)
  readonly #J: JacobianStore;
  readonly #yOld: Float64Array;
  readonly #z: Float64Array; // stage increments of the last accepted step (3·n)
  readonly #zTrial: Float64Array;
  readonly #w: Float64Array;
  readonly #F: Float64Array; // stage derivatives (3·n)
  readonly #rhsR: Float64Array;
  readonly #rhsC: Float64Array; // 2n: real part then imaginary part
  readonly #tmp: Float64Array;
  readonly #scale: Float64Array;
  readonly #err: Float64Array;
  #hAbs: number;
  #hAbsOld: number | undefined;
  #errOld: number | undefined;
  #hLast = 0;
  #currentJac = true;
  #luR: NewtonMatrix | undefined;
  #luC: NewtonMatrix | undefined;
  #hLU = Number.NaN; // the h the factors were made for
  #hasStep = false;
  #rho = Number.NaN; // spectral radius estimate of #J
  #rhoJev = -1; // the njev it was estimated at

  constructor(
    f: OdeRhsInPlace,
    jac: Jac | undefined,
    t0: number,
    y0: Float64Array,
    tBound: number,
    options: AdaptiveOptions,
  ) {
    const n = y0.length;
    this.#f = f;
    this.#jac = jac;
    this.#tBound = tBound;
    this.#dir = tBound >= t0 ? 1 : -1;
    this.#opts = options;
    this.#n = n;
    const rtol = options.tol.rtol;
    // Newton stops well below the error tolerance (SciPy's choice, after Hairer's fnewt)
    this.#newtonTol = Math.max((10 * Number.EPSILON) / rtol, Math.min(0.03, Math.sqrt(rtol)));
    this.t = t0;
    this.tOld = t0;
    this.y = Float64Array.from(y0);
    this.#yOld = Float64Array.from(y0);
    this.#fy = new Float64Array(n);
    this.#J = new JacobianStore(n, options.jacBand);
    this.#z = new Float64Array(3 * n);
    this.#zTrial = new Float64Array(3 * n);
    this.#w = new Float64Array(3 * n);
    this.#F = new Float64Array(3 * n);
    this.#rhsR = new Float64Array(n);
    this.#rhsC = new Float64Array(2 * n);
    this.#tmp = new Float64Array(n);
    this.#scale = new Float64Array(n);
    this.#err = new Float64Array(n);
    f(t0, this.y, this.#fy);
    this.nfev = 1;
    const interval = Math.abs(tBound - t0);
    if (options.firstStep !== undefined) this.#hAbs = options.firstStep;
    else {
      this.#hAbs = initialStep(f, t0, this.y, this.#fy, this.#dir, 3, options.tol, interval);
      this.nfev += 1;
    }
    this.#evalJacobian(t0, this.y, this.#fy);
  }

  #evalJacobian(t: number, y: Float64Array, fy: Float64Array): void {
    this.nfev += this.#J.evaluate(this.#f, this.#jac, t, y, fy, this.#tmp);
    this.njev++;
  }

  /**
   * |h|·ρ(J) for the last accepted step, ρ(J) by power iteration on the current Jacobian (re-estimated only when
   * the Jacobian changes): whether an explicit method could take this step stably (automatic switching).
   */
  stiffnessEstimate(): number {
    if (this.#rhoJev !== this.njev) {
      this.#rho = this.#J.spectralRadius();
      this.#rhoJev = this.njev;
    }
    return Math.abs(this.#hLast) * this.#rho;
  }

  /**
   * Factors μ̂/h · I − J, real and complex (the latter dense as the real 2n×2n system [[A, −B], [B, A]], or
   * banded in complex arithmetic when `jacBand` is given).
   */
  #factor(h: number): void {
    this.#luR = factorShifted(OP, this.#J, -1, MU_R / h);
    this.#luC = factorShiftedComplex(OP, this.#J, MU_C.re / h, MU_C.im / h);
    this.#hLU = h;
    this.nlu += 2;
  }

  /**
   * Simplified Newton on the transformed stages W = T⁻¹Z, from the guess in #zTrial; leaves the result in
   * #zTrial. Returns whether it converged, the iterations used and the last contraction rate.
   */
  #newton(t: number, h: number): { converged: boolean; iters: number; rate: number } {
    const n = this.#n;
    const y = this.y;
    const z = this.#zTrial;
    const w = this.#w;
    const F = this.#F;
    const tmp = this.#tmp;
    const scale = this.#scale;
    const rhsR = this.#rhsR;
    const rhsC = this.#rhsC;
    const luR = this.#luR!;
    const luC = this.#luC!;
    const mr = MU_R / h;
    const a = MU_C.re / h;
    const b = MU_C.im / h;
    for (let m = 0; m < n; m++) {
      for (let i = 0; i < 3; i++)
        w[i * n + m] = TI[i][0] * z[m] + TI[i][1] * z[n + m] + TI[i][2] * z[2 * n + m];
    }
    let normOld = Number.NaN;
    let rate = Number.NaN;
    let k = 0;
    for (; k < NEWTON_MAXITER; k++) {
      for (let i = 0; i < 3; i++) {
        for (let m = 0; m < n; m++) tmp[m] = y[m] + z[i * n + m];
        const Fi = F.subarray(i * n, (i + 1) * n);
        this.#f(t + C[i] * h, tmp, Fi);
      }
      this.nfev += 3;
      let finite = true;
      for (let m = 0; m < 3 * n; m++) if (!Number.isFinite(F[m])) finite = false;
      if (!finite) break;
      for (let m = 0; m < n; m++) {
        const f0 = F[m];
        const f1 = F[n + m];
        const f2 = F[2 * n + m];
        const w1 = w[n + m];
        const w2 = w[2 * n + m];
        rhsR[m] = TI[0][0] * f0 + TI[0][1] * f1 + TI[0][2] * f2 - mr * w[m];
        // (α̂ + iβ̂)/h · (w1 + i w2), subtracted from the complex combination of F
        rhsC[m] = TI[1][0] * f0 + TI[1][1] * f1 + TI[1][2] * f2 - (a * w1 - b * w2);
        rhsC[n + m] = TI[2][0] * f0 + TI[2][1] * f1 + TI[2][2] * f2 - (a * w2 + b * w1);
      }
      luR.solveInPlace(rhsR);
      luC.solveInPlace(rhsC);
      let s = 0;
      for (let m = 0; m < n; m++) {
        const sc = scale[m];
        s += (rhsR[m] / sc) ** 2 + (rhsC[m] / sc) ** 2 + (rhsC[n + m] / sc) ** 2;
      }
      const dwNorm = Math.sqrt(s / (3 * n));
      if (!Number.isNaN(normOld)) rate = dwNorm / normOld;
      if (
        !Number.isNaN(rate) &&
        (rate >= 1 || (rate ** (NEWTON_MAXITER - k) / (1 - rate)) * dwNorm > this.#newtonTol)
      )
        break;
      for (let m = 0; m < n; m++) {
        w[m] += rhsR[m];
        w[n + m] += rhsC[m];
        w[2 * n + m] += rhsC[n + m];
      }
      for (let m = 0; m < n; m++) {
        const w0 = w[m];
        const w1 = w[n + m];
        const w2 = w[2 * n + m];
        for (let i = 0; i < 3; i++) z[i * n + m] = T[i][0] * w0 + T[i][1] * w1 + T[i][2] * w2;
      }
      if (dwNorm === 0 || (!Number.isNaN(rate) && (rate / (1 - rate)) * dwNorm < this.#newtonTol))
        return { converged: true, iters: k + 1, rate };
      normOld = dwNorm;
    }
    return { converged: false, iters: k + 1, rate };
  }

  step(): string | null {
    const n = this.#n;
    const y = this.y;
    const t = this.t;
    const fy = this.#fy;
    const { rtol, atol } = this.#opts.tol;
    const minStep = minimumStep(t);
    let hAbs = this.#hAbs;
    let hAbsOld = this.#hAbsOld;
    let errOld = this.#errOld;
    if (hAbs > this.#opts.maxStep) {
      hAbs = this.#opts.maxStep;
      hAbsOld = undefined;
      errOld = undefined;
    } else if (hAbs < minStep) {
      hAbs = minStep;
      hAbsOld = undefined;
      errOld = undefined;
    }
    let rejected = false;
    let tNew = t;
    let h = 0;
    let errNorm = 0;
    let iters = 0;
    let rate = Number.NaN;
    let safety = 0.9;
    const zTrial = this.#zTrial;
    const scale = this.#scale;
    const err = this.#err;
    const tmp = this.#tmp;
    for (;;) {
      if (!(hAbs >= minStep)) {
        return Number.isNaN(hAbs)
          ? `f(t, y) is not finite near t = ${t}; check the right-hand side there`
          : `required step size ${hAbs} is less than the spacing between numbers at t = ${t}`;
      }
      tNew = t + this.#dir * hAbs;
      if (this.#dir * (tNew - this.#tBound) > -1e-8 * hAbs) tNew = this.#tBound;
      h = tNew - t;
      hAbs = Math.abs(h);
      // starting guess: the last step's collocation polynomial, extrapolated (zero on the first step)
      if (this.#hasStep) {
        for (let i = 0; i < 3; i++) {
          radau5Interpolate(1 + (C[i] * h) / this.#hLast, this.#yOld, this.#z, tmp);
          for (let m = 0; m < n; m++) zTrial[i * n + m] = tmp[m] - y[m];
        }
      } else zTrial.fill(0);
      for (let m = 0; m < n; m++) scale[m] = atol[m] + Math.abs(y[m]) * rtol;
      let converged = false;
      let singular = false;
      for (;;) {
        if (this.#luR === undefined || this.#hLU !== h) {
          try {
            this.#factor(h);
          } catch (e) {
            if (!(e instanceof SingularMatrixError)) throw e;
            singular = true;
            break;
          }
        }
        ({ converged, iters, rate } = this.#newton(t, h));
        if (converged || this.#currentJac) break;
        // slow convergence with an old Jacobian: refresh it and try once more at this h
        this.#evalJacobian(t, y, fy);
        this.#currentJac = true;
        this.#luR = undefined;
      }
      if (!converged || singular) {
        hAbs *= 0.5;
        this.#luR = undefined;
        this.nrejected++;
        rejected = true;
        continue;
      }
      // error estimate (Hairer–Wanner II, eq. IV.8.20): (μ̂/h − J)⁻¹ (f(t, y) + Σ Eᵢzᵢ / h)
      for (let m = 0; m < n; m++) {
        const ze = (E[0] * zTrial[m] + E[1] * zTrial[n + m] + E[2] * zTrial[2 * n + m]) / h;
        tmp[m] = ze; // keep Σ Eᵢzᵢ / h for the refined estimate
        err[m] = fy[m] + ze;
      }
      this.#luR!.solveInPlace(err);
      let s = 0;
      for (let m = 0; m < n; m++) {
        const yNew = y[m] + zTrial[2 * n + m];
        scale[m] = atol[m] + Math.max(Math.abs(y[m]), Math.abs(yNew)) * rtol;
        s += (err[m] / scale[m]) ** 2;
      }
      errNorm = Math.sqrt(s / n);
      safety = (0.9 * (2 * NEWTON_MAXITER + 1)) / (2 * NEWTON_MAXITER + iters);
      if (errNorm > 1 && (rejected || !this.#hasStep)) {
        // a stiff component can make the plain estimate far too large: filter once more through
        // f(t, y + err) (Hairer–Wanner II, p. 123)
        const ye = this.#F.subarray(0, n);
        for (let m = 0; m < n; m++) ye[m] = y[m] + err[m];
        const fe = this.#rhsR;
        this.#f(t, ye, fe);
        this.nfev++;
        for (let m = 0; m < n; m++) err[m] = fe[m] + tmp[m];
        this.#luR!.solveInPlace(err);
        s = 0;
        for (let m = 0; m < n; m++) s += (err[m] / scale[m]) ** 2;
        errNorm = Math.sqrt(s / n);
      }
      if (errNorm <= 1) break;
      const factor = predictFactor(hAbs, hAbsOld, errNorm, errOld);
      hAbs *= Number.isFinite(factor) ? Math.max(MIN_FACTOR, safety * factor) : MIN_FACTOR;
      this.#luR = undefined;
      this.nrejected++;
      rejected = true;
    }
    // accepted
    const recomputeJac = iters > 2 && rate > 1e-3;
    let factor = Math.min(MAX_FACTOR, safety * predictFactor(hAbs, hAbsOld, errNorm, errOld));
    if (!recomputeJac && factor < 1.2) factor = 1;
    else this.#luR = undefined;
    if (rejected) factor = Math.min(factor, 1);
    this.#yOld.set(y);
    for (let m = 0; m < n; m++) y[m] += zTrial[2 * n + m];
    this.#z.set(zTrial);
    this.#f(tNew, y, fy);
    this.nfev++;
    if (recomputeJac) {
      this.#evalJacobian(tNew, y, fy);
      this.#currentJac = true;
    } else this.#currentJac = false;
    this.#hAbsOld = this.#hAbs;
    this.#errOld = errNorm;
    this.#hAbs = hAbs * factor;
    this.tOld = t;
    this.t = tNew;
    this.#hLast = h;
    this.#hasStep = true;
    this.nsteps++;
    return null;
  }

  interpolate(t: number, out: Float64Array): void {
    const h = this.#hLast;
    radau5Interpolate(h === 0 ? 1 : (t - this.tOld) / h, this.#yOld, this.#z, out);
  }

  segment(): (t: number, out: Float64Array) => void {
    const h = this.#hLast;
    const t0 = this.tOld;
    const y0 = Float64Array.from(this.#yOld);
    const z = Float64Array.from(this.#z);
    return (t, out) => radau5Interpolate(h === 0 ? 1 : (t - t0) / h, y0, z, out);
  }
}
