/** Cell integrals of the Galerkin discretisations (box basis functions h^{−1/2} on each cell). */

/** An antiderivative, possibly piecewise: `left` below `split`, `right` from it on. */
export interface Antiderivative {
  readonly left: (t: number) => number;
  readonly right?: (t: number) => number;
  readonly split?: number;
}

/** ∫_a^b f for f with antiderivative F, splitting the interval where F changes formula. */
export function cellIntegral(F: Antiderivative, a: number, b: number): number {
  const { left, right, split } = F;
  if (right === undefined || split === undefined || b <= split) return left(b) - left(a);
  if (a >= split) return right(b) - right(a);
  return left(split) - left(a) + right(b) - right(split);
}

/** The Galerkin coefficients h^{−1/2} ∫_{cell i} f of n cells of width h from `start`. */
export function boxCoefficients(
  F: Antiderivative,
  n: number,
  start: number,
  h: number,
): Float64Array {
  const scale = 1 / Math.sqrt(h);
  return Float64Array.from(
    { length: n },
    (_, i) => scale * cellIntegral(F, start + i * h, start + (i + 1) * h),
  );
}
