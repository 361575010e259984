/**
 * Small helpers shared by the decomposition modules: batched diagonals and triangles built from primitives
 * (so they stay differentiable), shape checks with the messages the public functions need, and reading a
 * CPU array as float64 for the non-differentiable helpers.
 */
import { type DType, type TypedArray, allocTyped } from '../core/dtype.js';
import { bind } from '../core/dispatch.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { checkFinite } from './kernels/batch.js';
import { assertNDArray } from '../core/validate.js';
import { mul, reshape } from '../ops/index.js';

/** The (rows, cols) of the last two axes, or a `ShapeError` naming `op` when `a` is not a (batch of) matrix. */
export function matrixShape(op: string, a: NDArray): [number, number] {
  assertNDArray(op, a, 'the matrix');
  if (a.ndim < 2) {
    throw new ShapeError(
      op,
      `needs a matrix (or a batch of matrices), got shape ${formatShape(a.shape)}; reshape a vector with reshape(x, [n, 1])`,
    );
  }
  return [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
}

/** n for a (batch of) square n×n matrices, or a `ShapeError`. */
export function squareSize(op: string, a: NDArray): number {
  const [m, n] = matrixShape(op, a);
  if (m !== n)
    throw new ShapeError(
      op,
      `needs square matrices, got shape ${formatShape(a.shape)}; ${RECTANGULAR_FIX[op] ?? 'this operation is defined for square matrices only'}`,
    );
  return n;
}

/** What to use instead when `op` meets a rectangular matrix. */
const RECTANGULAR_FIX: Record<string, string> = {
  solve: 'use lstsq(a, b) for least squares on rectangular systems',
  inv: 'use pinv(a) for the pseudo-inverse of a rectangular matrix',
  luSolve: 'use lstsq(a, b) for least squares on rectangular systems',
  solveTriangular: 'a triangular system needs a square matrix; use lstsq for rectangular ones',
  choSolve: 'the Cholesky factor of an n×n matrix is n×n',
  cholesky:
    'Cholesky factors symmetric positive definite (square) matrices; for a rectangular A, factor AᵀA or use qr(a)',
  det: 'the determinant exists only for square matrices',
  slogdet: 'the determinant exists only for square matrices',
  eigh: 'eigenvalues exist only for square matrices; use svd(a) for the singular values of a rectangular matrix',
  eigvalsh:
    'eigenvalues exist only for square matrices; use svd(a) for the singular values of a rectangular matrix',
  eig: 'eigenvalues exist only for square matrices; use svd(a) for the singular values of a rectangular matrix',
  eigvals:
    'eigenvalues exist only for square matrices; use svd(a) for the singular values of a rectangular matrix',
  powerIteration: 'eigenvalues exist only for square matrices; use svd(a) for rectangular ones',
  inverseIteration: 'eigenvalues exist only for square matrices; use svd(a) for rectangular ones',
  matrixPower: 'only square matrices can be raised to a power',
  expm: 'the matrix exponential needs a square matrix',
};

/** The main diagonals of a batch of m×n matrices, shape (…, min(m, n)), as a strided slice of the flattened matrix. */
export function batchedDiagonal(a: NDArray): NDArray {
  const [m, n] = matrixShape('diagonal', a);
  const batch = a.shape.slice(0, -2);
  const k = Math.min(m, n);
  const flat = reshape(a, [...batch, m * n]);
  const starts = [...batch.map(() => 0), 0];
  const steps = [...batch.map(() => 1), n + 1];
  const lengths = [...batch, k];
  return bind('slice', [flat], { starts, steps, lengths })[0]!;
}

/** A constant m×n 0/1 mask selecting the triangle on/below (lower) or on/above (upper) diagonal `k`. */
function triangleMask(m: number, n: number, k: number, lower: boolean, like: NDArray): NDArray {
  const dtype = like.dtype;
  const mask = allocTyped(dtype, m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) if (lower ? j - i <= k : j - i >= k) mask[i * n + j] = 1;
  }
  return fromTypedArray(mask, [m, n], { backend: like.backend });
}

/** Lower triangle of a batch of matrices (entries with j − i ≤ k kept), like `numpy.tril`. */
export function tril(a: NDArray, k = 0): NDArray {
  const [m, n] = matrixShape('tril', a);
  return mul(a, triangleMask(m, n, k, true, a));
}

/** Upper triangle of a batch of matrices (entries with j − i ≥ k kept), like `numpy.triu`. */
export function triu(a: NDArray, k = 0): NDArray {
  const [m, n] = matrixShape('triu', a);
  return mul(a, triangleMask(m, n, k, false, a));
}

/** The CPU data of `a` as float64 (a copy for float32, the storage itself for float64: do not mutate). */
export function readFloat64(a: NDArray): Float64Array {
  const d = peekValues(a) as TypedArray;
  return d instanceof Float64Array ? d : Float64Array.from(d);
}

/** `readFloat64` for one matrix, throwing `NotFiniteError` (naming `op`) on NaN or ±Infinity. */
export function readFiniteMatrix(op: string, a: NDArray): Float64Array {
  const data = readFloat64(a);
  const cols = a.shape[a.ndim - 1] ?? 1;
  checkFinite(op, { data, rows: cols === 0 ? 0 : data.length / cols, cols }, a.shape);
  return data;
}

/**
 * Throws `ValueError` when a (CPU) matrix is not symmetric to within a few ulps of its largest entry, so
 * that a Cholesky of a non-symmetric matrix never silently uses one triangle.
 */
export function checkSymmetric(
  op: string,
  a: NDArray,
  fix = 'symmetrise it with (A + Aᵀ)/2 first',
): void {
  const n = a.shape[a.ndim - 1]!;
  const d = readableFloat64(a);
  if (d === undefined) return; // device memory or a tracing backend: no values to check
  const tol = 64 * n * epsOf(a.dtype);
  for (let off = 0; off < d.length; off += n * n) {
    let scale = 0;
    for (let e = 0; e < n * n; e++) scale = Math.max(scale, Math.abs(d[off + e]!));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const x = d[off + i * n + j]!;
        const y = d[off + j * n + i]!;
        if (Math.abs(x - y) > tol * scale) {
          throw new ValueError(
            op,
            `the matrix is not symmetric: entry (${i}, ${j}) is ${x} but (${j}, ${i}) is ${y}; ${fix}`,
          );
        }
      }
    }
  }
}

/** The CPU values of `a` as float64, or undefined where they cannot be read synchronously now. */
function readableFloat64(a: NDArray): Float64Array | undefined {
  if (a.backend.downloadSync === undefined) return undefined;
  try {
    return readFloat64(a);
  } catch {
    return undefined;
  }
}

/** A new array with the dtype and backend of `like` holding `values` (rounded to float32 if needed) with `shape`. */
export function fromFloat64(
  values: ArrayLike<number>,
  shape: readonly number[],
  like: NDArray,
): NDArray {
  const out = allocTyped(like.dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return fromTypedArray(out, shape, { backend: like.backend });
}

/** Machine epsilon (unit roundoff × 2) of a float dtype. */
export function epsOf(dtype: DType): number {
  return dtype === 'float32' ? 2 ** -23 : Number.EPSILON;
}
