/**
 * The forced Duffing oscillator (G. Duffing 1918; Guckenheimer & Holmes, Nonlinear Oscillations, §2.2):
 * x'' + δx' + αx + βx³ = γ cos(ωt) as x' = v, v' = −δv − αx − βx³ + γ cos ωt. The defaults
 * (α = −1, β = 1, δ = 0.3, γ = 0.5, ω = 1.2: a double well, forced) give the chaotic strange attractor.
 */
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';
import { type SymbolicSystem, defineSystem } from './symbolic/define-system.js';

/** Parameters of the Duffing oscillator. @public */
export interface DuffingParams {
  /** Linear stiffness α (default −1: double well). */
  alpha: number;
  /** Cubic stiffness β (default 1). */
  beta: number;
  /** Damping δ (default 0.3). */
  delta: number;
  /** Forcing amplitude γ (default 0.5). */
  gamma: number;
  /** Forcing frequency ω (default 1.2). */
  omega: number;
}

/** The forced Duffing oscillator (non-autonomous). @public */
export class Duffing implements DynamicalSystem {
  /** Published default parameters. */
  static readonly DEFAULTS: Readonly<DuffingParams> = Object.freeze({
    alpha: -1,
    beta: 1,
    delta: 0.3,
    gamma: 0.5,
    omega: 1.2,
  });
  /** Name of the system. */
  readonly name = 'Duffing';
  /** State dimension. */
  readonly dim = 2;
  /** The parameters in use. */
  readonly params: Readonly<DuffingParams>;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<DuffingParams> = {}) {
    this.params = Object.freeze(resolveParams('Duffing', Duffing.DEFAULTS, params));
    registerSystem(this);
  }

  /** The equations as expressions of position x, velocity v, the time t and α, β, δ, γ, ω (see {@link defineSystem}). */
  static readonly EQUATIONS: Readonly<Record<'x' | 'v', string>> = Object.freeze({
    x: 'v',
    v: '-delta*v - alpha*x - beta*x*x*x + gamma*cos(omega*t)',
  });

  /** This system as a {@link SymbolicSystem} (same arithmetic as `rhs`: same bits). */
  toSymbolic(): SymbolicSystem {
    return defineSystem({
      name: this.name,
      state: ['x', 'v'],
      params: { ...this.params },
      rhs: Duffing.EQUATIONS,
      initialState: this.initialState(),
    });
  }

  /** f(t, y) written into `dydt` (allocation-free). */
  readonly rhs = (t: number, y: Float64Array, dydt: Float64Array): void => {
    const { alpha, beta, delta, gamma, omega } = this.params;
    const x = y[0];
    dydt[0] = y[1];
    dydt[1] = -delta * y[1] - alpha * x - beta * x * x * x + gamma * Math.cos(omega * t);
  };

  /** [[0, 1], [−α − 3βx², −δ]]. */
  readonly jacobian = (_t: number, y: Float64Array, jac: Float64Array): void => {
    jac[0] = 0;
    jac[1] = 1;
    jac[2] = -this.params.alpha - 3 * this.params.beta * y[0] * y[0];
    jac[3] = -this.params.delta;
  };

  /** (1, 0). */
  initialState(): Float64Array {
    return Float64Array.of(1, 0);
  }

  /** Energy of the unforced, undamped oscillator: v²/2 + αx²/2 + βx⁴/4 (conserved when δ = γ = 0). */
  energy(y: ArrayLike<number>): number {
    const x = y[0];
    return 0.5 * y[1] * y[1] + 0.5 * this.params.alpha * x * x + 0.25 * this.params.beta * x ** 4;
  }
}
