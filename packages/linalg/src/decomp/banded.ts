/**
 * Symmetric positive definite band matrices in LAPACK's band storage: Cholesky factorisation and solves in
 * O(n·kd²) time and O(n·kd) memory, where a dense Cholesky costs O(n³) (Golub & Van Loan, Matrix
 * Computations 4th ed., §4.3). The names and storage follow SciPy's `cholesky_banded`, `cho_solve_banded`
 * and `solveh_banded`, so band arrays written for SciPy work unchanged.
 */
import { NotFiniteError, ShapeError, SingularMatrixError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { checkFinite } from './kernels/batch.js';
import { fromFloat64, readFloat64 } from './util.js';

/** Options of the banded solvers. @public */
export interface BandedOptions {
  /**
   * Which triangle the band array holds (default `false`, as SciPy). Upper: `ab[kd + i − j][j] = A[i][j]`
   * for max(0, j − kd) ≤ i ≤ j, so row kd is the diagonal and row kd − d the d-th superdiagonal, padded on
   * the left. Lower: `ab[i − j][j] = A[i][j]` for j ≤ i ≤ min(n − 1, j + kd), so row 0 is the diagonal and
   * row d the d-th subdiagonal, padded on the right. Padding entries are never read.
   */
  lower?: boolean;
}

/** (kd, n) of a band array, or a `ShapeError` naming `op`. */
function bandShape(op: string, ab: NDArray): [number, number] {
  if (ab.ndim !== 2 || ab.shape[0] === 0) {
    throw new ShapeError(
      op,
      `needs a band array of shape (kd + 1, n), got ${formatShape(ab.shape)}; row kd (upper) or row 0 (lower) holds the diagonal`,
    );
  }
  return [ab.shape[0]! - 1, ab.shape[1]!];
}

/** Index in a band array (either storage) of A[j + d][j], the entry d below the diagonal in column j. */
function lowerIndex(kd: number, n: number, lower: boolean): (d: number, j: number) => number {
  // upper storage holds A[j][j + d] at ab[kd − d][j + d]
  return lower ? (d, j) => d * n + j : (d, j) => (kd - d) * n + j + d;
}

/** `NotFiniteError` when an entry inside the band is NaN or ±Infinity (padding is never read). */
function checkBandFinite(
  op: string,
  a: Float64Array,
  kd: number,
  n: number,
  at: (d: number, j: number) => number,
  shape: readonly number[],
): void {
  for (let j = 0; j < n; j++) {
    for (let d = 0; d <= kd && j + d < n; d++) {
      const v = a[at(d, j)]!;
      if (!Number.isFinite(v)) {
        throw new NotFiniteError(
          op,
          `the band array ${formatShape(shape)} holds ${v} for A[${j + d}][${j}]; remove NaN/Infinity first`,
        );
      }
    }
  }
}

/** A band Cholesky factor in float64: the storage of the input, its (kd, n) and its index map. */
interface BandFactor {
  l: Float64Array;
  kd: number;
  n: number;
  at: (d: number, j: number) => number;
}

/**
 * Column-oriented band Cholesky (Golub & Van Loan 4th ed., §4.3.5): L[j][j] = √(A[j][j] − Σₖ L[j][k]²),
 * then L[i][j] = (A[i][j] − Σₖ L[i][k] L[j][k]) / L[j][j] for j < i ≤ j + kd, with k over the band only.
 */
function factorBand(op: string, ab: NDArray, lower: boolean): BandFactor {
  const [kd, n] = bandShape(op, ab);
  const a = readFloat64(ab);
  const at = lowerIndex(kd, n, lower);
  checkBandFinite(op, a, kd, n, at, ab.shape);
  const l = new Float64Array(a.length);
  for (let j = 0; j < n; j++) {
    let pivot = a[at(0, j)]!;
    for (let k = Math.max(0, j - kd); k < j; k++) pivot -= l[at(j - k, k)]! ** 2;
    // `!(pivot > 0)` also catches NaN from an indefinite matrix
    if (!(pivot > 0)) {
      throw new SingularMatrixError(
        op,
        `the ${n}×${n} band matrix (kd = ${kd}) is not positive definite: the leading minor of order ` +
          `${j + 1} is not positive (pivot ${pivot}); check the band storage (lower: ${lower}) and that ` +
          'the matrix is symmetric positive definite, or add a small multiple of the identity',
      );
    }
    const ljj = Math.sqrt(pivot);
    l[at(0, j)] = ljj;
    for (let i = j + 1; i <= Math.min(n - 1, j + kd); i++) {
      let s = a[at(i - j, j)]!;
      for (let k = Math.max(0, i - kd); k < j; k++) s -= l[at(i - k, k)]! * l[at(j - k, k)]!;
      l[at(i - j, j)] = s / ljj;
    }
  }
  return { l, kd, n, at };
}

/** X with L Lᵀ X = B, by banded forward and back substitution, as a new float64 array shaped like `b`. */
function solveWithFactor(
  op: string,
  f: BandFactor,
  b: NDArray,
  shape: readonly number[],
): Float64Array {
  const { l, kd, n, at } = f;
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) {
    throw new ShapeError(
      op,
      `the band array ${formatShape(shape)} is for an ${n}×${n} A, so b must be (${n},) or (${n}, k), got ${formatShape(b.shape)}`,
    );
  }
  const k = b.ndim === 1 ? 1 : b.shape[1]!;
  const x = Float64Array.from(readFloat64(b));
  checkFinite(op, { data: x, rows: n, cols: k }, b.shape);
  for (let c = 0; c < k; c++) {
    // L y = b
    for (let i = 0; i < n; i++) {
      let v = x[i * k + c]!;
      for (let j = Math.max(0, i - kd); j < i; j++) v -= l[at(i - j, j)]! * x[j * k + c]!;
      x[i * k + c] = v / l[at(0, i)]!;
    }
    // Lᵀ x = y
    for (let i = n - 1; i >= 0; i--) {
      let v = x[i * k + c]!;
      for (let j = i + 1; j <= Math.min(n - 1, i + kd); j++) v -= l[at(j - i, i)]! * x[j * k + c]!;
      x[i * k + c] = v / l[at(0, i)]!;
    }
  }
  return x;
}

/**
 * Band Cholesky factor of a symmetric positive definite band matrix given in LAPACK band storage (Golub &
 * Van Loan 4th ed., §4.3.5; LAPACK `dpbtrf`): with `lower`, L with A = L Lᵀ; otherwise U = Lᵀ with
 * A = Uᵀ U; returned in the same storage as `ab` (padding zero). O(n·kd²); reads only entries in the band.
 *
 * @remarks A matrix that is not positive definite throws `SingularMatrixError` naming the leading minor
 * whose pivot is not positive; NaN or ±Infinity in the band throws `NotFiniteError`. Pass the result to
 * {@link choSolveBanded}.
 * @example
 * ```ts
 * // A = tridiag(−1, 2, −1), 3×3, lower storage: diagonal then subdiagonal (last entry is padding)
 * const cb = choleskyBanded(array([[2, 2, 2], [-1, -1, 0]]), { lower: true });
 * ```
 * @public
 */
export function choleskyBanded(ab: NDArray, options: BandedOptions = {}): NDArray {
  const { l, kd, n } = factorBand('choleskyBanded', ab, options.lower ?? false);
  return fromFloat64(l, [kd + 1, n], ab);
}

/**
 * Solves A X = B given the band Cholesky factor `cb` of A from {@link choleskyBanded} (same `lower`), by
 * a banded forward and back substitution in O(n·kd) per right-hand side, like SciPy's `cho_solve_banded`.
 * `b` is a vector (n,) or a matrix (n, k).
 * @public
 */
export function choSolveBanded(cb: NDArray, b: NDArray, options: BandedOptions = {}): NDArray {
  const op = 'choSolveBanded';
  const [kd, n] = bandShape(op, cb);
  const l = readFloat64(cb);
  const at = lowerIndex(kd, n, options.lower ?? false);
  for (let j = 0; j < n; j++) {
    if (!(l[at(0, j)]! > 0)) {
      throw new SingularMatrixError(
        op,
        `diagonal entry ${j} of the band factor is ${l[at(0, j)]}, not positive; pass the output of choleskyBanded with the same lower option`,
      );
    }
  }
  return fromFloat64(solveWithFactor(op, { l, kd, n, at }, b, cb.shape), b.shape, b);
}

/**
 * Solves A X = B for a symmetric positive definite band matrix A in LAPACK band storage (band Cholesky,
 * then two banded triangular solves: O(n·kd²) in all), like SciPy's `solveh_banded`. `b` is (n,) or (n, k).
 * A matrix that is not positive definite throws `SingularMatrixError`.
 * @example
 * ```ts
 * // −u″ = 1 on (0, 1) with u(0) = u(1) = 0 at 4 interior points (h = 1/5), upper storage
 * const u = solvehBanded(array([[0, -1, -1, -1], [2, 2, 2, 2]]), full([4], 1 / 25));
 * // u = [0.08, 0.12, 0.12, 0.08] = x(1 − x)/2 at x = 0.2, 0.4, 0.6, 0.8
 * ```
 * @public
 */
export function solvehBanded(ab: NDArray, b: NDArray, options: BandedOptions = {}): NDArray {
  // factor and solve in float64, rounding only the result (a float32 factor would cost accuracy)
  const factor = factorBand('solvehBanded', ab, options.lower ?? false);
  return fromFloat64(solveWithFactor('solvehBanded', factor, b, ab.shape), b.shape, b);
}
