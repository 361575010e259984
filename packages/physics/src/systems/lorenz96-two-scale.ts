import {
  type NDArray,
  ShapeError,
  ValueError,
  add,
  concat,
  formatShape,
  mul,
  slice,
  sub,
} from '@sciml/linalg';
import { resolveParams } from './params.js';
import { type DynamicalSystem, registerSystem } from './system.js';

/** Parameters of the two-scale Lorenz-96 model. @public */
export interface TwoScaleLorenz96Params {
  /** Slow variables K (default 8). */
  k: number;
  /** Fast variables per slow variable J (default 32). */
  j: number;
  /** Forcing F (default 20). */
  forcing: number;
  /** Coupling strength h (default 1). */
  h: number;
  /** Amplitude ratio b of slow to fast variables (default 10). */
  b: number;
  /** Time-scale ratio c of fast to slow variables (default 10). */
  c: number;
}

/**
 * The two-scale Lorenz-96 model (Lorenz 1996; Wilks 2005, "Effects of stochastic parametrizations in the
 * Lorenz '96 system", Q. J. R. Meteorol. Soc. 131:389): K slow variables X on a ring, each driving J fast
 * variables Y (one ring of K·J):
 * dXₖ/dt = −Xₖ₋₁(Xₖ₋₂ − Xₖ₊₁) − Xₖ + F − (hc/b) Σⱼ Yⱼ,ₖ,
 * dYⱼ/dt = −cb Yⱼ₊₁(Yⱼ₊₂ − Yⱼ₋₁) − c Yⱼ + (hc/b) X_{k(j)}.
 * Wilks' setting K = 8, J = 32, F = 20, h = 1, b = c = 10 is the defaults. The state is [X (K), Y (K·J)].
 * @public
 */
export class TwoScaleLorenz96 implements DynamicalSystem {
  /** Wilks (2005). */
  static readonly DEFAULTS: Readonly<TwoScaleLorenz96Params> = Object.freeze({
    k: 8,
    j: 32,
    forcing: 20,
    h: 1,
    b: 10,
    c: 10,
  });
  /** Name of the system. */
  readonly name = 'two-scale Lorenz-96';
  /** State dimension K + K·J. */
  readonly dim: number;
  /** The parameters in use. */
  readonly params: Readonly<TwoScaleLorenz96Params>;

  /** Builds the system; unspecified parameters take Wilks' values. */
  constructor(params: Partial<TwoScaleLorenz96Params> = {}) {
    const p = resolveParams('TwoScaleLorenz96', TwoScaleLorenz96.DEFAULTS, params);
    if (!Number.isInteger(p.k) || p.k < 4 || !Number.isInteger(p.j) || p.j < 1)
      throw new ValueError(
        'TwoScaleLorenz96',
        `k must be an integer ≥ 4 and j ≥ 1, got k = ${p.k}, j = ${p.j}`,
      );
    this.params = Object.freeze({ ...p });
    this.dim = p.k + p.k * p.j;
    registerSystem(this);
  }

  /** f(t, state) in place. */
  readonly rhs = (_t: number, s: Float64Array, d: Float64Array): void => {
    const { k: K, j: J, forcing: F, h, b, c } = this.params;
    const KJ = K * J;
    const coupling = (h * c) / b;
    for (let k = 0; k < K; k++) {
      let sumY = 0;
      for (let j = 0; j < J; j++) sumY += s[K + k * J + j]!;
      const xm1 = s[(k - 1 + K) % K]!;
      const xm2 = s[(k - 2 + K) % K]!;
      const xp1 = s[(k + 1) % K]!;
      d[k] = -xm1 * (xm2 - xp1) - s[k]! + F - coupling * sumY;
    }
    for (let j = 0; j < KJ; j++) {
      const y = (i: number) => s[K + ((i + KJ) % KJ)]!;
      d[K + j] =
        -c * b * y(j + 1) * (y(j + 2) - y(j - 1)) - c * y(j) + coupling * s[Math.floor(j / J)]!;
    }
  };

  /** ∂f/∂state at a state, (K + KJ)² row-major (dense; the model is a test bed, not a large system). */
  readonly jacobian = (_t: number, s: Float64Array, jac: Float64Array): void => {
    const { k: K, j: J, h, b, c } = this.params;
    const n = this.dim;
    const KJ = K * J;
    const coupling = (h * c) / b;
    jac.fill(0, 0, n * n);
    for (let k = 0; k < K; k++) {
      const im1 = (k - 1 + K) % K;
      const im2 = (k - 2 + K) % K;
      const ip1 = (k + 1) % K;
      jac[k * n + im1]! += -(s[im2]! - s[ip1]!);
      jac[k * n + im2]! += -s[im1]!;
      jac[k * n + ip1]! += s[im1]!;
      jac[k * n + k]! += -1;
      for (let j = 0; j < J; j++) jac[k * n + K + k * J + j]! += -coupling;
    }
    for (let j = 0; j < KJ; j++) {
      const r = (K + j) * n;
      const at = (i: number) => K + ((i + KJ) % KJ);
      jac[r + at(j + 1)]! += -c * b * (s[at(j + 2)]! - s[at(j - 1)]!);
      jac[r + at(j + 2)]! += -c * b * s[at(j + 1)]!;
      jac[r + at(j - 1)]! += c * b * s[at(j + 1)]!;
      jac[r + at(j)]! += -c;
      jac[r + Math.floor(j / J)]! += coupling;
    }
  };

  /** The slow variables' coupling term −(hc/b) Σⱼ Yⱼ,ₖ of a state, length K: what a one-scale model lacks. */
  couplingTerm(s: ArrayLike<number>): Float64Array {
    const { k: K, j: J, h, b, c } = this.params;
    const out = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let sumY = 0;
      for (let j = 0; j < J; j++) sumY += s[K + k * J + j]!;
      out[k] = -((h * c) / b) * sumY;
    }
    return out;
  }

  /** Xₖ = F with X₀ nudged, Yⱼ small and varied (deterministic), so the fast ring starts off its fixed point. */
  initialState(): Float64Array {
    const { k: K, j: J, forcing: F } = this.params;
    const s = new Float64Array(this.dim);
    for (let k = 0; k < K; k++) s[k] = F * (k === 0 ? 1.01 : 1);
    for (let j = 0; j < K * J; j++) s[K + j] = 0.1 * Math.sin(0.7 * j + 0.3);
    return s;
  }
}

/**
 * The one-scale Lorenz-96 tendency dxₖ/dt = (xₖ₊₁ − xₖ₋₂) xₖ₋₁ − xₖ + F on batches of states (B × K),
 * written with differentiable @sciml/linalg ops (ring shifts by slicing), for hybrid models that are trained
 * through their solver.
 * @public
 */
export function lorenz96Tendency(forcing: number): (x: NDArray) => NDArray {
  if (!Number.isFinite(forcing))
    throw new ValueError('lorenz96Tendency', `forcing must be finite, got ${forcing}`);
  // roll(x, s)[k] = x[k − s]
  const roll = (x: NDArray, s: number): NDArray => {
    const K = x.shape[1]!;
    const r = ((s % K) + K) % K;
    if (r === 0) return x;
    return concat([slice(x, null, { start: K - r }), slice(x, null, { stop: K - r })], { axis: 1 });
  };
  return (x) => {
    if (x.ndim !== 2 || x.shape[1]! < 4)
      throw new ShapeError(
        'lorenz96Tendency',
        `expects states (batch × K ≥ 4), got ${formatShape(x.shape)}`,
      );
    return add(sub(mul(sub(roll(x, -1), roll(x, 2)), roll(x, 1)), x), forcing);
  };
}
