/**
 * Computation of the second derivative (Hansen's `deriv2`; Delves & Mohamed, "Computational Methods for
 * Integral Equations", 1985, p. 310): ∫_0^1 K(s, t) f(t) dt = g(s) with the Green's function of d²/ds² on
 * [0, 1] with zero boundary values, K(s, t) = s(t − 1) for s < t and t(s − 1) for s ≥ t, discretised by
 * Galerkin's method with box functions. The exact b is the Galerkin projection of g (so A x − b is the
 * O(h²) discretisation error, as in Hansen). Mildly ill-posed: σ_k ≈ 1/(kπ)², K's eigenvalues.
 *
 * Examples (Hansen's numbering): 1: f(t) = t, g(s) = (s³ − s)/6; 2: f(t) = eᵗ, g(s) = eˢ + (1 − e)s − 1;
 * 3: f(t) = t for t < ½ and 1 − t after, g(s) = (4s³ − 3s)/24 for s < ½ and (−4s³ + 12s² − 9s + 1)/24 after.
 */
import { ValueError } from '../../core/errors.js';
import { type Antiderivative, boxCoefficients } from './cells.js';
import { type TestProblem, type TestProblemOptions, checkSize, makeProblem } from './problem.js';

/** Antiderivatives of f and g for each example. */
const EXAMPLES: Record<1 | 2 | 3, { f: Antiderivative; g: Antiderivative }> = {
  1: { f: { left: (t) => (t * t) / 2 }, g: { left: (s) => (s ** 4 / 4 - (s * s) / 2) / 6 } },
  2: {
    f: { left: Math.exp },
    g: { left: (s) => Math.exp(s) + ((1 - Math.E) * s * s) / 2 - s },
  },
  3: {
    f: { left: (t) => (t * t) / 2, right: (t) => t - (t * t) / 2, split: 0.5 },
    g: {
      left: (s) => (s ** 4 - 1.5 * s * s) / 24,
      right: (s) => (-(s ** 4) + 4 * s ** 3 - 4.5 * s * s + s) / 24,
      split: 0.5,
    },
  },
};

/** The second-derivative test problem of size n (Hansen's `deriv2(n, example)`). */
export function deriv2(
  n: number,
  options: TestProblemOptions & { example?: 1 | 2 | 3 } = {},
): TestProblem {
  checkSize('deriv2', n);
  const example = options.example ?? 1;
  const ex = EXAMPLES[example];
  if (ex === undefined)
    throw new ValueError('deriv2', `example must be 1, 2 or 3, got ${String(example)}`);
  const h = 1 / n;
  const A = new Float64Array(n * n);
  for (let i = 1; i <= n; i++) {
    // (1/h)∫∫ over cells i ≥ j of t(s − 1); the diagonal cell integrates both branches of K
    A[(i - 1) * n + (i - 1)] = h * h * ((i * i - i + 0.25) * h - (i - 2 / 3));
    for (let j = 1; j < i; j++) {
      const v = h * h * (j - 0.5) * ((i - 0.5) * h - 1);
      A[(i - 1) * n + (j - 1)] = v;
      A[(j - 1) * n + (i - 1)] = v;
    }
  }
  const x = boxCoefficients(ex.f, n, 0, h);
  const b = boxCoefficients(ex.g, n, 0, h);
  return makeProblem('deriv2', A, b, x, n, options);
}
