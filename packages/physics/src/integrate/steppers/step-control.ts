/**
 * Hairer's PI step-size controller (`dopri5.f`; Hairer–Nørsett–Wanner I, §II.4; Gustafsson's PI control with
 * β = 0.04 as in Hairer–Wanner II, §IV.2): after a step with scaled error errₙ (≤ 1: accepted),
 * hₙ₊₁ = hₙ · clip(errₙ^(−α) · errₙ₋₁^β / safe) with α = 1/r − 0.75β, where the local error of the estimate
 * scales as hʳ (r = q + 1 for an ODE pair of order q; r = p + ½ for an SDE method of strong order p).
 * Shared by the adaptive Runge–Kutta stepper and the adaptive SDE solver.
 */

/** Safety factor on the predicted step. */
export const SAFE = 0.9;
/** The step shrinks by at most 1/FAC_MIN (hnew ≥ h/5). */
export const FAC_MIN = 0.2;
/** The step grows by at most FAC_MAX (hnew ≤ 10 h). */
export const FAC_MAX = 10;
/** Weight of the previous error (the "I" memory of the PI controller). */
export const BETA = 0.04;

/** The exponent α = 1/r − 0.75β for a local error estimate that scales as hʳ. */
export function piExponent(r: number): number {
  return 1 / r - 0.75 * BETA;
}

/**
 * The divisor of |h| after an accepted step with scaled error `errNorm`, the previous accepted step's
 * `facOld` (max(err, 1e-4), initially 1e-4) and exponent `expo`: hnew = |h| / factor.
 */
export function acceptedStepDivisor(errNorm: number, facOld: number, expo: number): number {
  return Math.max(1 / FAC_MAX, Math.min(1 / FAC_MIN, errNorm ** expo / facOld ** BETA / SAFE));
}

/** |h| to retry after a rejected step of size `habs` (a non-finite error shrinks the most). */
export function rejectedStepSize(habs: number, errNorm: number, expo: number): number {
  const fac11 = errNorm ** expo;
  return Number.isFinite(fac11) ? habs / Math.min(1 / FAC_MIN, fac11 / SAFE) : habs * FAC_MIN;
}
