/**
 * Adaptive stepper for the Shampine–Reichelt Rosenbrock 2(3) pair (ode23s). Per step: the Jacobian J
 * (user-supplied or finite differences) and ∂f/∂t by a forward difference, W = I − h d J factored once
 * (LU with partial pivoting from @sciml/linalg), three solves. Step control: h ← h · clamp(0.9 err^(−1/3)).
 */
import { SingularMatrixError } from '@sciml/linalg';
import { JacobianStore } from '../implicit/jacobian-store.js';
import { type NewtonMatrix, factorShifted } from '../implicit/newton-matrix.js';
import {
  ROSENBROCK23_D as D,
  ROSENBROCK23_E32 as E32,
  rosenbrock23Interpolate,
} from '../methods/rosenbrock23.js';
import type { OdeRhsInPlace } from '../types.js';
import type { AdaptiveOptions } from './erk-adaptive.js';
import { type Stepper, initialStep, minimumStep, scaledErrorNorm } from './stepper.js';

export class RosenbrockStepper implements Stepper {
  t: number;
  tOld: number;
  readonly y: Float64Array;
  nfev = 0;
  njev = 0;
  nlu = 0;
  nsteps = 0;
  nrejected = 0;

  readonly #f: OdeRhsInPlace;
  readonly #jac?: (t: number, y: Float64Array, out: Float64Array) => void;
  readonly #tBound: number;
  readonly #dir: number;
  readonly #opts: AdaptiveOptions;
  readonly #n: number;
  readonly #yOld: Float64Array;
  readonly #f0: Float64Array;
  readonly #f1: Float64Array;
  readonly #f2: Float64Array;
  readonly #k1: Float64Array;
  readonly #k2: Float64Array;
  readonly #k3: Float64Array;
  readonly #dfdt: Float64Array;
  readonly #J: JacobianStore;
  readonly #tmp: Float64Array;
  readonly #err: Float64Array;
  #h: number;
  #hLast = 0;

  constructor(
    f: OdeRhsInPlace,
    jac: ((t: number, y: Float64Array, out: Float64Array) => void) | undefined,
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
    this.t = t0;
    this.tOld = t0;
    this.y = Float64Array.from(y0);
    this.#yOld = Float64Array.from(y0);
    this.#f0 = new Float64Array(n);
    this.#f1 = new Float64Array(n);
    this.#f2 = new Float64Array(n);
    this.#k1 = new Float64Array(n);
    this.#k2 = new Float64Array(n);
    this.#k3 = new Float64Array(n);
    this.#dfdt = new Float64Array(n);
    this.#J = new JacobianStore(n, options.jacBand);
    this.#tmp = new Float64Array(n);
    this.#err = new Float64Array(n);
    f(t0, this.y, this.#f0);
    this.nfev = 1;
    const interval = Math.abs(tBound - t0);
    if (options.firstStep !== undefined) {
      this.#h = options.firstStep;
    } else {
      this.#h = initialStep(f, t0, this.y, this.#f0, this.#dir, 2, options.tol, interval);
      this.nfev += 1;
    }
    this.#h = Math.min(this.#h, options.maxStep);
  }

  /** Solves W x = b (out = x) with the factored W. */
  static #solve(factor: NewtonMatrix, b: Float64Array, out: Float64Array): void {
    if (out !== b) out.set(b);
    factor.solveInPlace(out);
  }

  step(): string | null {
    const n = this.#n;
    const f = this.#f;
    const y = this.y;
    const t = this.t;
    const f0 = this.#f0;
    const f1 = this.#f1;
    const f2 = this.#f2;
    const k1 = this.#k1;
    const k2 = this.#k2;
    const k3 = this.#k3;
    const tmp = this.#tmp;
    const J = this.#J;
    const dfdt = this.#dfdt;
    // Jacobian and time derivative at (t, y), kept through rejections (as ode23s does)
    this.nfev += J.evaluate(f, this.#jac, t, y, f0, tmp);
    this.njev++;
    let h = Math.min(this.#h, this.#opts.maxStep);
    const tdel = Math.max(Math.sqrt(Number.EPSILON) * Math.max(Math.abs(t), 1e-3 * h), 1e-300);
    const tPlus = t + this.#dir * tdel;
    f(tPlus, y, dfdt);
    this.nfev++;
    const dtActual = tPlus - t;
    for (let i = 0; i < n; i++) dfdt[i] = (dfdt[i] - f0[i]) / dtActual;
    let rejected = false;
    for (;;) {
      // written so that a NaN step (from a non-finite f) fails here instead of looping
      if (!(h >= minimumStep(t))) {
        return Number.isNaN(h)
          ? `f(t, y) is not finite near t = ${t}; check the right-hand side there`
          : `required step size ${h} is less than the spacing between numbers at t = ${t}`;
      }
      let tNew = t + this.#dir * h;
      // clip to the end; a remainder below 1e-8 h (rounding in t + h) is absorbed rather than left as a sliver
      if (this.#dir * (tNew - this.#tBound) > -1e-8 * h) tNew = this.#tBound;
      const hs = tNew - t;
      const habs = Math.abs(hs);
      const hd = hs * D;
      let factor: NewtonMatrix;
      try {
        // W = I − h d J, banded when the Jacobian is
        factor = factorShifted('solveIVP', J, -hd, 1);
        this.nlu++;
        for (let i = 0; i < n; i++) tmp[i] = f0[i] + hd * dfdt[i];
        RosenbrockStepper.#solve(factor, tmp, k1);
        for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * hs * k1[i];
        f(t + 0.5 * hs, tmp, f1);
        for (let i = 0; i < n; i++) tmp[i] = f1[i] - k1[i];
        RosenbrockStepper.#solve(factor, tmp, k2);
        for (let i = 0; i < n; i++) k2[i] += k1[i];
        for (let i = 0; i < n; i++) tmp[i] = y[i] + hs * k2[i];
        // tmp now holds y₁; f2 = f(t + h, y₁) is the next step's f0 (FSAL)
        f(tNew, tmp, f2);
        for (let i = 0; i < n; i++) {
          k3[i] = f2[i] - E32 * (k2[i] - f1[i]) - 2 * (k1[i] - f0[i]) + hd * dfdt[i];
        }
        RosenbrockStepper.#solve(factor, k3, k3);
        this.nfev += 2;
      } catch (e) {
        if (!(e instanceof SingularMatrixError)) throw e;
        // W = I − h d J is singular for this h: try a smaller step
        this.nrejected++;
        rejected = true;
        h = habs * 0.5;
        continue;
      }
      const err = this.#err;
      for (let i = 0; i < n; i++) err[i] = (hs / 6) * (k1[i] - 2 * k2[i] + k3[i]);
      const errNorm = scaledErrorNorm(err, y, tmp, this.#opts.tol);
      if (errNorm <= 1) {
        let fac = errNorm === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * errNorm ** (-1 / 3)));
        if (rejected) fac = Math.min(fac, 1);
        this.#yOld.set(y);
        y.set(tmp);
        f0.set(f2);
        this.tOld = t;
        this.t = tNew;
        this.#hLast = hs;
        this.#h = habs * fac;
        this.nsteps++;
        return null;
      }
      this.nrejected++;
      rejected = true;
      h = Number.isFinite(errNorm) ? habs * Math.max(0.2, 0.9 * errNorm ** (-1 / 3)) : habs * 0.2;
    }
  }

  interpolate(t: number, out: Float64Array): void {
    const h = this.#hLast;
    rosenbrock23Interpolate(
      h === 0 ? 1 : (t - this.tOld) / h,
      h,
      this.#yOld,
      this.#k1,
      this.#k2,
      out,
    );
  }

  segment(): (t: number, out: Float64Array) => void {
    const h = this.#hLast;
    const t0 = this.tOld;
    const y0 = Float64Array.from(this.#yOld);
    const k1 = Float64Array.from(this.#k1);
    const k2 = Float64Array.from(this.#k2);
    return (t, out) => rosenbrock23Interpolate(h === 0 ? 1 : (t - t0) / h, h, y0, k1, k2, out);
  }
}
