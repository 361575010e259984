/**
 * The Van der Pol oscillator (B. van der Pol, Phil. Mag. 2 (1926) 978–992): x'' − μ(1 − x²)x' + x = 0 as
 * x' = v, v' = μ(1 − x²)v − x. A stable limit cycle of amplitude ≈ 2; stiff for large μ.
 */
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';
import { type SymbolicSystem, defineSystem } from './symbolic/define-system.js';

/** Parameters of the Van der Pol oscillator. @public */
export interface VanDerPolParams {
  /** Nonlinear damping μ (default 1). */
  mu: number;
}

/** The Van der Pol oscillator. @public */
export class VanDerPol implements DynamicalSystem {
  /** Published default parameters. */
  static readonly DEFAULTS: Readonly<VanDerPolParams> = Object.freeze({ mu: 1 });
  /** Name of the system. */
  readonly name = 'Van der Pol';
  /** State dimension. */
  readonly dim = 2;
  /** μ in use. */
  readonly mu: number;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<VanDerPolParams> = {}) {
    this.mu = resolveParams('VanDerPol', VanDerPol.DEFAULTS, params).mu;
    registerSystem(this);
  }

  /** The equations as expressions of position x, velocity v and μ (see {@link defineSystem}). */
  static readonly EQUATIONS: Readonly<Record<'x' | 'v', string>> = Object.freeze({
    x: 'v',
    v: 'mu*(1 - x^2)*v - x',
  });

  /** This system as a {@link SymbolicSystem} (same arithmetic as `rhs`: same bits). */
  toSymbolic(): SymbolicSystem {
    return defineSystem({
      name: this.name,
      state: ['x', 'v'],
      params: { mu: this.mu },
      rhs: VanDerPol.EQUATIONS,
      initialState: this.initialState(),
    });
  }

  /** f(t, y) written into `dydt` (allocation-free). */
  readonly rhs = (_t: number, y: Float64Array, dydt: Float64Array): void => {
    dydt[0] = y[1];
    dydt[1] = this.mu * (1 - y[0] * y[0]) * y[1] - y[0];
  };

  /** [[0, 1], [−2μxv − 1, μ(1 − x²)]]. */
  readonly jacobian = (_t: number, y: Float64Array, jac: Float64Array): void => {
    jac[0] = 0;
    jac[1] = 1;
    jac[2] = -2 * this.mu * y[0] * y[1] - 1;
    jac[3] = this.mu * (1 - y[0] * y[0]);
  };

  /** (2, 0), near the limit cycle (Hairer–Wanner II's test start). */
  initialState(): Float64Array {
    return Float64Array.of(2, 0);
  }
}
