import { grad, hessian, jacobian, jvp, valueAndGrad } from '@sciml/autodiff';
import { type NDArray, ValueError } from '@sciml/linalg';
import type { HessVecFn, HessianFn, ObjectiveFn, ValueAndGradFn } from './objective.js';

/** ∇f by reverse-mode autodiff, for objectives built from @sciml/linalg ops. */
export function autodiffValueAndGrad(f: ObjectiveFn): ValueAndGradFn {
  const vg = valueAndGrad((x: NDArray) => {
    const v = f(x);
    if (typeof v === 'number') {
      throw new ValueError(
        'minimize',
        'an objective returning a plain number cannot be differentiated; return an NDArray built from @sciml/linalg ops, or pass `jac`',
      );
    }
    return v;
  });
  return (x) => vg(x) as [NDArray, NDArray];
}

/** ∇²f by autodiff (forward-over-reverse). */
export function autodiffHessian(f: ObjectiveFn): HessianFn {
  return hessian(f as (x: NDArray) => NDArray) as HessianFn;
}

/** ∂r/∂x by autodiff (`jacobian`, forward or reverse by shape). */
export function autodiffJacobian(r: (x: NDArray) => NDArray): (x: NDArray) => NDArray {
  return jacobian(r) as (x: NDArray) => NDArray;
}

/**
 * ∇²f(x)·v by forward-over-reverse autodiff, jvp(∇f)(x; v) (Pearlmutter 1994, "Fast exact multiplication by
 * the Hessian"): one gradient's cost, the Hessian is never formed.
 */
export function autodiffHessVec(f: ObjectiveFn): HessVecFn {
  const g = grad(f as (x: NDArray) => NDArray);
  return (x, v) => jvp((y: NDArray) => g(y) as NDArray, [x], [v])[1] as NDArray;
}
