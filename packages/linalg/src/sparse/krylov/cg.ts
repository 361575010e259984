import type { NDArray } from '../../core/ndarray.js';
import type { LinearMap } from '../operator.js';
import {
  type KrylovOptions,
  type KrylovResult,
  apply,
  axpy,
  dot,
  finish,
  norm,
  precondition,
  residual,
  setUp,
} from './common.js';

/**
 * Preconditioned conjugate gradients for a symmetric positive definite A (Hestenes & Stiefel 1952; Saad,
 * Iterative Methods for Sparse Linear Systems, 2nd ed., Alg. 9.1). Minimises the A-norm of the error over the
 * Krylov space; iterations scale with √κ(M⁻¹A). Stops with a message if pᵀAp ≤ 0 (A not positive definite).
 * @example
 * ```ts
 * const A = sparseDiags([-1, 2, -1], [-1, 0, 1], [50, 50]);
 * const { x, converged, iterations } = cg(A, new Float64Array(50).fill(1));
 * ```
 * @public
 */
export function cg(
  a: LinearMap | NDArray,
  b: NDArray | ArrayLike<number>,
  options: KrylovOptions = {},
): KrylovResult {
  const p = setUp('cg', a, b, options);
  const { n, x } = p;
  const r = residual(p, x, new Float64Array(n));
  const z = precondition(p, r, new Float64Array(n));
  const dir = z.slice();
  const Ad = new Float64Array(n);
  let rz = dot(r, z);
  let rnorm = norm(r);
  for (let it = 1; it <= p.maxIter; it++) {
    if (rnorm <= p.tol) return finish(p, it - 1, 'converged');
    apply(p, dir, Ad);
    const dAd = dot(dir, Ad);
    if (!(dAd > 0))
      return finish(
        p,
        it - 1,
        `breakdown: pᵀAp = ${dAd} ≤ 0, the operator is not positive definite (use minres)`,
      );
    const alpha = rz / dAd;
    axpy(alpha, dir, x);
    axpy(-alpha, Ad, r);
    rnorm = norm(r);
    p.callback?.(it, rnorm);
    precondition(p, r, z);
    const rzNew = dot(r, z);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) dir[i] = z[i]! + beta * dir[i]!;
  }
  return finish(
    p,
    p.maxIter,
    `no convergence in ${p.maxIter} iterations (residual ${rnorm.toExponential(2)}); raise maxIter or use a preconditioner`,
  );
}
