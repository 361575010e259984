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

/**
 * A dense row of `length` coefficients from the nonzero ones, keyed by 1-based stage number as the
 * published tables print them (Verner's aᵢⱼ with j = 1 … i−1); the rest are 0.
 */
export function stageRow(length: number, entries: Readonly<Record<number, number>>): number[] {
  const row = new Array<number>(length).fill(0);
  for (const [key, value] of Object.entries(entries)) {
    const j = Number(key) - 1;
    if (!(j >= 0 && j < length)) throw new RangeError(`stage ${key} outside 1 … ${length}`);
    row[j] = value;
  }
  return row;
}

/**
 * A continuous extension written as polynomial weights (Verner's interpolants): y(θ) = y₀ + h Σᵢ bᵢ(θ) kᵢ with
 * bᵢ(θ) = Σₚ rᵢₚ θᵖ, p = 1 … P. `weights[i]` lists rᵢ₁ … rᵢₚ for stage i (0-based, over the step's stages and
 * the extra stages after them; stages absent from the map have bᵢ(θ) ≡ 0).
 */
export interface PolynomialDense {
  readonly degree: number;
  readonly weights: ReadonlyMap<number, readonly number[]>;
}

/** The interpolant of a {@link PolynomialDense} at θ (signature of the explicit steppers' dense output). */
export function polynomialInterpolant(
  dense: PolynomialDense,
): (
  theta: number,
  h: number,
  y0: Float64Array,
  y1: Float64Array,
  k: Float64Array,
  out: Float64Array,
) => void {
  const stages = Int32Array.from(dense.weights.keys());
  const r = stages.length;
  const P = dense.degree;
  const coef = new Float64Array(r * P);
  let row = 0;
  for (const w of dense.weights.values()) coef.set(w, row++ * P);
  const bt = new Float64Array(r);
  return (theta, h, y0, _y1, k, out) => {
    const n = y0.length;
    for (let i = 0; i < r; i++) {
      // Horner in θ: bᵢ(θ) = θ (rᵢ₁ + θ (rᵢ₂ + …))
      let acc = 0;
      for (let p = P - 1; p >= 0; p--) acc = acc * theta + coef[i * P + p];
      bt[i] = acc * theta;
    }
    for (let m = 0; m < n; m++) {
      let acc = 0;
      for (let i = 0; i < r; i++) acc += bt[i] * k[stages[i] * n + m];
      out[m] = y0[m] + h * acc;
    }
  };
}
