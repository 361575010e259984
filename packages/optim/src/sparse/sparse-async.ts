/**
 * The LASSO solvers for parameters on any backend, a GPU's included: `istaAsync`, `fistaAsync`,
 * `lassoAsync`, `elasticNetAsync`. The function (pytree) forms compute f and ∇f (or the residual's Jacobian,
 * for coordinate descent) where the parameters live and read them asynchronously, once per evaluation; the
 * proximal step, the soft threshold and the convergence test run on the host in float64, with the same
 * iterates as the synchronous solvers. The matrix forms read A and b once and solve on the host.
 */
import { type NDArray, fromTypedArray } from '@sciml/linalg';
import type { ObjectiveFn } from '../objective.js';
import { elasticNet, lasso, type SparseResidualOptions, type SparseSolver } from './lasso.js';
import { type SparseOptions, type SparseResult, checkPenalties } from './problem.js';
import { type ProximalOptions, fista, ista } from './proximal-gradient.js';
import { compositeTreeAsync, sparseResidualTreeAsync } from './tree.js';

/** A host float64 copy of an array on any backend (read asynchronously). */
async function onHost(x: NDArray): Promise<NDArray> {
  return fromTypedArray(Float64Array.from((await x.data()) as ArrayLike<number>), x.shape);
}

/** The matrix form: A and b read once, then the synchronous solver on the host. */
async function matrixAsync(
  A: NDArray,
  b: NDArray,
  solve: (A: NDArray, b: NDArray) => SparseResult,
): Promise<SparseResult> {
  const [a, y] = await Promise.all([onHost(A), onHost(b)]);
  return solve(a, y);
}

/**
 * `ista` for parameters on any backend: `istaAsync(f, x0, { lambda })` minimises f(x) + λ‖x‖₁ + (μ/2)‖x‖²
 * for a smooth f of a pytree whose leaves may live on a GPU (float32 included), f and ∇f computed there and
 * read asynchronously; the result has x0's structure, leaves on its backend. `istaAsync(A, b, { lambda })`
 * reads A and b and solves on the host (a float64 CPU result).
 */
export async function istaAsync(
  A: NDArray,
  b: NDArray,
  options: SparseOptions,
): Promise<SparseResult>;
export async function istaAsync<T>(
  f: ObjectiveFn<T>,
  x0: T,
  options: ProximalOptions<T>,
): Promise<SparseResult<T>>;
export async function istaAsync<T>(
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
): Promise<SparseResult<T> | SparseResult> {
  return proximalAsync('istaAsync', first, second, options, false);
}

/**
 * `fista` for parameters on any backend (a GPU's included): the same two forms as `istaAsync`, with
 * FISTA's momentum and restart. For the result, f and ∇f are read once per evaluation.
 * @example
 * ```ts
 * const gpu = await useGpu();
 * const res = await fistaAsync((p: { w: NDArray }) => mul(0.5, sum(square(sub(matmul(X, p.w), y)))), { w: zeros([20], { backend: gpu }) }, { lambda: 0.1 });
 * ```
 */
export async function fistaAsync(
  A: NDArray,
  b: NDArray,
  options: SparseOptions,
): Promise<SparseResult>;
export async function fistaAsync<T>(
  f: ObjectiveFn<T>,
  x0: T,
  options: ProximalOptions<T>,
): Promise<SparseResult<T>>;
export async function fistaAsync<T>(
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
): Promise<SparseResult<T> | SparseResult> {
  return proximalAsync('fistaAsync', first, second, options, true);
}

function proximalAsync<T>(
  op: string,
  first: NDArray | ObjectiveFn<T>,
  second: NDArray | T,
  options: SparseOptions | ProximalOptions<T>,
  accelerated: boolean,
): Promise<SparseResult<T> | SparseResult> {
  if (typeof first === 'function') {
    checkPenalties(op, options);
    return compositeTreeAsync(op, first, second as T, options as ProximalOptions<T>, accelerated);
  }
  const solve = accelerated ? fista : ista;
  return matrixAsync(first, second as NDArray, (A, b) => solve(A, b, options as SparseOptions));
}

/**
 * `lasso` for parameters on any backend: `lassoAsync(r, x0, { lambda })` minimises ½‖r(x)‖² + λ‖x‖₁ for a
 * residual function of a pytree whose leaves may live on a GPU — by FISTA (default) or ISTA, reading f and
 * ∇f asynchronously, or by coordinate descent for an affine r, reading its Jacobian once. The result has
 * x0's structure, leaves on its backend. `lassoAsync(A, b, { lambda })` reads A and b and solves on the host.
 */
export async function lassoAsync(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): Promise<SparseResult>;
export async function lassoAsync<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options: SparseResidualOptions,
): Promise<SparseResult<T>>;
export async function lassoAsync<T>(
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): Promise<SparseResult<T> | SparseResult> {
  return residualAsync('lassoAsync', first, second, { ...options, l2: 0 });
}

/**
 * `elasticNet` for parameters on any backend: ½‖r(x)‖² + λ‖x‖₁ + (μ/2)‖x‖² (μ as `l2`), the same two forms
 * as `lassoAsync`.
 */
export async function elasticNetAsync(
  A: NDArray,
  b: NDArray,
  options: SparseOptions & { solver?: SparseSolver },
): Promise<SparseResult>;
export async function elasticNetAsync<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options: SparseResidualOptions,
): Promise<SparseResult<T>>;
export async function elasticNetAsync<T>(
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): Promise<SparseResult<T> | SparseResult> {
  return residualAsync('elasticNetAsync', first, second, options);
}

function residualAsync<T>(
  op: string,
  first: NDArray | ((params: T) => NDArray),
  second: NDArray | T,
  options: SparseOptions & { solver?: SparseSolver },
): Promise<SparseResult<T> | SparseResult> {
  if (typeof first === 'function') {
    checkPenalties(op, options);
    return sparseResidualTreeAsync(op, first, second as T, options);
  }
  // the synchronous entry point validates the solver and names its own errors
  return matrixAsync(first, second as NDArray, (A, b) =>
    op === 'lassoAsync' ? lasso(A, b, options) : elasticNet(A, b, options),
  );
}
