import { hessian, jacobian, valueAndGrad } from '@sciml/autodiff';
import { type NDArray, ValueError } from '@sciml/linalg';
import type { HessianFn, ObjectiveFn, ValueAndGradFn } from './objective.js';

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
