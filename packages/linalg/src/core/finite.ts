/**
 * The one non-finite-input policy of @sciml (linalg, autodiff, optim, physics), and its check.
 */
import { NotFiniteError, formatShape } from './errors.js';
import type { NDArray } from './ndarray.js';

/**
 * Throws `NotFiniteError` naming `op`, the argument and the first offending position when `x` holds NaN or
 * ±Infinity; does nothing for integer/bool arrays, or for arrays whose values cannot be read synchronously
 * (device memory, a tracing backend), which the routines' own kernels check when they run.
 *
 * @remarks
 * **The non-finite-input policy** (one rule for linalg, autodiff, optim and physics):
 *
 * 1. *Arithmetic propagates.* Elementwise ops, reductions, `matmul` and everything composed from them follow
 *    IEEE 754 as NumPy and JAX do: NaN in, NaN out, unchecked (a check per op would double the cost of the
 *    cheapest ops, and NaN is a legitimate value there).
 * 2. *Routines reject.* A factorisation, solver or decomposition (`solve`, `inv`, `lstsq`, `cholesky`, `lu`,
 *    `qr`, `eig`, `eigh`, `svd`, `pinv`, ...) checks every floating input — the matrix and the right-hand side
 *    alike — and throws `NotFiniteError` naming the public function, the argument and the position. A
 *    routine never returns a silent NaN, and never answers differently for NaN in A and NaN in b.
 * 3. *Derivatives are taken at finite points.* `grad`, `valueAndGrad`, `jacobian`, `hessian`, `jvp` and `vjp`
 *    check the arguments they differentiate with respect to: at a non-finite point the derivative is
 *    undefined, and IEEE propagation through forward and reverse mode would give a pattern of NaNs that
 *    depends on the evaluation order (an asymmetric Hessian). Non-differentiated arguments are not checked.
 * 4. *Iterative algorithms stop with an error, not with NaN.* Optimisers validate their hyper-parameters
 *    (a `ValueError` for NaN, negative or out-of-range values) and treat a non-finite gradient by their
 *    `nonFinite` option (`'error'` by default: `NotFiniteError` naming the step and the leaf; `'skip'`
 *    leaves parameters and state unchanged and counts the skip). `minimize`, `leastSquares` and `solveIVP`
 *    reject a non-finite start and report a non-finite objective, residual or right-hand side met on the
 *    way as an error naming the iteration or time.
 *
 * @example
 * ```ts
 * assertFinite('myRoutine', 'b', array([1, NaN])); // NotFiniteError: myRoutine: b (2,) holds NaN at index 1
 * ```
 * @public
 */
export function assertFinite(op: string, name: string, x: NDArray): void {
  const at = findNonFinite(x);
  if (at === undefined) return;
  throw new NotFiniteError(
    op,
    `${name} ${formatShape(x.shape)} holds ${at.value} at ${positionOf(at.index, x.shape)}; remove or replace NaN/Infinity first`,
  );
}

/**
 * The first NaN or ±Infinity of `x` (flat index and value), or undefined when there is none — or when `x`
 * is an integer/bool array or its values cannot be read synchronously now (device memory, a tracing
 * backend). The scan behind {@link assertFinite}, for callers with their own policy (an optimiser skipping
 * a step).
 * @public
 */
export function findNonFinite(x: NDArray): { index: number; value: number } | undefined {
  if (x.dtype !== 'float64' && x.dtype !== 'float32') return undefined;
  const read = x.backend.downloadSync;
  if (!read) return undefined;
  let data: ArrayLike<number>;
  try {
    data = read.call(x.backend, x.handle, x.dtype, x.size);
  } catch {
    return undefined; // no values yet (a tracing backend): the routine's kernel checks them when it runs
  }
  for (let e = 0; e < data.length; e++)
    if (!Number.isFinite(data[e]!)) return { index: e, value: data[e]! };
  return undefined;
}

/** A flat index as `index i` (vectors), `row i, column j` (matrices) or `[i, j, k]`. */
export function positionOf(flat: number, shape: readonly number[]): string {
  if (shape.length <= 1) return `index ${flat}`;
  const idx: number[] = [];
  let rest = flat;
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax]!;
    idx.unshift(d === 0 ? 0 : rest % d);
    rest = d === 0 ? 0 : Math.floor(rest / d);
  }
  return shape.length === 2 ? `row ${idx[0]}, column ${idx[1]}` : `[${idx.join(', ')}]`;
}
