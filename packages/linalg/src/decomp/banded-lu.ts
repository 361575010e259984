/**
 * General band matrices: LU with partial pivoting and solves in O(n·kl·(kl + ku)) time and O(n·(2kl + ku))
 * memory, where a dense LU costs O(n³) (LAPACK `dgbtrf`/`dgbtrs`, `zgbtrf`/`zgbtrs`; Golub & Van Loan 4th
 * ed., §4.3.4). The input storage and names follow SciPy's `solve_banded((l, u), ab, b)`: `ab` has l + u + 1
 * rows and `ab[u + i − j][j] = A[i][j]`, so band arrays written for SciPy work unchanged. Real and complex
 * (`complex128`/`complex64`) matrices and right-hand sides are accepted.
 */
import { type DType, allocTyped, isComplex } from '../core/dtype.js';
import {
  NotFiniteError,
  ShapeError,
  SingularMatrixError,
  ValueError,
  formatShape,
} from '../core/errors.js';
import { NDArray } from '../core/ndarray.js';
import { assertNDArray } from '../core/validate.js';
import { gbtrf, gbtrs, zgbtrf, zgbtrs } from './kernels/banded-lu.js';
import { readFloat64 } from './util.js';

/** (l, u) as non-negative integers, or a `ValueError` naming `op`. */
function checkBandwidths(op: string, lu: readonly [number, number]): [number, number] {
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!Array.isArray(lu) || lu.length !== 2 || !ok(lu[0]) || !ok(lu[1])) {
    throw new ValueError(
      op,
      `needs (l, u) = the numbers of sub- and superdiagonals as two non-negative integers, got ${JSON.stringify(lu)}`,
    );
  }
  return [lu[0], lu[1]];
}

/**
 * The LU factorisation with partial pivoting of an n×n band matrix with kl sub- and ku superdiagonals,
 * P A = L U (LAPACK `gbtrf`), kept in LAPACK's factor storage (U gains kl superdiagonals of fill-in from the
 * row interchanges). Made once, it solves any number of right-hand sides in O(n·(2kl + ku)) each — what a
 * simplified Newton iteration needs. Build one with {@link luFactorBanded} (NDArrays) or
 * {@link BandedLU.fromBand} (typed arrays).
 * @public
 */
export class BandedLU {
  /** Order of the matrix. */
  readonly n: number;
  /** Number of subdiagonals. */
  readonly kl: number;
  /** Number of superdiagonals. */
  readonly ku: number;
  /** Whether the factor is complex (then typed-array right-hand sides interleave re, im). */
  readonly complex: boolean;
  readonly #ab: Float64Array;
  readonly #ipiv: Int32Array;

  private constructor(
    n: number,
    kl: number,
    ku: number,
    complex: boolean,
    ab: Float64Array,
    ipiv: Int32Array,
  ) {
    this.n = n;
    this.kl = kl;
    this.ku = ku;
    this.complex = complex;
    this.#ab = ab;
    this.#ipiv = ipiv;
  }

  /**
   * Factors a band matrix given as a typed array in SciPy's storage: `ab` is row-major (l + u + 1) × n with
   * `ab[(u + i − j)·n + j] = A[i][j]` (for `complex`, each entry an interleaved (re, im) pair). Entries
   * outside the band (the corners of `ab`) are never read. Throws `NotFiniteError` on NaN/±Infinity in the
   * band and `SingularMatrixError` on an exactly zero pivot. `op` names the caller in errors.
   */
  static fromBand(
    lu: readonly [number, number],
    n: number,
    ab: ArrayLike<number>,
    options: { complex?: boolean; op?: string } = {},
  ): BandedLU {
    const op = options.op ?? 'luFactorBanded';
    const complex = options.complex ?? false;
    const [kl, ku] = checkBandwidths(op, lu);
    const rows = kl + ku + 1;
    const width = complex ? 2 : 1;
    if (!Number.isInteger(n) || n < 0 || ab.length !== rows * n * width) {
      throw new ShapeError(
        op,
        `a band array for (l, u) = (${kl}, ${ku}) and n = ${n} has ${rows}·${n}${complex ? '·2' : ''} entries, got ${ab.length}`,
      );
    }
    const ldab = 2 * kl + ku + 1;
    const f = new Float64Array(ldab * n * width);
    for (let j = 0; j < n; j++) {
      const lo = Math.max(0, j - ku);
      const hi = Math.min(n - 1, j + kl);
      for (let i = lo; i <= hi; i++) {
        // SciPy row u + i − j of column j → LAPACK factor row kl + ku + i − j (kl rows of fill-in on top)
        const src = ((ku + i - j) * n + j) * width;
        const dst = (kl + ku + i - j + j * ldab) * width;
        for (let c = 0; c < width; c++) {
          const v = ab[src + c]!;
          if (!Number.isFinite(v)) {
            throw new NotFiniteError(
              op,
              `the band array holds ${v} for A[${i}][${j}] (row ${ku + i - j}, column ${j}); remove NaN/Infinity first`,
            );
          }
          f[dst + c] = v;
        }
      }
    }
    const ipiv = new Int32Array(n);
    const info = complex ? zgbtrf(n, kl, ku, f, ipiv) : gbtrf(n, kl, ku, f, ipiv);
    if (info >= 0) {
      throw new SingularMatrixError(
        op,
        `the ${n}×${n} band matrix (l = ${kl}, u = ${ku}) is singular: after partial pivoting U[${info}][${info}] ` +
          `is exactly zero (columns 0..${info} are linearly dependent); check the band storage ` +
          '(ab[u + i − j][j] = A[i][j]) or regularise the matrix',
      );
    }
    return new BandedLU(n, kl, ku, complex, f, ipiv);
  }

  /**
   * Overwrites `b` with A⁻¹ b, in place and without allocating: `b` is row-major n × nrhs, with (re, im)
   * interleaved when the factor is complex. A real factor also solves an interleaved complex b: pass nrhs
   * twice the number of complex columns.
   */
  solveInPlace(b: Float64Array, nrhs = 1): void {
    const width = this.complex ? 2 : 1;
    if (b.length !== this.n * nrhs * width) {
      throw new ShapeError(
        'BandedLU.solveInPlace',
        `b must hold n·nrhs${this.complex ? '·2 (interleaved re, im)' : ''} = ${this.n * nrhs * width} numbers, got ${b.length}`,
      );
    }
    if (this.complex) zgbtrs(this.n, this.kl, this.ku, this.#ab, this.#ipiv, b, nrhs);
    else gbtrs(this.n, this.kl, this.ku, this.#ab, this.#ipiv, b, nrhs);
  }

  /**
   * Solves A X = B for `b` of shape (n,) or (n, k), real or complex; the result is complex when either the
   * matrix or b is, in b's precision (float32/complex64 b → float32/complex64, otherwise 64-bit). Throws
   * `NotFiniteError` on NaN/±Infinity in b.
   */
  solve(b: NDArray, op = 'BandedLU.solve'): NDArray {
    assertNDArray(op, b, 'b');
    const n = this.n;
    if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) {
      throw new ShapeError(
        op,
        `the matrix is ${n}×${n}, so b must be (${n},) or (${n}, k), got ${formatShape(b.shape)}`,
      );
    }
    const k = b.ndim === 1 ? 1 : b.shape[1]!;
    const bComplex = isComplex(b.dtype);
    const values = readFloat64(b);
    for (let e = 0; e < values.length; e++) {
      if (!Number.isFinite(values[e]!)) {
        const entry = bComplex ? e >> 1 : e;
        throw new NotFiniteError(
          op,
          `b ${formatShape(b.shape)} holds ${values[e]} at row ${Math.floor(entry / k)}; remove NaN/Infinity first`,
        );
      }
    }
    if (!this.complex && !bComplex) {
      const x = Float64Array.from(values);
      gbtrs(n, this.kl, this.ku, this.#ab, this.#ipiv, x, k);
      return toArray(x, b, b.dtype === 'float32' ? 'float32' : 'float64');
    }
    let x: Float64Array;
    if (bComplex) x = Float64Array.from(values);
    else {
      x = new Float64Array(2 * values.length);
      for (let e = 0; e < values.length; e++) x[2 * e] = values[e]!;
    }
    // a real factor solves the interleaved (n, 2k) real system column by column
    if (this.complex) zgbtrs(n, this.kl, this.ku, this.#ab, this.#ipiv, x, k);
    else gbtrs(n, this.kl, this.ku, this.#ab, this.#ipiv, x, 2 * k);
    const single = b.dtype === 'complex64' || b.dtype === 'float32';
    return toArray(x, b, single ? 'complex64' : 'complex128');
  }
}

/** `values` (interleaved for a complex dtype) as an array of `dtype` shaped like `b`, on b's backend. */
function toArray(values: Float64Array, b: NDArray, dtype: DType): NDArray {
  const out = allocTyped(dtype, b.size);
  out.set(values);
  const backend = b.backend;
  return new NDArray(
    backend.name === 'cpu' ? out : backend.upload(out, dtype),
    b.shape,
    dtype,
    backend,
  );
}

/** (l, u, n) of a band array `ab` in SciPy's storage, or a `ShapeError` naming `op`. */
function bandShape(
  op: string,
  lu: readonly [number, number],
  ab: NDArray,
): [number, number, number] {
  const [kl, ku] = checkBandwidths(op, lu);
  assertNDArray(op, ab, 'ab');
  if (ab.ndim !== 2 || ab.shape[0] !== kl + ku + 1) {
    throw new ShapeError(
      op,
      `(l, u) = (${kl}, ${ku}) needs a band array of shape (${kl + ku + 1}, n) with ab[u + i − j][j] = A[i][j], ` +
        `got ${formatShape(ab.shape)}`,
    );
  }
  return [kl, ku, ab.shape[1]!];
}

/**
 * LU factorisation with partial pivoting of a band matrix in SciPy's band storage
 * (`ab[u + i − j][j] = A[i][j]`, shape (l + u + 1, n); LAPACK `gbtrf`), returned as a reusable {@link BandedLU} whose `solve`
 * costs O(n·(2l + u)) per right-hand side. O(n·l·(l + u)) to factor. Real or complex `ab`.
 *
 * @remarks An exactly zero pivot throws `SingularMatrixError`; NaN or ±Infinity inside the band throws
 * `NotFiniteError` (entries outside the band are never read).
 * @example
 * ```ts
 * // A = tridiag(1, -4, 1), 4×4: rows are the superdiagonal, the diagonal, the subdiagonal
 * const f = luFactorBanded([1, 1], array([[0, 1, 1, 1], [-4, -4, -4, -4], [1, 1, 1, 0]]));
 * const x = f.solve(array([1, 2, 3, 4]));
 * ```
 * @public
 */
export function luFactorBanded(lu: readonly [number, number], ab: NDArray): BandedLU {
  const op = 'luFactorBanded';
  const [kl, ku, n] = bandShape(op, lu, ab);
  return BandedLU.fromBand([kl, ku], n, readFloat64(ab), { complex: isComplex(ab.dtype), op });
}

/**
 * Solves A X = B for a band matrix A with l sub- and u superdiagonals in SciPy's band storage, by banded LU
 * with partial pivoting (LAPACK `gbsv`: O(n·l·(l + u)) in all), like SciPy's `solve_banded((l, u), ab, b)`.
 * `b` is (n,) or (n, k); real or complex. A singular matrix throws `SingularMatrixError`.
 * @example
 * ```ts
 * // [[2, 1, 0], [1, 2, 1], [0, 1, 2]] x = [1, 0, 1]: x = [1, -1, 1]
 * const x = solveBanded([1, 1], array([[0, 1, 1], [2, 2, 2], [1, 1, 0]]), array([1, 0, 1]));
 * ```
 * @public
 */
export function solveBanded(lu: readonly [number, number], ab: NDArray, b: NDArray): NDArray {
  const op = 'solveBanded';
  const [kl, ku, n] = bandShape(op, lu, ab);
  assertNDArray(op, b, 'b');
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) {
    throw new ShapeError(
      op,
      `the band array ${formatShape(ab.shape)} is for an ${n}×${n} A, so b must be (${n},) or (${n}, k), got ${formatShape(b.shape)}`,
    );
  }
  return BandedLU.fromBand([kl, ku], n, readFloat64(ab), {
    complex: isComplex(ab.dtype),
    op,
  }).solve(b, op);
}
