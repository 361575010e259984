import { type NDArray, maximum, mul, sign, sub, abs } from '@sciml/linalg';

/** Soft-thresholding S_λ(v) = sign(v)·max(|v| − λ, 0): the proximal operator of λ‖·‖₁ (on numbers). */
export function softThresholdScalar(v: number, lambda: number): number {
  return v > lambda ? v - lambda : v < -lambda ? v + lambda : 0;
}

/** Soft-thresholding S_λ(x) = sign(x)·max(|x| − λ, 0) elementwise: the proximal operator of λ‖·‖₁. */
export function softThreshold(x: NDArray, lambda: number): NDArray {
  return mul(sign(x), maximum(sub(abs(x), lambda), 0));
}
