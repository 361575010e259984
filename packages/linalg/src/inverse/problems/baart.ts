/**
 * Baart's test problem (M. L. Baart, "The use of auto-correlation for pseudo-rank determination in noisy
 * ill-conditioned linear least-squares problems", IMA J. Numer. Anal. 2 (1982) 241–247; Hansen's `baart`):
 * ∫_0^π exp(s cos t) f(t) dt = g(s), s ∈ [0, π/2], with f(t) = sin t and g(s) = 2 sinh(s)/s. Galerkin with box
 * functions, the s-integrals in closed form and the t-integrals by Simpson's rule on each cell, as Hansen
 * does. Severely ill-posed (the singular values decay exponentially).
 */
import { type TestProblem, type TestProblemOptions, checkSize, makeProblem } from './problem.js';

/** ∫_a^b e^{s c} ds (= b − a for c = 0). */
function expIntegral(a: number, b: number, c: number): number {
  return c === 0 ? b - a : (Math.exp(b * c) - Math.exp(a * c)) / c;
}

/** sinh(s)/s, with its limit 1 at s = 0. */
const sinhc = (s: number): number => (s === 0 ? 1 : Math.sinh(s) / s);

/** Baart's test problem of size n (Hansen's `baart(n)`). */
export function baart(n: number, options: TestProblemOptions = {}): TestProblem {
  checkSize('baart', n);
  const hs = Math.PI / (2 * n);
  const ht = Math.PI / n;
  // Simpson on a t-cell (ht/6)(f₀ + 4f½ + f₁), divided by √(hs·ht) for the two box normalisations
  const simpson = ht / 6 / Math.sqrt(hs * ht);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    // cos(π/2) is not exactly 0 in floating point; the exact zero keeps the c = 0 branch for it
    const cosAt = (t: number): number => (Math.abs(t - Math.PI / 2) < 1e-15 ? 0 : Math.cos(t));
    const cs = [cosAt(j * ht), cosAt((j + 0.5) * ht), cosAt((j + 1) * ht)];
    for (let i = 0; i < n; i++) {
      const [a, b] = [i * hs, (i + 1) * hs];
      A[i * n + j] =
        simpson *
        (expIntegral(a, b, cs[0]!) + 4 * expIntegral(a, b, cs[1]!) + expIntegral(a, b, cs[2]!));
    }
  }
  const x = Float64Array.from(
    { length: n },
    (_, j) => (Math.cos(j * ht) - Math.cos((j + 1) * ht)) / Math.sqrt(ht),
  );
  const b = Float64Array.from(
    { length: n },
    (_, i) =>
      (Math.sqrt(hs) / 3) * (sinhc(i * hs) + 4 * sinhc((i + 0.5) * hs) + sinhc((i + 1) * hs)),
  );
  return makeProblem('baart', A, b, x, n, options);
}
