/**
 * The Lorenz-96 model (E. N. Lorenz, "Predictability — a problem partly solved", ECMWF Seminar 1996):
 * xᵢ' = (xᵢ₊₁ − xᵢ₋₂) xᵢ₋₁ − xᵢ + F on a ring of N sites (indices mod N). With N = 40 and F = 8 it is
 * chaotic and the standard data-assimilation test bed.
 */
import { ValueError } from '@sciml/linalg';
import { resolveParams } from './params.js';
import type { DynamicalSystem } from './system.js';
import { registerSystem } from './system.js';

/** Parameters of Lorenz-96. @public */
export interface Lorenz96Params {
  /** Number of sites N ≥ 4 (default 40). */
  n: number;
  /** Forcing F (default 8). */
  forcing: number;
}

/** The Lorenz-96 ring. @public */
export class Lorenz96 implements DynamicalSystem {
  /** N = 40, F = 8 (Lorenz 1996; Lorenz & Emanuel 1998). */
  static readonly DEFAULTS: Readonly<Lorenz96Params> = Object.freeze({ n: 40, forcing: 8 });
  /** Name of the system. */
  readonly name = 'Lorenz-96';
  /** State dimension. */
  readonly dim: number;
  /** Forcing F in use. */
  readonly forcing: number;

  /** Builds the system; unspecified parameters take their defaults (`ValueError` for unknown or non-finite ones). */
  constructor(params: Partial<Lorenz96Params> = {}) {
    const p = resolveParams('Lorenz96', Lorenz96.DEFAULTS, params);
    if (!Number.isInteger(p.n) || p.n < 4) {
      throw new ValueError(
        'Lorenz96',
        `n must be an integer ≥ 4 (the stencil reaches i−2 … i+1), got ${p.n}`,
      );
    }
    this.dim = p.n;
    this.forcing = p.forcing;
    registerSystem(this);
  }

  /** f(t, x) in place. */
  readonly rhs = (_t: number, x: Float64Array, dxdt: Float64Array): void => {
    const n = this.dim;
    const F = this.forcing;
    // the ring's ends written out, the interior without modular arithmetic
    dxdt[0] = (x[1] - x[n - 2]) * x[n - 1] - x[0] + F;
    dxdt[1] = (x[2] - x[n - 1]) * x[0] - x[1] + F;
    for (let i = 2; i < n - 1; i++) dxdt[i] = (x[i + 1] - x[i - 2]) * x[i - 1] - x[i] + F;
    dxdt[n - 1] = (x[0] - x[n - 3]) * x[n - 2] - x[n - 1] + F;
  };

  /** ∂fᵢ/∂xᵢ₋₂ = −xᵢ₋₁, ∂fᵢ/∂xᵢ₋₁ = xᵢ₊₁ − xᵢ₋₂, ∂fᵢ/∂xᵢ = −1, ∂fᵢ/∂xᵢ₊₁ = xᵢ₋₁. */
  readonly jacobian = (_t: number, x: Float64Array, jac: Float64Array): void => {
    const n = this.dim;
    jac.fill(0, 0, n * n);
    for (let i = 0; i < n; i++) {
      const im2 = (i - 2 + n) % n;
      const im1 = (i - 1 + n) % n;
      const ip1 = (i + 1) % n;
      const row = i * n;
      jac[row + im2] += -x[im1];
      jac[row + im1] += x[ip1] - x[im2];
      jac[row + i] += -1;
      jac[row + ip1] += x[im1];
    }
  };

  /** xᵢ = F with x₀ nudged by 0.01: the usual way to start off the unstable fixed point. */
  initialState(): Float64Array {
    const x = new Float64Array(this.dim).fill(this.forcing);
    x[0] += 0.01;
    return x;
  }

  /** The uniform fixed point xᵢ = F. */
  fixedPoint(): Float64Array {
    return new Float64Array(this.dim).fill(this.forcing);
  }
}
