import { type PyTree, grad, hessian, jacobian, jvp, valueAndGrad } from '@sciml/autodiff';
import { type NDArray, ValueError } from '@sciml/linalg';
import type { HessVecFn, HessianFn, ObjectiveFn } from './objective.js';

/** ∇f by reverse-mode autodiff, for objectives built from @sciml/linalg ops (of a vector or a pytree). */
export function autodiffValueAndGrad<T extends PyTree = NDArray>(
  f: (x: T) => NDArray | number,
  op = 'minimize',
): (x: T) => [NDArray, T] {
  const vg = valueAndGrad((x: T) => {
    const v = f(x);
    if (typeof v === 'number') {
      throw new ValueError(
        op,
        `the objective returned the plain number ${v}, which autodiff cannot differentiate: build it from @sciml/linalg ops and return the scalar NDArray, or pass its gradient as \`jac\` (or \`valueAndGrad\`)`,
      );
    }
    return v;
  });
  return (x) => vg(x) as unknown as [NDArray, T];
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
