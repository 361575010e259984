/**
 * Dormand–Prince 5(4): J. R. Dormand & P. J. Prince, "A family of embedded Runge–Kutta formulae",
 * J. Comput. Appl. Math. 6 (1980) 19–26. Seven stages, FSAL; the 5th-order solution is propagated
 * (local extrapolation). Dense output: Hairer's 4th-order continuous extension (`CONTD5` of `dopri5.f`,
 * Hairer–Nørsett–Wanner I, §II.6), which needs no extra function evaluation.
 */
import { type ButcherTableau, errorWeights } from '../tableau.js';

const b = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const bHat = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

/** The Dormand–Prince 5(4) pair (SciPy's `RK45`, MATLAB's `ode45`). @public */
export const DOPRI5: ButcherTableau = {
  name: 'Dormand–Prince 5(4)',
  stages: 7,
  order: 5,
  embeddedOrder: 4,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  A: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b,
  bHat,
  E: errorWeights(b, bHat),
  fsal: true,
};

/** Coefficients d of Hairer's dense output for Dormand–Prince (`dopri5.f`, stages 1, 3, 4, 5, 6, 7). */
export const DOPRI5_DENSE = [
  -12715105075 / 11282082432,
  0,
  87487479700 / 32700410799,
  -10690763975 / 1880347072,
  701980252875 / 199316789632,
  -1453857185 / 822651844,
  69997945 / 29380423,
] as const;

/**
 * Hairer's continuous extension of one Dormand–Prince step from (t, y0) to (t + h, y1), evaluated at
 * θ ∈ [0, 1]: y(t + θh) = r₁ + θ(r₂ + (1−θ)(r₃ + θ(r₄ + (1−θ) r₅))) with r₁ = y0, r₂ = y1 − y0,
 * r₃ = h k₁ − r₂, r₄ = r₂ − h k₇ − r₃, r₅ = h Σ dᵢ kᵢ. `k` holds the 7 stages, stage-major (7·n).
 */
export function dopri5Interpolate(
  theta: number,
  h: number,
  y0: Float64Array,
  y1: Float64Array,
  k: Float64Array,
  out: Float64Array,
): void {
  const n = y0.length;
  const t1 = 1 - theta;
  const d = DOPRI5_DENSE;
  for (let i = 0; i < n; i++) {
    const k1 = k[i];
    const k7 = k[6 * n + i];
    const r2 = y1[i] - y0[i];
    const r3 = h * k1 - r2;
    const r4 = r2 - h * k7 - r3;
    const r5 =
      h *
      (d[0] * k1 +
        d[2] * k[2 * n + i] +
        d[3] * k[3 * n + i] +
        d[4] * k[4 * n + i] +
        d[5] * k[5 * n + i] +
        d[6] * k7);
    out[i] = y0[i] + theta * (r2 + t1 * (r3 + theta * (r4 + t1 * r5)));
  }
}
