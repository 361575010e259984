/**
 * Tsitouras 5(4): Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first column
 * simplifying assumption", Comput. Math. Appl. 62 (2011) 770–775. Seven stages, FSAL, 5th-order
 * solution propagated. Coefficients and the 4th-order interpolant's polynomial weights as published in
 * OrdinaryDiffEq.jl's `tsit_tableaus.jl` (the paper's b̂ row there is the error row E, with E₇ = 1/66).
 */
import { type ButcherTableau, errorWeights } from '../tableau.js';

const a7 = [
  0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
  2.324710524099774,
];
const b = [...a7, 0];
const E = [
  -0.001780011052225771,
  -0.0008164344596567469,
  0.007880878010261995,
  -0.1447110071732629,
  0.5823571654525552,
  -0.45808210592918697,
  1 / 66,
];
const bHat = b.map((bi, i) => bi - E[i]);

/** The Tsitouras 5(4) pair (OrdinaryDiffEq.jl's `Tsit5`). @public */
export const TSIT5: ButcherTableau = {
  name: 'Tsitouras 5(4)',
  stages: 7,
  order: 5,
  embeddedOrder: 4,
  c: [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
  A: [
    [],
    [0.161],
    [-0.008480655492356989, 0.335480655492357],
    [2.897153057105493, -6.359448489975075, 4.3622954328695815],
    [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
    [
      5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401,
      -0.028269050394068383,
    ],
    a7,
  ],
  b,
  bHat,
  E: errorWeights(b, bHat),
  fsal: true,
};

/**
 * Polynomial weights of the Tsit5 interpolant: bᵢ(θ) = Σₚ R[i][p] θ^(p+1), p = 0…3, so that
 * y(t + θh) = y0 + h Σᵢ bᵢ(θ) kᵢ and bᵢ(1) = bᵢ.
 */
export const TSIT5_DENSE: readonly (readonly number[])[] = [
  [1, -2.763706197274826, 2.9132554618219126, -1.0530884977290216],
  [0, 0.13169999999999998, -0.2234, 0.1017],
  [0, 3.9302962368947516, -5.941033872131505, 2.490627285651253],
  [0, -12.411077166933676, 30.33818863028232, -16.548102889244902],
  [0, 37.50931341651104, -88.1789048947664, 47.37952196281928],
  [0, -27.896526289197286, 65.09189467479366, -34.87065786149661],
  [0, 1.5, -4, 2.5],
];

/** Scratch for the seven interpolation weights (the interpolant is evaluated one θ at a time). */
const weights = new Float64Array(7);

/** Evaluates the Tsit5 interpolant of one step at θ ∈ [0, 1]; `k` holds the 7 stages, stage-major. */
export function tsit5Interpolate(
  theta: number,
  h: number,
  y0: Float64Array,
  k: Float64Array,
  out: Float64Array,
): void {
  const n = y0.length;
  for (let s = 0; s < 7; s++) {
    const r = TSIT5_DENSE[s];
    weights[s] = h * theta * (r[0] + theta * (r[1] + theta * (r[2] + theta * r[3])));
  }
  for (let i = 0; i < n; i++) {
    let acc = y0[i];
    for (let s = 0; s < 7; s++) acc += weights[s] * k[s * n + i];
    out[i] = acc;
  }
}
