/**
 * The inverse heat equation (Hansen's `heat`; Carasso, SIAM J. Numer. Anal. 19 (1982) 1181–1203): the Volterra
 * equation ∫_0^s k(s − t) f(t) dt = g(s) on [0, 1] with k(t) = t^{−3/2} exp(−1/(4κ²t)) / (2κ√π), discretised
 * by the midpoint rule (a lower-triangular Toeplitz A), Hansen's piecewise exact solution and b = A x.
 * κ = 1 (default) gives a mildly, κ = 5 a well-conditioned problem.
 */
import {
  type TestProblem,
  type TestProblemOptions,
  checkSize,
  makeProblem,
  matVec,
} from './problem.js';

/** The inverse heat problem of size n (Hansen's `heat(n, kappa)`; n even). */
export function heat(
  n: number,
  options: TestProblemOptions & { kappa?: number } = {},
): TestProblem {
  checkSize('heat', n, 2);
  const kappa = options.kappa ?? 1;
  const h = 1 / n;
  const c = h / (2 * kappa * Math.sqrt(Math.PI));
  const d = 1 / (4 * kappa * kappa);
  const k = Float64Array.from({ length: n }, (_, i) => {
    const t = (i + 0.5) * h;
    return c * t ** -1.5 * Math.exp(-d / t);
  });
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = k[i - j]!;
  const x = new Float64Array(n);
  for (let i = 1; i <= n / 2; i++) {
    const ti = (i * 20) / n;
    x[i - 1] =
      ti < 2
        ? (0.75 * ti * ti) / 4
        : ti < 3
          ? 0.75 + (ti - 2) * (3 - ti)
          : 0.75 * Math.exp(-(ti - 3) * 2);
  }
  return makeProblem('heat', A, matVec(A, x, n), x, n, options);
}
