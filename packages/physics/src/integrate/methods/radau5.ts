/**
 * Radau IIA of order 5: the three-stage collocation method at the Radau points c = ((4 − √6)/10,
 * (4 + √6)/10, 1) (Hairer & Wanner, Solving ODEs II, §IV.5 Table 5.6 and §IV.8; their code `radau5.f`,
 * SciPy's `Radau`). Stiffly accurate and L-stable. The Newton iteration of the 3n-dimensional stage system
 * is decoupled by the eigendecomposition A⁻¹ = T Λ T⁻¹ into one real and one complex n×n system.
 */

const S6 = Math.sqrt(6);

/** The nodes c. @public */
export const RADAU5_C = [(4 - S6) / 10, (4 + S6) / 10, 1] as const;

/** The Runge–Kutta matrix A of Radau IIA order 5 (Hairer–Wanner II, Table IV.5.6); b is its last row. @public */
export const RADAU5_A = [
  [(88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225],
  [(296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225],
  [(16 - S6) / 36, (16 + S6) / 36, 1 / 9],
] as const;

/** Real eigenvalue γ̂ = 1/γ₀ of A⁻¹ (`radau5.f`'s U1 before inversion: 3 + 3^(2/3) − 3^(1/3)). */
export const RADAU5_MU_REAL = 3 + 3 ** (2 / 3) - 3 ** (1 / 3);

/** The complex pair α̂ ± iβ̂ of A⁻¹; the iteration uses α̂ − iβ̂. */
export const RADAU5_MU_COMPLEX = {
  re: 3 + 0.5 * (3 ** (1 / 3) - 3 ** (2 / 3)),
  im: -0.5 * (3 ** (5 / 6) + 3 ** (7 / 6)),
} as const;

/**
 * T with A⁻¹ = T · diag(γ̂, [[α̂, −β̂], [β̂, α̂]]) · T⁻¹ (SciPy's `radau.py` / `radau5.f`, up to the sign of
 * the complex pair's columns), and its inverse TI. Row-major 3×3.
 */
export const RADAU5_T = [
  [0.09443876248897524, -0.1412552950209542, 0.03002919410514742],
  [0.2502131229653333, 0.20412935229379994, -0.3829421127572619],
  [1, 1, 0],
] as const;
export const RADAU5_TI = [
  [4.178718591551904, 0.32768282076106237, 0.5233764454994495],
  [-4.178718591551904, -0.32768282076106237, 0.47662355450055044],
  [0.5028726349457868, -2.571926949855605, 0.5960392048282249],
] as const;

/**
 * Weights of the embedded error estimate, e = γ₀ · E (Hairer–Wanner II, §IV.8 eq. 8.20 with `radau5.f`'s
 * DD1..DD3): err = (I − hγ₀J)⁻¹ (γ₀ h f(t, y) + Σᵢ γ₀ Eᵢ zᵢ), an estimate of order 3.
 */
export const RADAU5_E = [(-13 - 7 * S6) / 3, (-13 + 7 * S6) / 3, -1 / 3] as const;

/**
 * The collocation polynomial through the stage increments zᵢ = Yᵢ − y: y(t + θh) = y + Σₖ θᵏ (Σᵢ zᵢ Pᵢₖ),
 * k = 1..3 (the cubic that interpolates 0 at θ = 0 and zᵢ at θ = cᵢ).
 */
export const RADAU5_P = [
  [13 / 3 + (7 * S6) / 3, -23 / 3 - (22 * S6) / 3, 10 / 3 + 5 * S6],
  [13 / 3 - (7 * S6) / 3, -23 / 3 + (22 * S6) / 3, 10 / 3 - 5 * S6],
  [1 / 3, -8 / 3, 10 / 3],
] as const;

/** Evaluates the collocation polynomial of a step from y0 with stage increments z (3·n, stage-major). */
export function radau5Interpolate(
  theta: number,
  y0: Float64Array,
  z: Float64Array,
  out: Float64Array,
): void {
  const n = y0.length;
  const P = RADAU5_P;
  const t2 = theta * theta;
  const t3 = t2 * theta;
  for (let m = 0; m < n; m++) {
    const z0 = z[m];
    const z1 = z[n + m];
    const z2 = z[2 * n + m];
    const q1 = z0 * P[0][0] + z1 * P[1][0] + z2 * P[2][0];
    const q2 = z0 * P[0][1] + z1 * P[1][1] + z2 * P[2][1];
    const q3 = z0 * P[0][2] + z1 * P[1][2] + z2 * P[2][2];
    out[m] = y0[m] + theta * q1 + t2 * q2 + t3 * q3;
  }
}
