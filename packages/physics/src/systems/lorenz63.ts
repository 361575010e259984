/**
 * The Lorenz-63 system (E. N. Lorenz, "Deterministic nonperiodic flow", J. Atmos. Sci. 20 (1963) 130–141):
 * x' = σ(y − x), y' = x(ρ − z) − y, z' = xy − βz, with Lorenz's σ = 10, ρ = 28, β = 8/3.
 */
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';
import { type SymbolicSystem, defineSystem } from './symbolic/define-system.js';

/** Parameters of Lorenz-63. @public */
export interface Lorenz63Params {
  /** Prandtl number σ (default 10). */
  sigma: number;
  /** Rayleigh number ratio ρ (default 28). */
  rho: number;
  /** Geometric factor β (default 8/3). */
  beta: number;
}

/** The Lorenz-63 system with its fixed points in closed form. @public */
export class Lorenz63 implements DynamicalSystem {
  /** Lorenz's 1963 parameters. */
  static readonly DEFAULTS: Readonly<Lorenz63Params> = Object.freeze({
    sigma: 10,
    rho: 28,
    beta: 8 / 3,
  });
  /** Name of the system. */
  readonly name = 'Lorenz-63';
  /** State dimension. */
  readonly dim = 3;
  /** σ in use. */
  readonly sigma: number;
  /** ρ in use. */
  readonly rho: number;
  /** β in use. */
  readonly beta: number;

  /** f(t, y) in place. */
  readonly rhs: (t: number, y: Float64Array, dydt: Float64Array) => void;
  /** ∂f/∂y = [[−σ, σ, 0], [ρ − z, −1, −x], [y, x, −β]]. */
  readonly jacobian: (t: number, y: Float64Array, jac: Float64Array) => void;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<Lorenz63Params> = {}) {
    const { sigma, rho, beta } = resolveParams('Lorenz63', Lorenz63.DEFAULTS, params);
    this.sigma = sigma;
    this.rho = rho;
    this.beta = beta;
    // closures over constants rather than `this` lookups: this is the innermost call of every integrator
    this.rhs = (_t, y, dydt) => {
      const x = y[0];
      const yy = y[1];
      const z = y[2];
      dydt[0] = sigma * (yy - x);
      dydt[1] = x * (rho - z) - yy;
      dydt[2] = x * yy - beta * z;
    };
    this.jacobian = (_t, y, jac) => {
      jac[0] = -sigma;
      jac[1] = sigma;
      jac[2] = 0;
      jac[3] = rho - y[2];
      jac[4] = -1;
      jac[5] = -y[0];
      jac[6] = y[1];
      jac[7] = y[0];
      jac[8] = -beta;
    };
    registerSystem(this);
  }

  /** The equations as expressions of the state (x, y, z) and σ, ρ, β (see {@link defineSystem}). */
  static readonly EQUATIONS: Readonly<Record<'x' | 'y' | 'z', string>> = Object.freeze({
    x: 'sigma*(y - x)',
    y: 'x*(rho - z) - y',
    z: 'x*y - beta*z',
  });

  /**
   * This system with these parameters as a {@link SymbolicSystem}: the same arithmetic as `rhs` (same bits),
   * and fixed-step RK4/Euler in `solveIVP` run with f written into the step loop.
   */
  toSymbolic(): SymbolicSystem {
    return defineSystem({
      name: this.name,
      state: ['x', 'y', 'z'],
      params: { sigma: this.sigma, rho: this.rho, beta: this.beta },
      rhs: Lorenz63.EQUATIONS,
      initialState: this.initialState(),
    });
  }

  /** (1, 1, 1), Lorenz's usual starting point. */
  initialState(): Float64Array {
    return Float64Array.of(1, 1, 1);
  }

  /**
   * The fixed points: the origin, and for ρ > 1 the pair C± = (±√(β(ρ−1)), ±√(β(ρ−1)), ρ − 1).
   * Returned as [origin, C+, C−] (only the origin when ρ ≤ 1).
   */
  fixedPoints(): Float64Array[] {
    const origin = Float64Array.of(0, 0, 0);
    if (this.rho <= 1) return [origin];
    const c = Math.sqrt(this.beta * (this.rho - 1));
    return [origin, Float64Array.of(c, c, this.rho - 1), Float64Array.of(-c, -c, this.rho - 1)];
  }
}
