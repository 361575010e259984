/**
 * The Lotka–Volterra predator–prey model (A. J. Lotka 1925; V. Volterra 1926): x' = αx − βxy,
 * y' = δxy − γy. Orbits are closed: V = δx − γ ln x + βy − α ln y is conserved.
 */
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';
import { type SymbolicSystem, defineSystem } from './symbolic/define-system.js';

/** Parameters of Lotka–Volterra. @public */
export interface LotkaVolterraParams {
  /** Prey growth α (default 1.5). */
  alpha: number;
  /** Predation β (default 1). */
  beta: number;
  /** Predator growth per prey δ (default 1). */
  delta: number;
  /** Predator death γ (default 3). */
  gamma: number;
}

/** The Lotka–Volterra predator–prey system. @public */
export class LotkaVolterra implements DynamicalSystem {
  /** α = 1.5, β = 1, δ = 1, γ = 3 (the DifferentialEquations.jl tutorial's values). */
  static readonly DEFAULTS: Readonly<LotkaVolterraParams> = Object.freeze({
    alpha: 1.5,
    beta: 1,
    delta: 1,
    gamma: 3,
  });
  /** Name of the system. */
  readonly name = 'Lotka–Volterra';
  /** State dimension. */
  readonly dim = 2;
  /** The parameters in use. */
  readonly params: Readonly<LotkaVolterraParams>;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<LotkaVolterraParams> = {}) {
    this.params = Object.freeze(resolveParams('LotkaVolterra', LotkaVolterra.DEFAULTS, params));
    registerSystem(this);
  }

  /** The equations as expressions of prey x, predators y and α, β, δ, γ (see {@link defineSystem}). */
  static readonly EQUATIONS: Readonly<Record<'x' | 'y', string>> = Object.freeze({
    x: 'alpha*x - beta*x*y',
    y: 'delta*x*y - gamma*y',
  });

  /** This system as a {@link SymbolicSystem} (same arithmetic as `rhs`: same bits). */
  toSymbolic(): SymbolicSystem {
    return defineSystem({
      name: this.name,
      state: ['x', 'y'],
      params: { ...this.params },
      rhs: LotkaVolterra.EQUATIONS,
      initialState: this.initialState(),
    });
  }

  /** f(t, y) written into `dydt` (allocation-free). */
  readonly rhs = (_t: number, y: Float64Array, dydt: Float64Array): void => {
    const { alpha, beta, delta, gamma } = this.params;
    dydt[0] = alpha * y[0] - beta * y[0] * y[1];
    dydt[1] = delta * y[0] * y[1] - gamma * y[1];
  };

  /** [[α − βy, −βx], [δy, δx − γ]]. */
  readonly jacobian = (_t: number, y: Float64Array, jac: Float64Array): void => {
    const { alpha, beta, delta, gamma } = this.params;
    jac[0] = alpha - beta * y[1];
    jac[1] = -beta * y[0];
    jac[2] = delta * y[1];
    jac[3] = delta * y[0] - gamma;
  };

  /** (1, 1). */
  initialState(): Float64Array {
    return Float64Array.of(1, 1);
  }

  /** The coexistence fixed point (γ/δ, α/β). */
  fixedPoint(): Float64Array {
    const { alpha, beta, delta, gamma } = this.params;
    return Float64Array.of(gamma / delta, alpha / beta);
  }

  /** The conserved quantity V = δx − γ ln x + βy − α ln y (for x, y > 0). */
  invariant(y: ArrayLike<number>): number {
    const { alpha, beta, delta, gamma } = this.params;
    return delta * y[0] - gamma * Math.log(y[0]) + beta * y[1] - alpha * Math.log(y[1]);
  }
}
