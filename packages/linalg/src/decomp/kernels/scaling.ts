/**
 * Exact power-of-two scaling of a matrix into a safe range before a factorisation (LAPACK's drivers scale
 * by `dlascl` when ‖A‖max lies outside [√safmin, √safmax]); powers of two introduce no rounding.
 */

/** Scales `a` in place so that its largest magnitude lies in [0.5, 1); returns the factor to undo it. */
export function scaleToUnit(a: Float64Array): number {
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > amax) amax = v;
  }
  if (amax === 0 || (amax >= 0.5 && amax < 1)) return 1;
  const exponent = Math.floor(Math.log2(amax)) + 1;
  // multiply in two steps: 2^±1074 itself is not representable in one factor
  const half = Math.trunc(exponent / 2);
  const f1 = 2 ** -half;
  const f2 = 2 ** -(exponent - half);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * f1 * f2;
  return 2 ** exponent;
}
