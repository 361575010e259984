/**
 * Exact power-of-two scaling of a matrix into a safe range before a factorisation (LAPACK's drivers scale
 * by `dlascl` when ‖A‖max lies outside [√safmin, √safmax]); powers of two introduce no rounding.
 */

/**
 * Scales `a` in place so that its largest magnitude lies in [0.5, 1); returns the function that undoes it
 * on a result (an eigenvalue or singular value). The undoing multiplies by 2^e in two steps, like the
 * scaling: 2^1024 itself overflows, yet σ · 2^1024 is finite for σ < 1 (the SVD of
 * [[1e308, 1e308], [1e308, −1e308]] has σ = 1.414e308).
 */
export function scaleToUnit(a: Float64Array): (x: number) => number {
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > amax) amax = v;
  }
  if (amax === 0 || (amax >= 0.5 && amax < 1)) return identity;
  const exponent = Math.floor(Math.log2(amax)) + 1;
  // multiply in two steps: 2^±1074 itself is not representable in one factor
  const half = Math.trunc(exponent / 2);
  const f1 = 2 ** -half;
  const f2 = 2 ** -(exponent - half);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * f1 * f2;
  const g1 = 2 ** half;
  const g2 = 2 ** (exponent - half);
  return (x) => x * g1 * g2;
}

const identity = (x: number): number => x;
