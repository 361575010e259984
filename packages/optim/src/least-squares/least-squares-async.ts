import {
  type NDArray,
  NDArray as NDArrayClass,
  ValueError,
  fromTypedArray,
  ravel,
  scope,
} from '@sciml/linalg';
import { autodiffJacobian } from '../autodiff.js';
import { checkMaxIter } from '../minimize/common.js';
import { flattenParamsAsync, isVectorStart } from '../pytree.js';
import { startVector } from '../start.js';
import {
  type LeastSquaresOptions,
  type LeastSquaresResult,
  type ResidualFn,
  checkedJacobian,
  leastSquares,
  lmResult,
  lmSettings,
  lsqMethod,
  residualNotFinite,
} from './least-squares.js';
import { type LsqRequest, levenbergMarquardt$ } from './lm.js';

/** All values of an array, read asynchronously (a GPU's included), as float64. */
async function readAll(v: NDArray): Promise<Float64Array> {
  return Float64Array.from((await v.data()) as ArrayLike<number>);
}

/**
 * `leastSquares` for parameters on any backend, a GPU's included: Levenberg–Marquardt ('lm', the default)
 * or Gauss–Newton with the same iterates as `leastSquares`, but the residual and its Jacobian are computed
 * where the parameters live (autodiff's forward-mode `jacobian` of the flattened residual, unless `jac` is
 * given) and read with the backend's asynchronous read, once per evaluation. The small n×n normal equations
 * are solved on the host in float64 (as SciPy does), so a float32 GPU residual costs no accuracy in the
 * step itself. Temporaries of each evaluation are freed when it has been read. The result's `x` and `grad`
 * have the start value's structure, leaves on its backend; `fun`, `jac` and `covariance` are host float64.
 * Method 'trf' (bounds, robust losses) runs on the host only: for parameters that can be read synchronously
 * it is `leastSquares` itself, and it is refused for GPU parameters.
 * @example
 * ```ts
 * const gpu = await useGpu();
 * const t = linspace(0, 1, 20, { backend: gpu });
 * const data = mul(2, exp(mul(-3, t)));
 * const fit = await leastSquaresAsync(
 *   (p: { a: NDArray; k: NDArray }) => sub(mul(p.a, exp(mul(p.k, t))), data),
 *   { a: ones([], { backend: gpu }), k: full([], -1, { backend: gpu }) },
 * );
 * ```
 */
export async function leastSquaresAsync(
  residual: ResidualFn,
  x0: NDArray | ArrayLike<number>,
  options?: LeastSquaresOptions,
): Promise<LeastSquaresResult>;
export async function leastSquaresAsync<T>(
  residual: (params: T) => NDArray,
  x0: T,
  options?: LeastSquaresOptions,
): Promise<LeastSquaresResult<T>>;
export async function leastSquaresAsync<T>(
  residual: (params: T) => NDArray,
  x0: T | ArrayLike<number>,
  options: LeastSquaresOptions = {},
): Promise<LeastSquaresResult<T>> {
  const op = 'leastSquaresAsync';
  checkMaxIter(op, options.maxIter);
  const method = lsqMethod(options);
  const tree = (
    isVectorStart(x0) && !(x0 instanceof NDArrayClass)
      ? fromTypedArray(Float64Array.from(x0 as ArrayLike<number>))
      : x0
  ) as T;
  const p = await flattenParamsAsync(tree);
  if (method === 'trf') {
    if (p.syncReadable) return leastSquares(residual, tree, options) as LeastSquaresResult<T>;
    throw new ValueError(
      op,
      "method 'trf' (bounds, robust losses, xScale) runs on the host only; use method 'lm' or 'gauss-newton' for parameters on a GPU, or move them to the CPU with 'await toBackendAsync(x, \"cpu\")' and call leastSquares",
    );
  }
  const start = startVector(op, p.x0);
  const n = start.length;
  // r as a function of one flat array on the parameters' backend, so autodiff sees every op on the device
  const flatResidual = (v: NDArray): NDArray => ravel(residual(p.unravelFlat(v)));
  const { jac } = options;
  const jacobianAt = jac
    ? (x: Float64Array) => jac(fromTypedArray(x.slice()))
    : (x: Float64Array) => autodiffJacobian(flatResidual)(p.upload(x));
  let m = -1;
  const answer = (req: LsqRequest): Promise<Float64Array> =>
    scope(async () => {
      if (req.kind === 'residual') {
        const out = flatResidual(p.upload(req.x));
        if (m < 0) m = out.size;
        if (out.size !== m) throw new ValueError(op, `expected ${m} values, got ${out.size}`);
        return readAll(out);
      }
      return readAll(checkedJacobian(jacobianAt(req.x), req.m, n));
    });
  const steps = levenbergMarquardt$(start, lmSettings(method, options), residualNotFinite);
  let next = steps.next();
  while (!next.done) next = steps.next(await answer(next.value));
  const res = lmResult(next.value, n);
  return {
    ...res,
    x: p.toTree(next.value.x),
    grad: p.toTree(next.value.Jtr),
  };
}
