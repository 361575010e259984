import { activeOpObservers } from '../core/dispatch.js';
import { ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { astype, mul } from '../ops/elementwise.js';
import { reshape, scatterAdd, stack, take } from '../ops/shape.js';
import type { SparseMatrix } from './coo.js';
import type { CsrMatrix } from './csr.js';
import type { LinearMap } from './operator.js';

/** Options of {@link spmv} / {@link spmm}. @public */
export interface SparseProductOptions {
  /**
   * Stored values to use instead of the matrix's own (an NDArray of length nnz in the matrix's CSR order), so
   * that autodiff differentiates the product with respect to them.
   */
  values?: NDArray;
}

const rowIds = new WeakMap<CsrMatrix, NDArray>();
// CSC/COO operands are converted once: sparse matrices are immutable values, so the CSR form can be reused
const asCsr = new WeakMap<SparseMatrix, CsrMatrix>();
function csrOf(a: SparseMatrix): CsrMatrix {
  if (a.format === 'csr') return a;
  let c = asCsr.get(a);
  if (!c) {
    c = a.toCsr();
    asCsr.set(a, c);
  }
  return c;
}

/** Row index of each stored entry (the expansion of indptr), cached per matrix. */
function rowIndexArray(a: CsrMatrix): NDArray {
  let r = rowIds.get(a);
  if (!r) {
    const rows = new Int32Array(a.nnz);
    for (let i = 0; i < a.shape[0]; i++) rows.fill(i, a.indptr[i]!, a.indptr[i + 1]!);
    r = fromTypedArray(rows);
    rowIds.set(a, r);
  }
  return r;
}

/**
 * y = A x for a sparse A and a dense NDArray x of shape [n] (or X of shape [n, k]); differentiable with respect
 * to x and to `options.values`. Outside any autodiff transform, on the CPU in float64, it runs the CSR typed-
 * array loop; while a transform is recording (or on another backend/dtype) it is composed from the `gather`,
 * `mul` and `scatterAdd` primitives — y = scatterAdd(values ⊙ x[cols], rows) — whose rules give
 * ∂/∂x = Aᵀȳ (a gather's transpose is a scatter-add) and ∂/∂values_k = ȳ[row_k]·x[col_k], to any order,
 * in O(nnz) with no new primitive.
 * @example
 * ```ts
 * const A = sparseDiags([-1, 2, -1], [-1, 0, 1], [3, 3]);
 * const y = spmv(A, array([1, 2, 3])); // [0, 0, 4]
 * ```
 * @public
 */
export function spmv(
  a: SparseMatrix | LinearMap,
  x: NDArray,
  options: SparseProductOptions = {},
): NDArray {
  if (x.ndim !== 1)
    throw new ShapeError(
      'spmv',
      `x must be a vector, got shape [${x.shape.join(', ')}]; use spmm for matrices`,
    );
  if (!isSparse(a)) return operatorProduct('spmv', a, x, options);
  return sparseProduct('spmv', csrOf(a), x, options);
}

/**
 * Y = A X for a sparse A (m×n) and a dense NDArray X of shape [n, k]; differentiable like {@link spmv}. A
 * matrix-free operator is applied column by column (not differentiable).
 * @public
 */
export function spmm(
  a: SparseMatrix | LinearMap,
  x: NDArray,
  options: SparseProductOptions = {},
): NDArray {
  if (x.ndim !== 2)
    throw new ShapeError(
      'spmm',
      `X must be a matrix, got shape [${x.shape.join(', ')}]; use spmv for vectors`,
    );
  if (!isSparse(a)) return operatorProduct('spmm', a, x, options);
  return sparseProduct('spmm', csrOf(a), x, options);
}

function isSparse(a: SparseMatrix | LinearMap): a is SparseMatrix {
  const f = (a as { format?: unknown }).format;
  return f === 'csr' || f === 'csc' || f === 'coo';
}

/**
 * A matrix-free operator times a CPU float64 NDArray. It has no stored entries for the gather/scatter
 * composition, so autodiff cannot see through it: under a transform it is an error, not a silent zero gradient.
 */
function operatorProduct(
  op: string,
  a: LinearMap,
  x: NDArray,
  options: SparseProductOptions,
): NDArray {
  const [m, n] = a.shape;
  if (x.shape[0] !== n) {
    throw new ShapeError(
      op,
      `a ${m}×${n} operator times an operand of shape [${x.shape.join(', ')}]: the first axis must be ${n}`,
    );
  }
  if (options.values)
    throw new ValueError(
      op,
      'a matrix-free operator has no stored values to replace; pass a sparse matrix',
    );
  const apply = (a as { apply?: (x: NDArray) => NDArray }).apply;
  if (typeof apply === 'function') return applyColumns(op, apply, x, m);
  if (activeOpObservers().length > 0 || x.backend.name !== 'cpu' || x.dtype !== 'float64') {
    throw new ValueError(
      op,
      'a matrix-free LinearOperator cannot be differentiated or traced (it has no stored entries); use a sparse matrix, or wrap the product in customVjp with its rmatvec',
    );
  }
  const xd = x.dataSync() as Float64Array;
  if (x.ndim === 1) return fromTypedArray(a.matvec(xd), [m]);
  const k = x.shape[1]!;
  const out = new Float64Array(m * k);
  const col = new Float64Array(n);
  const y = new Float64Array(m);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) col[i] = xd[i * k + c]!;
    a.matvec(col, y);
    for (let i = 0; i < m; i++) out[i * k + c] = y[i]!;
  }
  return fromTypedArray(out, [m, k]);
}

/** A differentiable operator's NDArray action on a vector, or on each column of a matrix (stacked back). */
function applyColumns(op: string, f: (x: NDArray) => NDArray, x: NDArray, m: number): NDArray {
  const check = (y: NDArray): NDArray => {
    if (y.ndim !== 1 || y.shape[0] !== m) {
      throw new ShapeError(
        op,
        `the operator's function returned shape [${y.shape.join(', ')}], expected [${m}]`,
      );
    }
    return y;
  };
  if (x.ndim === 1) return check(f(x));
  const k = x.shape[1]!;
  const cols = Array.from({ length: k }, (_, c) =>
    check(f(reshape(take(x, [c], 1), [x.shape[0]!]))),
  );
  return stack(cols, { axis: 1 });
}

function sparseProduct(
  op: string,
  A: CsrMatrix,
  x: NDArray,
  options: SparseProductOptions,
): NDArray {
  const [m, n] = A.shape;
  if (x.shape[0] !== n) {
    throw new ShapeError(
      op,
      `a ${m}×${n} matrix times an operand of shape [${x.shape.join(', ')}]: the first axis must be ${n}`,
    );
  }
  const { values } = options;
  if (values && (values.ndim !== 1 || values.shape[0] !== A.nnz)) {
    throw new ShapeError(
      op,
      `values must have shape [${A.nnz}] (one per stored entry), got [${values.shape.join(', ')}]`,
    );
  }
  const k = x.ndim === 2 ? x.shape[1]! : 1;
  const fast =
    activeOpObservers().length === 0 &&
    x.backend.name === 'cpu' &&
    x.dtype === 'float64' &&
    (!values || (values.backend.name === 'cpu' && values.dtype === 'float64'));
  if (fast) {
    const B = values ? A.withData(values.dataSync() as Float64Array) : A;
    const xd = x.dataSync() as Float64Array;
    const out = k === 1 && x.ndim === 1 ? B.matvec(xd) : B.matmat(xd, k);
    return fromTypedArray(out, x.ndim === 1 ? [m] : [m, k]);
  }
  // index arrays and default values are constants: on a tracing backend they stay on the CPU and are captured
  const home = x.backend.traceDepth !== undefined ? 'cpu' : x.backend;
  const onHome = (t: Int32Array | Float64Array) => fromTypedArray(t, [A.nnz], { backend: home });
  const vals = astype(values ?? onHome(A.data.slice()), x.dtype);
  const gathered = take(x, onHome(A.indices), 0);
  const scaled = mul(x.ndim === 1 ? vals : reshape(vals, [A.nnz, 1]), gathered);
  const rows =
    home === 'cpu' || home.name === 'cpu'
      ? rowIndexArray(A)
      : onHome(rowIndexArray(A).dataSync() as Int32Array);
  return scatterAdd(scaled, rows, x.ndim === 1 ? [m] : [m, k], 0);
}
