import type { NDArray } from '../../core/ndarray.js';
import type { LinearMap } from '../operator.js';
import {
  type KrylovOptions,
  type KrylovResult,
  apply,
  dot,
  finish,
  norm,
  precondition,
  residual,
  setUp,
} from './common.js';

/**
 * BiCGSTAB for general square A (van der Vorst 1992, SIAM J. Sci. Stat. Comput. 13(2); Saad, Iterative Methods,
 * Alg. 7.7), right-preconditioned: two products with A per iteration, short recurrences, smoother convergence
 * than BiCG. Reports a breakdown (ρ = 0 or ω = 0) instead of dividing by zero.
 * @public
 */
export function bicgstab(
  a: LinearMap | NDArray,
  b: NDArray | ArrayLike<number>,
  options: KrylovOptions = {},
): KrylovResult {
  const p = setUp('bicgstab', a, b, options);
  const { n, x } = p;
  const r = residual(p, x, new Float64Array(n));
  const rhat = r.slice();
  const dir = new Float64Array(n);
  const v = new Float64Array(n);
  const phat = new Float64Array(n);
  const s = new Float64Array(n);
  const shat = new Float64Array(n);
  const t = new Float64Array(n);
  let rho = 1;
  let alpha = 1;
  let omega = 1;
  let rnorm = norm(r);
  for (let it = 1; it <= p.maxIter; it++) {
    if (rnorm <= p.tol) return finish(p, it - 1, 'converged');
    const rhoNew = dot(rhat, r);
    if (rhoNew === 0) return finish(p, it - 1, 'breakdown: ρ = r̂ᵀr = 0 (restart with another x0)');
    const beta = (rhoNew / rho) * (alpha / omega);
    rho = rhoNew;
    for (let i = 0; i < n; i++) dir[i] = r[i]! + beta * (dir[i]! - omega * v[i]!);
    precondition(p, dir, phat);
    apply(p, phat, v);
    const rv = dot(rhat, v);
    if (rv === 0) return finish(p, it - 1, 'breakdown: r̂ᵀv = 0');
    alpha = rho / rv;
    for (let i = 0; i < n; i++) s[i] = r[i]! - alpha * v[i]!;
    if (norm(s) <= p.tol) {
      for (let i = 0; i < n; i++) x[i]! += alpha * phat[i]!;
      p.callback?.(it, norm(s));
      return finish(p, it, 'converged');
    }
    precondition(p, s, shat);
    apply(p, shat, t);
    const tt = dot(t, t);
    omega = tt === 0 ? 0 : dot(t, s) / tt;
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * phat[i]! + omega * shat[i]!;
      r[i] = s[i]! - omega * t[i]!;
    }
    rnorm = norm(r);
    p.callback?.(it, rnorm);
    if (omega === 0)
      return finish(p, it, 'breakdown: ω = 0 (the stabilising step made no progress)');
  }
  return finish(
    p,
    p.maxIter,
    `no convergence in ${p.maxIter} iterations (residual ${rnorm.toExponential(2)}); raise maxIter or precondition`,
  );
}
