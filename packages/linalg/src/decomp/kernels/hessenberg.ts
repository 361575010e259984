/**
 * Householder reduction to upper Hessenberg form, A = Q H Qᵀ (Golub & Van Loan 4th ed., Alg. 7.4.2; LAPACK
 * `dgehd2`), with Q formed by blocked backward accumulation.
 */
import { applyLeft, applyRight, makeReflector, reflectorVector } from './householder.js';
import { applyReflectorsBackward } from './wy.js';

/** Overwrites the n×n row-major `a` with H (zeros below the sub-diagonal) and returns Q (n×n). */
export function hessenberg(a: Float64Array, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const taus = new Float64Array(Math.max(n - 2, 0));
  const w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const len = n - k - 1;
    const tau = makeReflector(a, (k + 1) * n + k, n, len);
    taus[k] = tau;
    const v = reflectorVector(a, (k + 1) * n + k, n, len);
    vs.push(v);
    for (let i = k + 2; i < n; i++) a[i * n + k] = 0;
    // H ← P H P with P = I − τ v vᵀ acting on indices k+1…
    applyLeft(a, n, k + 1, len, k + 1, n, v, tau, w);
    applyRight(a, n, 0, n, k + 1, len, v, tau);
  }
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  applyReflectorsBackward(Q, n, n, { vs, taus }, 1);
  return Q;
}
