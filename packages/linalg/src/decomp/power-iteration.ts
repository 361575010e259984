import { ConvergenceError, SingularMatrixError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { Generator } from '../random/index.js';
import { luInPlace } from './kernels/lu.js';
import { triangularSolveInPlace } from './kernels/triangular.js';
import { fromFloat64, squareSize, readFiniteMatrix } from './util.js';

/** Options of the power and inverse iterations. @public */
export interface PowerIterationOptions {
  /** Stop when the eigen-residual ‖A x − λ x‖ ≤ tol·‖A‖_F (default 1e-10). */
  tol?: number;
  /** Iteration limit (default 1000); reaching it throws `ConvergenceError`. */
  maxIterations?: number;
  /** Seed of the random start vector (default 0), or a `Generator`. */
  rng?: number | Generator;
}

/** One eigenpair found by an iteration. @public */
export interface EigenpairResult {
  /** The eigenvalue estimate (Rayleigh quotient xᵀAx of the unit vector x). */
  value: number;
  /** Unit eigenvector estimate, shape (n,). */
  vector: NDArray;
  /** Iterations used. */
  iterations: number;
}

function matvec(a: Float64Array, n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
    y[i] = s;
  }
}

function normalize(x: Float64Array): number {
  let s = 0;
  for (const v of x) s = Math.hypot(s, v);
  if (s > 0) for (let i = 0; i < x.length; i++) x[i]! /= s;
  return s;
}

function frobenius(a: Float64Array): number {
  let s = 0;
  for (const v of a) s = Math.hypot(s, v);
  return s;
}

/** Random unit start vector from the seed or generator. */
function start(n: number, rng: number | Generator | undefined): Float64Array<ArrayBuffer> {
  const g = rng instanceof Generator ? rng : new Generator(rng ?? 0);
  const x = Float64Array.from({ length: n }, () => g.nextNormal());
  normalize(x);
  return x;
}

/** Rayleigh quotient of unit x and the residual ‖A x − λ x‖. */
function rayleigh(a: Float64Array, n: number, x: Float64Array, ax: Float64Array): [number, number] {
  matvec(a, n, x, ax);
  let lambda = 0;
  for (let i = 0; i < n; i++) lambda += x[i]! * ax[i]!;
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.hypot(r, ax[i]! - lambda * x[i]!);
  return [lambda, r];
}

/**
 * Power iteration x ← A x / ‖A x‖ for the eigenvalue of largest magnitude (Golub & Van Loan 4th ed., §7.3.1),
 * with the Rayleigh quotient as the estimate. Converges linearly with ratio |λ₂/λ₁|; a dominant pair
 * of opposite sign or complex eigenvalues do not converge and raise `ConvergenceError`. CPU, not
 * differentiable.
 * @public
 */
export function powerIteration(a: NDArray, options: PowerIterationOptions = {}): EigenpairResult {
  const n = squareSize('powerIteration', a);
  if (a.ndim !== 2) throw new ValueError('powerIteration', 'needs one matrix (2-D)');
  const A = readFiniteMatrix('powerIteration', a);
  const tol = (options.tol ?? 1e-10) * frobenius(A);
  const maxIterations = options.maxIterations ?? 1000;
  let x: Float64Array<ArrayBuffer> = start(n, options.rng);
  let y: Float64Array<ArrayBuffer> = new Float64Array(n);
  const ax = new Float64Array(n);
  for (let it = 1; it <= maxIterations; it++) {
    matvec(A, n, x, y);
    if (normalize(y) === 0) {
      return { value: 0, vector: fromFloat64(x, [n], a), iterations: it };
    }
    [x, y] = [y, x];
    const [lambda, r] = rayleigh(A, n, x, ax);
    if (r <= tol) return { value: lambda, vector: fromFloat64(x, [n], a), iterations: it };
  }
  throw new ConvergenceError(
    'powerIteration',
    `no convergence to tol in ${maxIterations} iterations; the dominant eigenvalue may not be unique in magnitude`,
    maxIterations,
  );
}

/**
 * Inverse iteration with a fixed shift μ, x ← (A − μI)⁻¹ x / ‖·‖, for the eigenvalue closest to μ
 * (Golub & Van Loan 4th ed., §7.6.1): one LU factorisation, then two triangular solves per step. If μ is
 * exactly an eigenvalue, the shift is perturbed by ε‖A‖ (the solve is ill-conditioned, which is what makes
 * the method converge fast). CPU, not differentiable.
 * @public
 */
export function inverseIteration(
  a: NDArray,
  shift: number,
  options: PowerIterationOptions = {},
): EigenpairResult {
  const n = squareSize('inverseIteration', a);
  if (a.ndim !== 2) throw new ValueError('inverseIteration', 'needs one matrix (2-D)');
  const A = readFiniteMatrix('inverseIteration', a);
  const normA = frobenius(A);
  const tol = (options.tol ?? 1e-10) * normA;
  const maxIterations = options.maxIterations ?? 1000;
  const shifted = A.slice();
  for (let i = 0; i < n; i++) shifted[i * n + i]! -= shift;
  let perm = luInPlace(shifted, n, n);
  let singular = false;
  for (let i = 0; i < n; i++) if (shifted[i * n + i] === 0) singular = true;
  if (singular) {
    shifted.set(A);
    const mu = shift + Number.EPSILON * Math.max(normA, 1);
    for (let i = 0; i < n; i++) shifted[i * n + i]! -= mu;
    perm = luInPlace(shifted, n, n);
  }
  let x: Float64Array<ArrayBuffer> = start(n, options.rng);
  const y = new Float64Array(n);
  const ax = new Float64Array(n);
  for (let it = 1; it <= maxIterations; it++) {
    for (let i = 0; i < n; i++) y[i] = x[perm[i]!]!;
    try {
      triangularSolveInPlace(shifted, y, n, 1, true, false, true, 'inverseIteration');
      triangularSolveInPlace(shifted, y, n, 1, false, false, false, 'inverseIteration');
    } catch (e) {
      if (e instanceof SingularMatrixError)
        throw new SingularMatrixError(
          'inverseIteration',
          'A − μI is exactly singular even after perturbing μ',
        );
      throw e;
    }
    normalize(y);
    x = y.slice();
    const [lambda, r] = rayleigh(A, n, x, ax);
    if (r <= tol) return { value: lambda, vector: fromFloat64(x, [n], a), iterations: it };
  }
  throw new ConvergenceError(
    'inverseIteration',
    `no convergence in ${maxIterations} iterations; move the shift closer to the wanted eigenvalue`,
    maxIterations,
  );
}
