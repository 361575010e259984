import { ValueError } from '@sciml/linalg';

/** Robust loss ρ applied to z = (rᵢ/C)², as SciPy's `least_squares(loss=…)` names them. */
export type RobustLoss = 'linear' | 'soft_l1' | 'huber' | 'cauchy' | 'arctan';

/** ρ(z), ρ′(z), ρ″(z) of each loss (Triggs et al. 2000, "Bundle adjustment — a modern synthesis", §4.3). */
const LOSSES: { [L in RobustLoss]: (z: number) => [number, number, number] } = {
  // ρ = z: ordinary least squares
  linear: (z) => [z, 1, 0],
  // ρ = 2(√(1 + z) − 1): a smooth ℓ1 (pseudo-Huber)
  soft_l1: (z) => {
    const t = 1 + z;
    return [2 * (Math.sqrt(t) - 1), 1 / Math.sqrt(t), -0.5 * t ** -1.5];
  },
  // ρ = z for z ≤ 1, 2√z − 1 beyond: quadratic core, linear tails
  huber: (z) => (z <= 1 ? [z, 1, 0] : [2 * Math.sqrt(z) - 1, 1 / Math.sqrt(z), -0.5 * z ** -1.5]),
  // ρ = ln(1 + z): heavy tails (Lorentzian)
  cauchy: (z) => [Math.log1p(z), 1 / (1 + z), -1 / (1 + z) ** 2],
  // ρ = arctan(z): bounded cost, the strongest down-weighting of outliers
  arctan: (z) => [Math.atan(z), 1 / (1 + z * z), (-2 * z) / (1 + z * z) ** 2],
};

/** The loss evaluated on residuals r with scale C: the cost ½C²Σρ(rᵢ²/C²) and the per-residual ρ′, ρ″. */
export interface LossValues {
  cost: number;
  rho1: Float64Array;
  rho2: Float64Array;
  z: Float64Array;
}

/** Evaluates a robust loss on residuals r with soft margin C (`fScale`). */
export function evaluateLoss(loss: RobustLoss, r: Float64Array, fScale: number): LossValues {
  const rho = LOSSES[loss];
  if (!rho)
    throw new ValueError(
      'leastSquares',
      `unknown loss '${String(loss)}'; use one of ${Object.keys(LOSSES).join(', ')}`,
    );
  const m = r.length;
  const z = new Float64Array(m);
  const rho1 = new Float64Array(m);
  const rho2 = new Float64Array(m);
  let s = 0;
  for (let i = 0; i < m; i++) {
    z[i] = (r[i]! / fScale) ** 2;
    const [r0, r1, r2] = rho(z[i]!);
    s += r0;
    rho1[i] = r1;
    rho2[i] = r2;
  }
  return { cost: 0.5 * fScale * fScale * s, rho1, rho2, z };
}

/**
 * The Gauss–Newton scaling that makes a robust cost look like plain least squares (SciPy's
 * `scale_for_robust_loss_function`; Triggs et al. 2000 eq. 11): with sᵢ = √max(ρ′ + 2ρ″z, ε), the scaled
 * residual ρ′rᵢ/sᵢ and Jacobian row sᵢ·∇rᵢ give the exact gradient Jᵀ(ρ′r) and a positive semidefinite model.
 * Returns the row scales sᵢ and the scaled residuals.
 */
export function robustScaling(
  r: Float64Array,
  lv: LossValues,
): { rowScale: Float64Array; rScaled: Float64Array } {
  const m = r.length;
  const rowScale = new Float64Array(m);
  const rScaled = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const s = Math.sqrt(Math.max(lv.rho1[i]! + 2 * lv.rho2[i]! * lv.z[i]!, Number.EPSILON));
    rowScale[i] = s;
    rScaled[i] = (lv.rho1[i]! * r[i]!) / s;
  }
  return { rowScale, rScaled };
}
