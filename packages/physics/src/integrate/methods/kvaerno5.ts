/**
 * Kværnø's 5(4) ESDIRK pair: A. Kværnø, "Singly diagonally implicit Runge–Kutta methods with an explicit
 * first stage", BIT 44 (2004) 489–502. Seven stages, explicit first stage, diagonal γ = 0.26, stiffly
 * accurate (b is the last row of A, so y₁ is the last stage) and L-stable; the embedded 4th-order solution
 * is the sixth stage, itself stiffly accurate, so the error estimate needs no filtering on stiff problems.
 * Coefficients to 17 digits as tabulated in OrdinaryDiffEq.jl (`sdirk_tableaus.jl`) and diffrax
 * (`kvaerno5.py`), with their stage predictors.
 */
import type { EsdirkTableau } from '../implicit/esdirk-tableau.js';

const g = 0.26;
const a6 = [
  0.13855640231268224,
  0,
  -0.04245337201752043,
  0.02446657898003141,
  0.6194303907248068,
  g,
];
const a7 = [
  0.13659751177640292,
  0,
  -0.05496908796538376,
  -0.04118626728321046,
  0.629933048990164,
  0.06962479448202728,
  g,
];

/** Kværnø's 5(4) pair (OrdinaryDiffEq.jl's and diffrax's `Kvaerno5`). @public */
export const KVAERNO5: EsdirkTableau = {
  name: 'Kværnø 5(4) ESDIRK',
  stages: 7,
  order: 5,
  embeddedOrder: 4,
  gamma: g,
  c: [0, 0.52, 1.230333209967908, 0.8957659843500759, 0.43639360985864756, 1, 1],
  A: [
    [0],
    [g, g],
    [0.13, 0.8403332099679081, g],
    [0.22371961478320504, 0.476755323197997, -0.06470895363112615, g],
    [0.16648564323248322, 0.1045001884159172, 0.03631482272098715, -0.13090704451073998, g],
    a6,
    a7,
  ],
  b: a7,
  bHat: [...a6, 0],
  predictor: [
    [],
    [1],
    [-1.366025403784441, 2.3660254037844357],
    [-0.19650552613122207, 0.8113579546496623, 0.38514757148155954],
    [0.10375304369958693, 0.937994698066431, -0.04174774176601781, 0],
    [-0.17281112873898072, 0.6235784481025847, 0.5492326806363959, 0, 0],
    a6,
  ],
};
