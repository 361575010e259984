import { bind } from '../core/dispatch.js';
import { ShapeError, SingularMatrixError, formatShape } from '../core/errors.js';
import { assertFinite } from '../core/finite.js';
import { type NDArray, peekValues } from '../core/ndarray.js';
import { eye } from '../ops/creation.js';
import { abs, add, log, matmul, mul, prod, reshape, sign, slice, sum, take } from '../ops/index.js';
import { triangularSolveRhs } from './triangular.js';
import { batchedDiagonal, fromFloat64, squareSize, tril, triu } from './util.js';

/** LU factors in SciPy's form: A = P L U. @public */
export interface LUResult {
  /** Permutation matrix (m×m). */
  P: NDArray;
  /** Unit lower triangular (m×k, k = min(m, n)). */
  L: NDArray;
  /** Upper triangular (k×n). */
  U: NDArray;
}

/** Packed LU factors: L below the diagonal (unit diagonal implied) and U on and above it. @public */
export interface LUFactor {
  /** L and U packed in one m×n matrix (LAPACK's `getrf` layout). */
  lu: NDArray;
  /** int32 row permutation (…, m) with A[perm[i], :] = (L U)[i, :]. */
  perm: NDArray;
}

/**
 * LU factorisation with partial pivoting, packed: A[perm] = L U (Golub & Van Loan 4th ed., Alg. 3.4.1;
 * LAPACK `dgetrf`, SciPy `lu_factor`). Works for rectangular and singular matrices; batched.
 * @public
 */
export function luFactor(a: NDArray): LUFactor {
  const [lu, perm] = bind('lu', [a], {});
  return { lu: lu!, perm: perm! };
}

/**
 * LU factorisation with partial pivoting, A = P L U, with L unit lower triangular and U upper triangular
 * (Golub & Van Loan 4th ed., Alg. 3.4.1; the convention of SciPy's `scipy.linalg.lu`).
 * @example
 * ```ts
 * const { P, L, U } = lu(array([[1, 2], [3, 4]])); // matmul(P, matmul(L, U)) ≈ A
 * ```
 * @public
 */
export function lu(a: NDArray): LUResult {
  const { lu: packed, perm } = luFactor(a);
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const k = Math.min(m, n);
  const left =
    k === n ? packed : slice(packed, ...a.shape.slice(0, -2).map(() => null), null, { stop: k });
  const top =
    k === m ? packed : slice(packed, ...a.shape.slice(0, -2).map(() => null), { stop: k });
  const L = add(tril(left, -1), eye(m, k, { dtype: a.dtype as 'float64' }));
  const U = triu(top);
  return { P: permutationMatrix(perm, a, false), L, U };
}

/**
 * A constant batch of m×m permutation matrices from int32 permutations: P with A = P (L U) when
 * `transposed` is false (P[perm[i], i] = 1), Pᵀ (which maps A to A[perm]) otherwise.
 */
function permutationMatrix(perm: NDArray, like: NDArray, transposed: boolean): NDArray {
  const m = perm.shape[perm.ndim - 1]!;
  const p = perm.dataSync() as Int32Array;
  const batch = p.length / Math.max(m, 1);
  const data = new Float64Array(batch * m * m);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m; i++) {
      const r = p[b * m + i]!;
      data[b * m * m + (transposed ? i * m + r : r * m + i)] = 1;
    }
  }
  return fromFloat64(data, [...perm.shape.slice(0, -1), m, m], like);
}

/** Applies the row permutation of an LU factor to b: returns b[perm] (batched through a permutation matrix). */
function permuteRows(perm: NDArray, b: NDArray, like: NDArray): NDArray {
  if (perm.ndim === 1) return take(b, perm, b.ndim - 2);
  return matmul(permutationMatrix(perm, like, true), b);
}

/**
 * Solves A X = B from packed LU factors (SciPy `lu_solve`): X = U⁻¹ L⁻¹ B[perm]. `b` is a vector (n,) or a
 * batch of matrices (…, n, k).
 * @public
 */
export function luSolve(factor: LUFactor, b: NDArray): NDArray {
  return luSolveWith('luSolve', factor, b);
}

/**
 * A zero on U's diagonal means A is singular: say so in terms of A (not of the triangular factor the solve
 * would have failed on), with the fix.
 */
function assertNonzeroPivots(op: string, packed: NDArray, n: number): void {
  if (!packed.backend.downloadSync) return; // device arrays: the triangular solve reports it
  const d = peekValues(packed);
  for (let base = 0; base < d.length; base += n * n) {
    for (let i = 0; i < n; i++) {
      if (d[base + i * n + i] === 0) {
        const which = d.length > n * n ? ` (matrix ${base / (n * n)} of the batch)` : '';
        throw new SingularMatrixError(
          op,
          `the ${n}×${n} matrix${which} is singular: LU elimination with partial pivoting found no nonzero pivot for column ${i}, so its rank is below ${n}; for singular or rank-deficient systems use lstsq(a, b) (least squares) or pinv(a)`,
        );
      }
    }
  }
}

function luSolveWith(op: string, { lu: packed, perm }: LUFactor, b: NDArray): NDArray {
  const n = squareSize(op, packed);
  const isVector = b.ndim === 1;
  if (b.ndim === 0 || (isVector ? b.shape[0] : b.shape[b.ndim - 2]) !== n) {
    throw new ShapeError(
      op,
      `A is ${formatShape(packed.shape)} but b has shape ${formatShape(b.shape)}; b must be (${n},) or (…, ${n}, k)`,
    );
  }
  assertNonzeroPivots(op, packed, n);
  const B = isVector ? reshape(b, [n, 1]) : b;
  const y = triangularSolveRhs(op, packed, permuteRows(perm, B, packed), {
    lower: true,
    transA: false,
    unitDiagonal: true,
  });
  const x = triangularSolveRhs(op, packed, y, { lower: false, transA: false, unitDiagonal: false });
  return isVector ? reshape(x, x.shape.slice(0, -1)) : x;
}

/**
 * Solves the square system A X = B by LU with partial pivoting and two triangular solves (LAPACK `dgesv`,
 * NumPy `linalg.solve`). `b` is a vector (n,) or a batch of matrices (…, n, k); batch axes broadcast.
 * A singular A (a zero pivot) throws `SingularMatrixError`; use `lstsq` or `pinv` for singular systems.
 * NaN or ±Infinity in A or in b throws `NotFiniteError` naming the argument.
 * @example
 * ```ts
 * solve(array([[3, 1], [1, 2]]), array([9, 8])); // [2, 3]
 * ```
 * @public
 */
export function solve(a: NDArray, b: NDArray): NDArray {
  squareSize('solve', a);
  // the non-finite-input policy (see assertFinite): NaN in A and NaN in b fail alike, naming the argument
  assertFinite('solve', 'A', a);
  assertFinite('solve', 'b', b);
  return luSolveWith('solve', luFactor(a), b);
}

/**
 * Inverse of a square matrix, solving A X = I by LU with partial pivoting (NumPy `linalg.inv`); batched. A
 * singular matrix throws `SingularMatrixError`. Prefer `solve` to multiplying by an inverse.
 * @public
 */
export function inv(a: NDArray): NDArray {
  const n = squareSize('inv', a);
  return luSolveWith(
    'inv',
    luFactor(a),
    eye(n, n, { dtype: a.dtype as 'float64', backend: a.backend }),
  );
}

/** Sign of each permutation (…,) as ±1, from the parity of its cycles. */
function permutationSign(perm: NDArray, like: NDArray): NDArray {
  const m = perm.shape[perm.ndim - 1]!;
  const p = perm.dataSync() as Int32Array;
  const batch = p.length / Math.max(m, 1);
  const signs = new Float64Array(batch);
  const seen = new Uint8Array(m);
  for (let b = 0; b < batch; b++) {
    seen.fill(0);
    let s = 1;
    for (let i = 0; i < m; i++) {
      if (seen[i]) continue;
      // a cycle of length L contributes (−1)^(L−1)
      let len = 0;
      for (let j = i; !seen[j]; j = p[b * m + j]!) {
        seen[j] = 1;
        len++;
      }
      if (len % 2 === 0) s = -s;
    }
    signs[b] = s;
  }
  return fromFloat64(signs, perm.shape.slice(0, -1), like);
}

/**
 * Determinant from the LU factorisation, det A = sign(P) ∏ uᵢᵢ (NumPy `linalg.det`); batched. May overflow
 * for large matrices: use `slogdet` there.
 * @public
 */
export function det(a: NDArray): NDArray {
  squareSize('det', a);
  // the empty product: det of a 0×0 matrix is 1
  if (a.shape[a.ndim - 1] === 0)
    return fromFloat64(new Float64Array(sizeOfBatch(a)).fill(1), a.shape.slice(0, -2), a);
  const { lu: packed, perm } = luFactor(a);
  return mul(permutationSign(perm, a), prod(batchedDiagonal(packed), { axis: -1 }));
}

function sizeOfBatch(a: NDArray): number {
  return a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

/** Sign and log-magnitude of a determinant. @public */
export interface SlogdetResult {
  /** ±1, or 0 for a singular matrix. */
  sign: NDArray;
  /** log |det A| (−Infinity for a singular matrix). */
  logabsdet: NDArray;
}

/**
 * Sign and natural log of |det A| from the LU factorisation, log|det A| = Σ log|uᵢᵢ| (NumPy `linalg.slogdet`),
 * which neither overflows nor underflows; batched.
 * @public
 */
export function slogdet(a: NDArray): SlogdetResult {
  squareSize('slogdet', a);
  const { lu: packed, perm } = luFactor(a);
  const d = batchedDiagonal(packed);
  return {
    sign: mul(permutationSign(perm, a), prod(sign(d), { axis: -1 })),
    logabsdet: sum(log(abs(d)), { axis: -1 }),
  };
}
