/**
 * The modified Rosenbrock pair 2(3) of L. F. Shampine & M. W. Reichelt, "The MATLAB ODE Suite",
 * SIAM J. Sci. Comput. 18 (1997) 1–22, §3 (MATLAB's `ode23s`). One LU of W = I − h d J per step,
 * three solves; L-stable second-order solution, third-order error estimate, FSAL, and a free
 * second-order interpolant y(t + θh) = y + h(θ(1−θ) k₁ + θ(θ−2d) k₂)/(1 − 2d).
 */

/** d = 1/(2 + √2): the method's diagonal coefficient γ. @public */
export const ROSENBROCK23_D = 1 / (2 + Math.SQRT2);

/** e₃₂ = 6 + √2, the coupling in the third (error) stage. @public */
export const ROSENBROCK23_E32 = 6 + Math.SQRT2;

/** Evaluates the ode23s interpolant at θ ∈ [0, 1] of a step of size h from y0 with stages k1, k2. */
export function rosenbrock23Interpolate(
  theta: number,
  h: number,
  y0: Float64Array,
  k1: Float64Array,
  k2: Float64Array,
  out: Float64Array,
): void {
  const d = ROSENBROCK23_D;
  const w1 = (h * theta * (1 - theta)) / (1 - 2 * d);
  const w2 = (h * theta * (theta - 2 * d)) / (1 - 2 * d);
  for (let i = 0; i < y0.length; i++) out[i] = y0[i] + w1 * k1[i] + w2 * k2[i];
}
