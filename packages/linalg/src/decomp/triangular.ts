import { bind } from '../core/dispatch.js';
import { ShapeError, SingularMatrixError, formatShape } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { reshape } from '../ops/index.js';
import { squareSize } from './util.js';

/** Options of {@link solveTriangular}. */
export interface TriangularSolveOptions {
  /** Use the lower triangle of A (default true); the other triangle is never read. */
  lower?: boolean;
  /** Solve Aᵀ X = B instead of A X = B (default false). */
  trans?: boolean;
  /** Assume ones on the diagonal of A without reading it (default false). */
  unitDiagonal?: boolean;
}

/**
 * Solves A X = B (or Aᵀ X = B) for triangular A by forward or back substitution (Golub & Van Loan 4th ed.,
 * §3.1), like SciPy's `solve_triangular`. `b` may be a vector (n,) or a batch of matrices (…, n, k); batch
 * axes broadcast. A zero on the diagonal throws `SingularMatrixError`.
 * @public
 */
export function solveTriangular(
  a: NDArray,
  b: NDArray,
  options: TriangularSolveOptions = {},
): NDArray {
  return triangularSolveRhs('solveTriangular', a, b, {
    lower: options.lower ?? true,
    transA: options.trans ?? false,
    unitDiagonal: options.unitDiagonal ?? false,
  });
}

/**
 * The `triangularSolve` primitive with vector right-hand sides allowed (n,) → (n, 1) → (n,), and errors
 * renamed to `op`.
 */
export function triangularSolveRhs(
  op: string,
  a: NDArray,
  b: NDArray,
  params: { lower: boolean; transA: boolean; unitDiagonal: boolean },
): NDArray {
  const n = squareSize(op, a);
  const isVector = b.ndim === 1;
  if (b.ndim === 0 || (isVector ? b.shape[0] : b.shape[b.ndim - 2]) !== n) {
    throw new ShapeError(
      op,
      `A is ${formatShape(a.shape)} but b has shape ${formatShape(b.shape)}; b must be (${n},) or (…, ${n}, k)`,
    );
  }
  const B = isVector ? reshape(b, [n, 1]) : b;
  let x: NDArray;
  try {
    x = bind('triangularSolve', [a, B], params)[0]!;
  } catch (e) {
    if (e instanceof SingularMatrixError && e.op !== op)
      throw new SingularMatrixError(op, e.message.slice(e.op.length + 2));
    throw e;
  }
  return isVector ? reshape(x, x.shape.slice(0, -1)) : x;
}

/** Solves L Lᵀ X = B with two triangular solves (shared by `choSolve` and Cholesky-based callers). */
export function cholSolveWith(op: string, L: NDArray, b: NDArray): NDArray {
  const y = triangularSolveRhs(op, L, b, { lower: true, transA: false, unitDiagonal: false });
  return triangularSolveRhs(op, L, y, { lower: true, transA: true, unitDiagonal: false });
}
