/**
 * An ESDIRK method (explicit first stage, singly diagonally implicit: aᵢᵢ = γ for i ≥ 1) in Butcher
 * notation (Kennedy & Carpenter, "Diagonally implicit Runge–Kutta methods for ODEs: a review", NASA
 * TM-2016-219173): kᵢ = f(t + cᵢh, y + h Σⱼ<ᵢ aᵢⱼkⱼ + hγkᵢ), each stage one n-dimensional nonlinear solve
 * with the same Newton matrix I − hγJ.
 * @public
 */
export interface EsdirkTableau {
  /** Method name. */
  readonly name: string;
  /** Number of stages s (the first explicit). */
  readonly stages: number;
  /** Order of the propagated solution. */
  readonly order: number;
  /** Order of the embedded solution. */
  readonly embeddedOrder: number;
  /** The diagonal coefficient γ. */
  readonly gamma: number;
  /** Nodes c (length s). */
  readonly c: readonly number[];
  /** Lower-triangular rows including the diagonal: A[i] has i + 1 entries aᵢ₀ … aᵢᵢ (A[0] = [0]). */
  readonly A: readonly (readonly number[])[];
  /** Weights b (length s). */
  readonly b: readonly number[];
  /** Embedded weights b̂ (length s). */
  readonly bHat: readonly number[];
  /** Stage predictors: the starting guess of kᵢ is Σⱼ<ᵢ predictor[i][j] kⱼ (row 0 unused). */
  readonly predictor: readonly (readonly number[])[];
}
