/**
 * The damped pendulum θ'' = −(g/L) sin θ − b θ' as θ' = ω, ω' = −(g/L) sin θ − bω
 * (e.g. Strogatz, Nonlinear Dynamics and Chaos, §6.7).
 */
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';

/** Parameters of the damped pendulum. @public */
export interface PendulumParams {
  /** Gravitational acceleration g (default 9.81). */
  g: number;
  /** Length L (default 1). */
  length: number;
  /** Damping rate b per unit time (default 0.5; 0 gives the conservative pendulum). */
  damping: number;
}

/** The damped pendulum. @public */
export class DampedPendulum implements DynamicalSystem {
  /** Published default parameters. */
  static readonly DEFAULTS: Readonly<PendulumParams> = Object.freeze({
    g: 9.81,
    length: 1,
    damping: 0.5,
  });
  /** Name of the system. */
  readonly name = 'damped pendulum';
  /** State dimension. */
  readonly dim = 2;
  /** The parameters in use. */
  readonly params: Readonly<PendulumParams>;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<PendulumParams> = {}) {
    this.params = Object.freeze(resolveParams('DampedPendulum', DampedPendulum.DEFAULTS, params));
    registerSystem(this);
  }

  /** f(t, y) written into `dydt` (allocation-free). */
  readonly rhs = (_t: number, y: Float64Array, dydt: Float64Array): void => {
    dydt[0] = y[1];
    dydt[1] = -(this.params.g / this.params.length) * Math.sin(y[0]) - this.params.damping * y[1];
  };

  /** [[0, 1], [−(g/L) cos θ, −b]]. */
  readonly jacobian = (_t: number, y: Float64Array, jac: Float64Array): void => {
    jac[0] = 0;
    jac[1] = 1;
    jac[2] = -(this.params.g / this.params.length) * Math.cos(y[0]);
    jac[3] = -this.params.damping;
  };

  /** (1, 0): released from rest at one radian. */
  initialState(): Float64Array {
    return Float64Array.of(1, 0);
  }

  /** Mechanical energy per unit mass, L²ω²/2 + gL(1 − cos θ); dE/dt = −bL²ω² ≤ 0. */
  energy(y: ArrayLike<number>): number {
    const { g, length } = this.params;
    return 0.5 * length * length * y[1] * y[1] + g * length * (1 - Math.cos(y[0]));
  }
}
