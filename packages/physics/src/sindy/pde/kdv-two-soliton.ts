/**
 * The two-soliton solution of the Korteweg–de Vries equation u_t + 6 u u_x + u_xxx = 0 by Hirota's direct
 * method (Hirota 1971, Phys. Rev. Lett. 27:1192): u = 2 (ln F)_xx with F = 1 + e^{η₁} + e^{η₂} + A e^{η₁+η₂},
 * ηᵢ = kᵢ x − kᵢ³ t + δᵢ, A = ((k₁ − k₂)/(k₁ + k₂))². Each soliton alone is (kᵢ²/2) sech²(kᵢ(x − kᵢ² t)/2);
 * together they collide and separate with a phase shift. Test data for PDE-FIND (not exported).
 */
export function kdvTwoSoliton(
  x: number,
  t: number,
  k1: number,
  k2: number,
  d1 = 0,
  d2 = 0,
): number {
  const e1 = Math.exp(k1 * x - k1 ** 3 * t + d1);
  const e2 = Math.exp(k2 * x - k2 ** 3 * t + d2);
  const A = ((k1 - k2) / (k1 + k2)) ** 2;
  const e12 = A * e1 * e2;
  const F = 1 + e1 + e2 + e12;
  const Fx = k1 * e1 + k2 * e2 + (k1 + k2) * e12;
  const Fxx = k1 * k1 * e1 + k2 * k2 * e2 + (k1 + k2) ** 2 * e12;
  return (2 * (F * Fxx - Fx * Fx)) / (F * F);
}
