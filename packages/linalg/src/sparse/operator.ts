import { ShapeError, ValueError } from '../core/errors.js';
import type { NDArray } from '../core/ndarray.js';
import { fromTypedArray } from '../ops/creation.js';
import { type MatrixShape, checkMatrixShape } from './format.js';

/**
 * Anything that multiplies a float64 vector: sparse matrices in every format, {@link LinearOperator}s built from
 * a function, and (through {@link aslinearoperator}) dense matrices. Every iterative solver takes one.
 * @public
 */
export interface LinearMap {
  /** [rows, columns]. */
  readonly shape: MatrixShape;
  /** y = A x, written into `out` when given (length rows) and returned. */
  matvec(x: Float64Array, out?: Float64Array): Float64Array;
  /** y = Aᵀ x when the operator knows its transpose. */
  rmatvec?(x: Float64Array, out?: Float64Array): Float64Array;
}

/** Options of {@link LinearOperator}. @public */
export interface LinearOperatorOptions {
  /** x ↦ Aᵀx, for solvers and products that need the transpose. */
  rmatvec?: (x: Float64Array) => ArrayLike<number>;
}

/**
 * A matrix-free linear operator (SciPy's `LinearOperator`): only the action x ↦ A x is given, so a Jacobian–
 * vector product, a stencil or a product of factors is used without ever forming the matrix.
 * @example
 * ```ts
 * const laplace1d = new LinearOperator([5, 5], (x) => x.map((v, i) => 2 * v - (x[i - 1] ?? 0) - (x[i + 1] ?? 0)));
 * ```
 * @public
 */
export class LinearOperator implements LinearMap {
  /** [rows, columns]. */
  readonly shape: MatrixShape;
  readonly #matvec: (x: Float64Array) => ArrayLike<number>;
  readonly #rmatvec: ((x: Float64Array) => ArrayLike<number>) | undefined;
  /**
   * The action as a function of NDArrays built from @sciml/linalg ops, when the operator was made by
   * {@link LinearOperator.fromFunction}: `spmv`/`spmm` call it, so autodiff sees through the product.
   */
  readonly apply: ((x: NDArray) => NDArray) | undefined;

  /** Wraps `matvec` (x of length columns ↦ y of length rows) as an operator of the given shape. */
  constructor(
    shape: readonly number[],
    matvec: (x: Float64Array) => ArrayLike<number>,
    options: LinearOperatorOptions = {},
  ) {
    this.shape = checkMatrixShape('LinearOperator', shape);
    if (typeof matvec !== 'function')
      throw new ValueError('LinearOperator', 'matvec must be a function');
    this.#matvec = matvec;
    this.#rmatvec = options.rmatvec;
    this.apply = undefined;
  }

  /**
   * A differentiable matrix-free operator: `f` maps a float64 vector NDArray of length columns to one of length
   * rows and is linear, built from @sciml/linalg ops (a stencil, a product of factors, a Jacobian–vector product).
   * The solvers call it through typed arrays; `spmv`/`spmm` call it on NDArrays, so `grad` differentiates the
   * product with respect to x and to anything `f` closes over (JAX's matrix-free `A(x)` convention).
   * @example
   * ```ts
   * const D = LinearOperator.fromFunction([n, n], (x) => mul(theta, x)); // diag(θ), differentiable in θ
   * ```
   */
  static fromFunction(
    shape: readonly number[],
    f: (x: NDArray) => NDArray,
    options: LinearOperatorOptions = {},
  ): LinearOperator {
    if (typeof f !== 'function')
      throw new ValueError('LinearOperator.fromFunction', 'f must be a function');
    const [, n] = checkMatrixShape('LinearOperator.fromFunction', shape);
    const op = new LinearOperator(
      shape,
      (x) => {
        const y = f(fromTypedArray(Float64Array.from(x), [n]));
        if (y.ndim !== 1) {
          throw new ShapeError(
            'LinearOperator.fromFunction',
            `f returned shape [${y.shape.join(', ')}], expected a vector`,
          );
        }
        return y.dataSync() as ArrayLike<number>;
      },
      options,
    );
    (op as { apply: ((x: NDArray) => NDArray) | undefined }).apply = f;
    return op;
  }

  /** y = A x. */
  matvec(x: Float64Array, out = new Float64Array(this.shape[0])): Float64Array {
    checkVector('LinearOperator.matvec', x, this.shape[1]);
    return copyResult('LinearOperator.matvec', this.#matvec(x), out);
  }

  /** y = Aᵀ x (throws when no `rmatvec` was given). */
  rmatvec(x: Float64Array, out = new Float64Array(this.shape[1])): Float64Array {
    if (!this.#rmatvec) {
      throw new ValueError(
        'LinearOperator.rmatvec',
        'this operator has no transpose; pass { rmatvec } when constructing it',
      );
    }
    checkVector('LinearOperator.rmatvec', x, this.shape[0]);
    return copyResult('LinearOperator.rmatvec', this.#rmatvec(x), out);
  }
}

function copyResult(op: string, y: ArrayLike<number>, out: Float64Array): Float64Array {
  if (y.length !== out.length)
    throw new ShapeError(op, `the function returned ${y.length} values, expected ${out.length}`);
  if (y !== out) for (let i = 0; i < out.length; i++) out[i] = y[i]!;
  return out;
}

/** Throws a ShapeError unless `x` has length `n`. */
export function checkVector(op: string, x: ArrayLike<number>, n: number): void {
  if (x.length !== n) throw new ShapeError(op, `expected a vector of length ${n}, got ${x.length}`);
}

/** Whether `a` has the {@link LinearMap} shape (sparse matrix or operator). @public */
export function isLinearMap(a: unknown): a is LinearMap {
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof (a as LinearMap).matvec === 'function' &&
    Array.isArray((a as LinearMap).shape)
  );
}

/**
 * A {@link LinearMap} for a sparse matrix, an operator (returned as is) or a dense 2-D float NDArray (its values
 * are copied once, so later changes to the NDArray are not seen).
 * @public
 */
export function aslinearoperator(a: LinearMap | NDArray): LinearMap {
  if (isLinearMap(a)) return a;
  const m = a as NDArray;
  if (m.ndim !== 2)
    throw new ShapeError(
      'aslinearoperator',
      `expected a 2-D matrix, got shape [${m.shape.join(', ')}]`,
    );
  const [rows, cols] = [m.shape[0]!, m.shape[1]!];
  const v = Float64Array.from(m.dataSync() as ArrayLike<number>);
  return new LinearOperator(
    [rows, cols],
    (x) => {
      const y = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += v[i * cols + j]! * x[j]!;
        y[i] = s;
      }
      return y;
    },
    {
      rmatvec: (x) => {
        const y = new Float64Array(cols);
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < cols; j++) y[j]! += v[i * cols + j]! * x[i]!;
        return y;
      },
    },
  );
}
