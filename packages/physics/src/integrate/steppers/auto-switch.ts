/**
 * Automatic stiffness switching (the idea of LSODA, Petzold 1983, and of OrdinaryDiffEq.jl's
 * `AutoTsit5(Rosenbrock23())`): integrate with the explicit Dormand–Prince 5(4) pair while the problem is not
 * stiff and with Radau IIA (order 5) while it is.
 *
 * - Explicit → implicit: Hairer's stiffness detection of `dopri5.f` (Hairer–Wanner II, §IV.2, eq. 2.7): at each
 *   accepted step |h|·ρ ≈ |h|·‖f(t+h, y₁) − f(t+h, Y₆)‖/‖y₁ − Y₆‖ estimates |h λ| for the dominant eigenvalue
 *   from the two last stages, both at t + h. The step is at the stability boundary when |h|·ρ > 3.25; after
 *   15 such steps (6 steps below it reset the count) the problem is stiff.
 * - Implicit → explicit: ρ(J) by power iteration on Radau's Jacobian; once |h|·ρ(J) < 2 for 10 accepted steps,
 *   the explicit pair could take Radau's steps stably, and it is cheaper per step.
 *
 * A switch restarts the other method at the current (t, y) with the current step size; the counters add up.
 */
import { DOPRI5, dopri5Interpolate } from '../methods/dopri5.js';
import { RadauStepper } from '../implicit/radau-stepper.js';
import type { OdeRhsInPlace } from '../types.js';
import { type AdaptiveOptions, ErkAdaptiveStepper } from './erk-adaptive.js';
import type { Stepper } from './stepper.js';

/** A change of method of `solveIVP`'s `'Auto'`: from time `t` on, `method` integrates. @public */
export interface MethodSwitch {
  /** Time of the switch. */
  t: number;
  /** The method in use from `t` on. */
  method: 'RK45' | 'Radau';
}

const STIFF_HRHO = 3.25; // DOPRI5's stability boundary on the negative real axis is ≈ 3.3
const STIFF_COUNT = 15;
const RESET_COUNT = 6;
const NONSTIFF_HRHO = 2;
const NONSTIFF_COUNT = 10;

type Jac = (t: number, y: Float64Array, out: Float64Array) => void;

export class AutoSwitchStepper implements Stepper {
  readonly switches: MethodSwitch[] = [];
  readonly #f: OdeRhsInPlace;
  readonly #jac: Jac | undefined;
  readonly #tBound: number;
  readonly #opts: AdaptiveOptions;
  #cur: ErkAdaptiveStepper | RadauStepper;
  #stiff = false;
  #switchPending = false;
  #above = 0; // explicit: steps at the stability boundary
  #below = 0; // explicit: consecutive steps below it; implicit: consecutive steps the explicit pair could take
  // counters of the retired steppers
  #nfev = 0;
  #njev = 0;
  #nlu = 0;
  #nsteps = 0;
  #nrejected = 0;

  constructor(
    f: OdeRhsInPlace,
    jac: Jac | undefined,
    t0: number,
    y0: Float64Array,
    tBound: number,
    options: AdaptiveOptions,
  ) {
    this.#f = f;
    this.#jac = jac;
    this.#tBound = tBound;
    this.#opts = options;
    this.#cur = new ErkAdaptiveStepper(
      f,
      { tableau: DOPRI5, interpolate: dopri5Interpolate },
      t0,
      y0,
      tBound,
      options,
    );
  }

  get t(): number {
    return this.#cur.t;
  }
  get tOld(): number {
    return this.#cur.tOld;
  }
  get y(): Float64Array {
    return this.#cur.y;
  }
  get nfev(): number {
    return this.#nfev + this.#cur.nfev;
  }
  get njev(): number {
    return this.#njev + this.#cur.njev;
  }
  get nlu(): number {
    return this.#nlu + this.#cur.nlu;
  }
  get nsteps(): number {
    return this.#nsteps + this.#cur.nsteps;
  }
  get nrejected(): number {
    return this.#nrejected + this.#cur.nrejected;
  }
  /** Whether the implicit method is integrating now. */
  get stiff(): boolean {
    return this.#stiff;
  }

  step(): string | null {
    if (this.#switchPending) this.#switch();
    const cur = this.#cur;
    const failure = cur.step();
    if (failure !== null) return failure;
    if (cur instanceof ErkAdaptiveStepper) {
      if (cur.stiffnessEstimate() > STIFF_HRHO) {
        this.#below = 0;
        if (++this.#above >= STIFF_COUNT) this.#switchPending = true;
      } else if (++this.#below >= RESET_COUNT) this.#above = 0;
    } else if (cur.stiffnessEstimate() < NONSTIFF_HRHO) {
      if (++this.#below >= NONSTIFF_COUNT) this.#switchPending = true;
    } else this.#below = 0;
    // nothing left to switch for at the end of the interval
    if (cur.t === this.#tBound) this.#switchPending = false;
    return null;
  }

  /** Retires the current method and starts the other at (t, y), with the last step size as its first. */
  #switch(): void {
    const old = this.#cur;
    this.#nfev += old.nfev;
    this.#njev += old.njev;
    this.#nlu += old.nlu;
    this.#nsteps += old.nsteps;
    this.#nrejected += old.nrejected;
    const h = Math.min(Math.abs(old.t - old.tOld), Math.abs(this.#tBound - old.t));
    const opts = { ...this.#opts, firstStep: h > 0 ? h : undefined };
    this.#stiff = !this.#stiff;
    this.#cur = this.#stiff
      ? new RadauStepper(this.#f, this.#jac, old.t, old.y, this.#tBound, opts)
      : new ErkAdaptiveStepper(
          this.#f,
          { tableau: DOPRI5, interpolate: dopri5Interpolate },
          old.t,
          old.y,
          this.#tBound,
          opts,
        );
    this.switches.push({ t: old.t, method: this.#stiff ? 'Radau' : 'RK45' });
    this.#switchPending = false;
    this.#above = 0;
    this.#below = 0;
  }

  interpolate(t: number, out: Float64Array): void {
    this.#cur.interpolate(t, out);
  }

  segment(): (t: number, out: Float64Array) => void {
    return this.#cur.segment();
  }
}
