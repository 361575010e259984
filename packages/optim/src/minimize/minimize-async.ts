import { NDArray, fromTypedArray } from '@sciml/linalg';
import { Objective, type ObjectiveFn, runAsync } from '../objective.js';
import { flatValueAndGrad, flattenParamsAsync, isVectorStart } from '../pytree.js';
import type { OptimizeResult } from '../result.js';
import { startVector } from '../start.js';
import {
  type MinimizeConfig,
  finish$,
  methodOf,
  methodSteps,
  treeSecondOrder,
  valueSlack,
} from './minimize.js';

/**
 * `minimize` for parameters on any backend, a GPU's included: every method of `minimize` ('lbfgs' by
 * default; the second-order 'newton', 'newton-cg', 'trust-ncg', 'trust-krylov', 'dogleg' and 'sr1' too),
 * with the same iterates, but f, ∇f, Hessian–vector products and Hessians are computed where the parameters
 * live (autodiff, forward-over-reverse for the second derivatives, unless `jac`/`hess`/`hessp` are given) and
 * read with the backend's asynchronous read, once per evaluation, never per op. The iterate and the small
 * dense linear algebra (the modified Cholesky of Newton, the CG and Lanczos recurrences, the trust-region
 * subproblems) stay on the host in float64 (as in SciPy), so float32 device values cost no accuracy in the
 * step itself. Each evaluation runs in its own `scope`: its temporaries are freed once its values are read
 * (so `f` must not cache arrays it creates). The result's leaves live on the start value's backend.
 * @example
 * ```ts
 * const gpu = await useGpu();
 * const res = await minimizeAsync((p: { w: NDArray }) => sum(square(sub(matmul(X, p.w), y))), { w: zeros([3], { backend: gpu }) });
 * const newton = await minimizeAsync(loss, params, { method: 'trust-krylov' });
 * ```
 */
export async function minimizeAsync(
  f: ObjectiveFn,
  x0: NDArray | ArrayLike<number>,
  config?: MinimizeConfig,
): Promise<OptimizeResult>;
export async function minimizeAsync<T>(
  f: ObjectiveFn<T>,
  x0: T,
  config?: MinimizeConfig<T>,
): Promise<OptimizeResult<T>>;
export async function minimizeAsync<T>(
  f: ObjectiveFn<T>,
  x0: T,
  config: MinimizeConfig<T> = {},
): Promise<OptimizeResult<T>> {
  const op = 'minimizeAsync';
  const method = methodOf(config);
  const tree = (
    isVectorStart(x0) && !(x0 instanceof NDArray) ? fromTypedArray(Float64Array.from(x0)) : x0
  ) as T;
  const p = await flattenParamsAsync(tree);
  const start = startVector(op, p.x0);
  const fVec: ObjectiveFn = (x) => f(p.unravel(x));
  const { jac } = config;
  const { hess, hessp } = treeSecondOrder(f, p, config);
  const obj = new Objective(
    start.length,
    fVec,
    flatValueAndGrad(op, f, p, config),
    hess,
    jac && !config.valueAndGrad ? (x) => p.ravel(jac(p.unravel(x))) : undefined,
    hessp,
  );
  obj.valueSlack = valueSlack(p.dtype);
  const steps = methodSteps(method, obj, start, config);
  const out = await runAsync(steps, obj);
  const res = await runAsync(finish$(out, obj, start), obj);
  return {
    ...res,
    x: p.toTree(res.x.dataSync() as Float64Array),
    grad: p.toTree(res.grad.dataSync() as Float64Array),
  };
}
