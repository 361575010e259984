// The scaling τ and the Broyden-class parameter φ of the self-scaled quasi-Newton updates of the dense inverse
// Hessian: the formulas only, so `bfgs` applies one update for every variant.

/** Inverse-Hessian update of the dense quasi-Newton method `'bfgs'`. */
export type BfgsUpdate = 'bfgs' | 'self-scaled-bfgs' | 'self-scaled-broyden';

/** Every update `'bfgs'` accepts: a record, so a variant added to the union without a row does not compile. */
const UPDATE_ROWS: Record<BfgsUpdate, true> = {
  bfgs: true,
  'self-scaled-bfgs': true,
  'self-scaled-broyden': true,
};
export const BFGS_UPDATES = Object.keys(UPDATE_ROWS) as BfgsUpdate[];

/** τ and φ of H₊ = (1/τ)[H − Hy yᵀH/(yᵀHy) + φ (yᵀHy) v vᵀ] + s sᵀ/(yᵀs). */
export interface UpdateScaling {
  tau: number;
  phi: number;
}

/**
 * τ and φ of one self-scaled update from b = sᵀBs/yᵀs (B = H⁻¹, so sᵀBs = −α sᵀ∇f_k for the step
 * s = −αH∇f_k), h = yᵀHy/yᵀs and the dimension n (Urbán, Stefanou & Pons, J. Comput. Phys. (2025) 113656,
 * eqs. 10–23, and their code):
 * - `'bfgs'`: τ = φ = 1.
 * - `'self-scaled-bfgs'`: φ = 1, τ = min(1, 1/b) (Al-Baali's choice, their eq. 11).
 * - `'self-scaled-broyden'` (their SSBroyden2): with a = bh − 1 ≥ 0, ρ⁻ = min(1, h(1 − √(a/(1+a)))),
 *   θ⁻ = (ρ⁻ − 1)/a, θ⁺ = 1/ρ⁻, θ = max(θ⁻, min(θ⁺, (1 − b)/b)), σ = 1 + θa, ρ = min(1, 1/b):
 *   τ = min(ρσ^{1/(1−n)}, σ) when θ ≤ 0, else ρ·min(σ^{1/(1−n)}, 1/θ); φ = (1 − θ)/σ.
 *   θ ≥ θ⁻ keeps σ ≥ ρ⁻ > 0, so φ stays above the degenerate value and H₊ stays positive definite.
 */
export function updateScaling(update: BfgsUpdate, b: number, h: number, n: number): UpdateScaling {
  if (update === 'bfgs' || !(b > 0) || !Number.isFinite(b)) return { tau: 1, phi: 1 };
  const rhoK = Math.min(1, 1 / b);
  if (update === 'self-scaled-bfgs') return { tau: rhoK, phi: 1 };
  // Cauchy–Schwarz gives bh ≥ 1 for a positive definite H; rounding can leave a hair below
  const a = Math.max(b * h - 1, 0);
  const rhoMinus = Math.min(1, h * (1 - Math.sqrt(a / (1 + a))));
  // a = 0 means Hy ∥ s: v = 0, so φ does not matter and θ⁻ imposes nothing
  const thetaMinus = a > 1e-12 ? (rhoMinus - 1) / a : Number.NEGATIVE_INFINITY;
  const thetaPlus = 1 / rhoMinus;
  const theta = Math.max(thetaMinus, Math.min(thetaPlus, (1 - b) / b));
  const sigma = 1 + theta * a;
  const root = n > 1 ? sigma ** (1 / (1 - n)) : 1;
  const tau = theta <= 0 ? Math.min(rhoK * root, sigma) : rhoK * Math.min(root, 1 / theta);
  const phi = (1 - theta) / sigma;
  return Number.isFinite(tau) && tau > 0 && Number.isFinite(phi)
    ? { tau, phi }
    : { tau: 1, phi: 1 };
}
