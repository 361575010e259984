/**
 * Phillips' test problem (D. L. Phillips, "A technique for the numerical solution of certain integral
 * equations of the first kind", J. ACM 9 (1962) 84–97; Hansen's `phillips`): ∫_{−6}^{6} φ(s − t) f(t) dt = g(s)
 * with φ(x) = 1 + cos(πx/3) for |x| < 3 and 0 otherwise, f = φ, and
 * g(s) = (6 − |s|)(1 + ½ cos(πs/3)) + (9/(2π)) sin(π|s|/3), discretised by Galerkin's method with box functions.
 * Every integral is in closed form through the antiderivatives Φ₁, Φ₂ of φ (A is symmetric Toeplitz:
 * A_ij = (Φ₂(d + h) − 2Φ₂(d) + Φ₂(d − h))/h with d = (i − j)h); A x − b is the O(h²) discretisation error.
 */
import { boxCoefficients } from './cells.js';
import { type TestProblem, type TestProblemOptions, checkSize, makeProblem } from './problem.js';

const C = Math.PI / 3;

/** Φ₁(x) = ∫_0^x φ: odd, constant ±3 beyond |x| = 3. */
function phi1(x: number): number {
  const a = Math.min(Math.abs(x), 3);
  return Math.sign(x) * (a + Math.sin(C * a) / C);
}

/** Φ₂(x) = ∫_0^x Φ₁: even, linear beyond |x| = 3. */
function phi2(x: number): number {
  const a = Math.abs(x);
  if (a < 3) return (a * a) / 2 + (1 - Math.cos(C * a)) / (C * C);
  return 4.5 + 2 / (C * C) + 3 * (a - 3);
}

/** ∫_0^s g for s ≥ 0 (g is even, so ∫_0^s g = sign(s)·G(|s|)). */
function gIntegral(s: number): number {
  const a = Math.min(Math.abs(s), 6);
  const G = (v: number): number =>
    6 * v -
    (v * v) / 2 +
    0.5 * (((6 - v) * Math.sin(C * v)) / C - Math.cos(C * v) / (C * C)) -
    (9 / (2 * Math.PI)) * (Math.cos(C * v) / C);
  return Math.sign(s) * (G(a) - G(0));
}

/** Phillips' test problem of size n (Hansen's `phillips(n)`; n a multiple of 4, as there). */
export function phillips(n: number, options: TestProblemOptions = {}): TestProblem {
  checkSize('phillips', n, 4);
  const h = 12 / n;
  const column = Float64Array.from({ length: n }, (_, k) => {
    const d = k * h;
    return (phi2(d + h) - 2 * phi2(d) + phi2(d - h)) / h;
  });
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = column[Math.abs(i - j)]!;
  const x = boxCoefficients({ left: phi1 }, n, -6, h);
  const b = boxCoefficients({ left: gIntegral }, n, -6, h);
  return makeProblem('phillips', A, b, x, n, options);
}
