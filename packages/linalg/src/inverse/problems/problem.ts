/**
 * The shape shared by the regularisation test problems (Hansen, "Regularization Tools version 4.0 for
 * Matlab 7.3", Numer. Algorithms 46 (2007) 189–194): a discretised first-kind integral equation A x = b with
 * its exact solution, optionally with seeded Gaussian noise added to the right-hand side.
 */
import { ValueError } from '../../core/errors.js';
import type { NDArray } from '../../core/ndarray.js';
import { fromTypedArray } from '../../ops/creation.js';
import { Generator } from '../../random/generator.js';

/** A discretised test problem A x = b. */
export interface TestProblem {
  /** The n×n system matrix. */
  readonly A: NDArray;
  /** The right-hand side: the exact one, plus noise when `noise` was asked for. */
  readonly b: NDArray;
  /** The noise-free right-hand side (Hansen's b; for some problems not exactly A x, see each problem). */
  readonly bExact: NDArray;
  /** The exact solution (the discretised f). */
  readonly x: NDArray;
  /** ‖b − bExact‖₂ (0 without noise): the δ of the discrepancy principle. */
  readonly noiseNorm: number;
}

/** Options of every test problem generator. */
export interface TestProblemOptions {
  /**
   * Relative noise level η: b = bExact + e with e Gaussian, scaled so ‖e‖₂ = η‖bExact‖₂ exactly (Hansen's
   * convention in his examples). Default 0 (no noise).
   */
  noise?: number;
  /** Seed or generator of the noise (default seed 0), so a problem is reproducible. */
  rng?: Generator | number;
}

/** Checks a problem size: a positive integer, a multiple of `multiple` where the discretisation needs it. */
export function checkSize(op: string, n: number, multiple = 1): void {
  if (!Number.isInteger(n) || n < 1 || n % multiple !== 0) {
    const what = multiple > 1 ? `a positive multiple of ${multiple}` : 'a positive integer';
    throw new ValueError(op, `n must be ${what}, got ${n}`);
  }
}

/** Matrix-vector product of a row-major n×n array with a vector. */
export function matVec(A: Float64Array, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Assembles a problem from its float64 parts, adding the requested noise. */
export function makeProblem(
  op: string,
  A: Float64Array,
  bExact: Float64Array,
  x: Float64Array,
  n: number,
  options: TestProblemOptions,
): TestProblem {
  const eta = options.noise ?? 0;
  if (!(eta >= 0) || !Number.isFinite(eta))
    throw new ValueError(op, `noise must be a finite relative level ≥ 0, got ${eta}`);
  const b = Float64Array.from(bExact);
  let noiseNorm = 0;
  if (eta > 0) {
    const rng = options.rng instanceof Generator ? options.rng : new Generator(options.rng ?? 0);
    const e = Float64Array.from({ length: n }, () => rng.nextNormal());
    const scale = (eta * norm2(bExact)) / norm2(e);
    for (let i = 0; i < n; i++) b[i]! += scale * e[i]!;
    noiseNorm = eta * norm2(bExact);
  }
  return {
    A: fromTypedArray(A, [n, n]),
    b: fromTypedArray(b, [n]),
    bExact: fromTypedArray(bExact, [n]),
    x: fromTypedArray(x, [n]),
    noiseNorm,
  };
}
