/**
 * Shaw's one-dimensional image restoration problem (C. B. Shaw, "Improvement of the resolution of an
 * instrument by numerical solution of an integral equation", J. Math. Anal. Appl. 37 (1972) 83–112), as in
 * Hansen's Regularization Tools `shaw`: ∫_{−π/2}^{π/2} K(s, t) f(t) dt = g(s) with
 * K(s, t) = (cos s + cos t)² (sin u / u)², u = π(sin s + sin t), and
 * f(t) = 2 exp(−6(t − 0.8)²) + exp(−2(t + 0.5)²); midpoint quadrature with n points, b = A x.
 * Severely ill-posed: the singular values fall to the rounding level by about k = 20.
 */
import {
  type TestProblem,
  type TestProblemOptions,
  checkSize,
  makeProblem,
  matVec,
} from './problem.js';

/** Shaw's test problem of size n (Hansen's `shaw(n)`; n even). */
export function shaw(n: number, options: TestProblemOptions = {}): TestProblem {
  checkSize('shaw', n, 2);
  const h = Math.PI / n;
  const t = Float64Array.from({ length: n }, (_, i) => -Math.PI / 2 + (i + 0.5) * h);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u = Math.PI * (Math.sin(t[i]!) + Math.sin(t[j]!));
      const sinc = u === 0 ? 1 : Math.sin(u) / u;
      A[i * n + j] = h * (Math.cos(t[i]!) + Math.cos(t[j]!)) ** 2 * sinc * sinc;
    }
  }
  const x = t.map((s) => 2 * Math.exp(-6 * (s - 0.8) ** 2) + Math.exp(-2 * (s + 0.5) ** 2));
  return makeProblem('shaw', A, matVec(A, x, n), x, n, options);
}
