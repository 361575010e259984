/** Result of a line search along direction p from x. */
export interface LineSearchResult {
  /** Accepted step length α, or undefined when the search failed. */
  alpha: number | undefined;
  /** f(x + αp). */
  f: number;
  /** ∇f(x + αp) when the search evaluated it (Wolfe searches always do). */
  g: Float64Array | undefined;
  /** x + αp. */
  x: Float64Array;
}

/** φ(α) = f(x + αp) and φ′(α) = ∇f(x + αp)ᵀp, evaluated together. */
export type LineFunction = (alpha: number) => {
  f: number;
  g: Float64Array;
  dphi: number;
  x: Float64Array;
};
