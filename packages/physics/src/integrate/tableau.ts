/**
 * An explicit Runge–Kutta method in Butcher notation (Hairer, Nørsett & Wanner, Solving ODEs I, §II.1):
 * kᵢ = f(t + cᵢh, y + h Σⱼ aᵢⱼ kⱼ), y₁ = y + h Σ bᵢ kᵢ, and for embedded pairs the error estimate
 * h Σ Eᵢ kᵢ with E = b − b̂.
 * @public
 */
export interface ButcherTableau {
  /** Method name. */
  readonly name: string;
  /** Number of stages s. */
  readonly stages: number;
  /** Order of the propagated solution (b). */
  readonly order: number;
  /** Order of the embedded solution b̂ (0 when there is none). */
  readonly embeddedOrder: number;
  /** Nodes c (length s). */
  readonly c: readonly number[];
  /** Strictly lower-triangular coefficients: A[i] has i entries aᵢ₀ … aᵢ,ᵢ₋₁. */
  readonly A: readonly (readonly number[])[];
  /** Weights b (length s). */
  readonly b: readonly number[];
  /** Embedded weights b̂ (length s), absent for fixed-step methods. */
  readonly bHat?: readonly number[];
  /** Error weights E = b − b̂ (length s), absent for fixed-step methods. */
  readonly E?: readonly number[];
  /** First Same As Last: the last stage is f(t + h, y₁), reused as the next step's first. */
  readonly fsal: boolean;
}

/** b − b̂, elementwise (how the error weights of a pair are formed). */
export function errorWeights(b: readonly number[], bHat: readonly number[]): number[] {
  return b.map((bi, i) => bi - bHat[i]);
}
