import { NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { Objective, type ObjectiveFn, runAsync } from '../objective.js';
import { flatValueAndGrad, flattenParamsAsync, isVectorStart } from '../pytree.js';
import type { OptimizeResult } from '../result.js';
import { startVector } from '../start.js';
import {
  FIRST_ORDER_METHODS,
  type MinimizeConfig,
  finish$,
  firstOrderSteps,
  methodOf,
} from './minimize.js';

/**
 * `minimize` for parameters on any backend, a GPU's included: the same first-order methods ('lbfgs' by
 * default, 'gd', 'cg', 'bfgs', 'l-bfgs-b', 'projected-gradient'), with the same iterates, but f and ∇f are
 * read with the backend's asynchronous read — two scalars' worth of waiting per evaluation, never per op.
 * f and its gradient are computed where the parameters live; the iterate itself is a float64 host vector
 * (as in SciPy), uploaded in the leaves' dtype for each evaluation. The result's leaves live on the start
 * value's backend.
 * @example
 * ```ts
 * const gpu = await useGpu();
 * const res = await minimizeAsync((p: { w: NDArray }) => sum(square(sub(matmul(X, p.w), y))), { w: zeros([3], { backend: gpu }) });
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
  if (!FIRST_ORDER_METHODS.includes(method))
    throw new ValueError(
      op,
      `method '${method}' needs Hessians on the host and runs only in the synchronous minimize; choose one of ${FIRST_ORDER_METHODS.map((m) => `'${m}'`).join(', ')}`,
    );
  const tree = (
    isVectorStart(x0) && !(x0 instanceof NDArray) ? fromTypedArray(Float64Array.from(x0)) : x0
  ) as T;
  const p = await flattenParamsAsync(tree);
  const start = startVector(op, p.x0);
  const fVec: ObjectiveFn = (x) => f(p.unravel(x));
  const { jac } = config;
  const obj = new Objective(
    start.length,
    fVec,
    flatValueAndGrad(op, f, p, config),
    undefined,
    jac && !config.valueAndGrad ? (x) => p.ravel(jac(p.unravel(x))) : undefined,
  );
  const steps = firstOrderSteps(method, obj, start, config);
  const out = await runAsync(steps!, obj);
  const res = await runAsync(finish$(out, obj, start), obj);
  return {
    ...res,
    x: p.toTree(res.x.dataSync() as Float64Array),
    grad: p.toTree(res.grad.dataSync() as Float64Array),
  };
}
