/**
 * A one-dimensional gravity surveying problem (Hansen's `gravity`, example 1; Hansen, "Discrete Inverse
 * Problems", SIAM 2010, §2.1): the vertical field g(s) = ∫_0^1 d (d² + (s − t)²)^{−3/2} f(t) dt of a mass
 * density f(t) = sin(πt) + ½ sin(2πt) at depth d (default 0.25), midpoint rule on [0, 1], b = A x.
 */
import { ValueError } from '../../core/errors.js';
import {
  type TestProblem,
  type TestProblemOptions,
  checkSize,
  makeProblem,
  matVec,
} from './problem.js';

/** The gravity surveying problem of size n (Hansen's `gravity(n, 1, 0, 1, depth)`). */
export function gravity(
  n: number,
  options: TestProblemOptions & { depth?: number } = {},
): TestProblem {
  checkSize('gravity', n);
  const d = options.depth ?? 0.25;
  if (!(d > 0)) throw new ValueError('gravity', `depth must be positive, got ${d}`);
  const h = 1 / n;
  const t = Float64Array.from({ length: n }, (_, i) => (i + 0.5) * h);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) A[i * n + j] = (h * d) / (d * d + (t[i]! - t[j]!) ** 2) ** 1.5;
  }
  const x = t.map((s) => Math.sin(Math.PI * s) + 0.5 * Math.sin(2 * Math.PI * s));
  return makeProblem('gravity', A, matVec(A, x, n), x, n, options);
}
