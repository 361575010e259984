import type { NDArray } from '../../core/ndarray.js';
import { ValueError } from '../../core/errors.js';
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

/** Options of {@link gmres}. @public */
export interface GmresOptions extends KrylovOptions {
  /** Krylov dimension before a restart, m in GMRES(m) (default min(30, n)). */
  restart?: number;
}

/**
 * Restarted GMRES(m) for general square A (Saad & Schultz 1986, SIAM J. Sci. Stat. Comput. 7(3); Saad, Iterative
 * Methods, Alg. 6.9): Arnoldi with modified Gram–Schmidt and Givens rotations, minimising ‖b − A x‖₂ over each
 * m-dimensional Krylov space. Preconditioned on the right (A M⁻¹ u = b, x = M⁻¹u), so the residual it
 * minimises and tests is the true one.
 * @public
 */
export function gmres(
  a: LinearMap | NDArray,
  b: NDArray | ArrayLike<number>,
  options: GmresOptions = {},
): KrylovResult {
  const p = setUp('gmres', a, b, options);
  const { n, x } = p;
  const m = Math.min(options.restart ?? 30, Math.max(n, 1));
  if (!Number.isInteger(m) || m < 1)
    throw new ValueError('gmres', `restart must be a positive integer, got ${options.restart}`);
  const V = Array.from({ length: m + 1 }, () => new Float64Array(n));
  const Z = Array.from({ length: m }, () => new Float64Array(n)); // M⁻¹ v_j, kept so the update needs no second pass
  const H = new Float64Array((m + 1) * m); // column-major Hessenberg, H[i + j(m+1)]
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const r = new Float64Array(n);
  let total = 0;
  let rnorm = norm(residual(p, x, r));
  while (total < p.maxIter && rnorm > p.tol) {
    const beta = rnorm;
    for (let i = 0; i < n; i++) V[0]![i] = r[i]! / beta;
    g.fill(0);
    g[0] = beta;
    let j = 0;
    for (; j < m && total < p.maxIter; j++) {
      total++;
      const w = V[j + 1]!;
      precondition(p, V[j]!, Z[j]!);
      apply(p, Z[j]!, w);
      for (let i = 0; i <= j; i++) {
        const h = dot(w, V[i]!);
        H[i + j * (m + 1)] = h;
        for (let t = 0; t < n; t++) w[t]! -= h * V[i]![t]!;
      }
      const hNext = norm(w);
      H[j + 1 + j * (m + 1)] = hNext;
      if (hNext > 0) for (let t = 0; t < n; t++) w[t]! /= hNext;
      // apply the previous rotations to the new column, then zero its sub-diagonal entry
      for (let i = 0; i < j; i++) {
        const a0 = H[i + j * (m + 1)]!;
        const a1 = H[i + 1 + j * (m + 1)]!;
        H[i + j * (m + 1)] = cs[i]! * a0 + sn[i]! * a1;
        H[i + 1 + j * (m + 1)] = -sn[i]! * a0 + cs[i]! * a1;
      }
      const hd = H[j + j * (m + 1)]!;
      const rho = Math.hypot(hd, hNext);
      cs[j] = rho === 0 ? 1 : hd / rho;
      sn[j] = rho === 0 ? 0 : hNext / rho;
      H[j + j * (m + 1)] = rho;
      H[j + 1 + j * (m + 1)] = 0;
      g[j + 1] = -sn[j]! * g[j]!;
      g[j] = cs[j]! * g[j]!;
      rnorm = Math.abs(g[j + 1]!);
      p.callback?.(total, rnorm);
      if (rnorm <= p.tol || hNext === 0) {
        j++;
        break;
      }
    }
    // back-substitute R y = g and update x ← x + Z y
    const yv = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let s = g[i]!;
      for (let k = i + 1; k < j; k++) s -= H[i + k * (m + 1)]! * yv[k]!;
      const d = H[i + i * (m + 1)]!;
      yv[i] = d === 0 ? 0 : s / d;
    }
    for (let k = 0; k < j; k++) for (let t = 0; t < n; t++) x[t]! += yv[k]! * Z[k]![t]!;
    const estimate = rnorm;
    rnorm = norm(residual(p, x, r));
    // a stagnating restart (no progress at all) cannot recover: report instead of looping to maxIter
    if (j > 0 && rnorm > p.tol && estimate === beta) break;
  }
  return finish(
    p,
    total,
    `no convergence in ${total} inner iterations (residual ${rnorm.toExponential(2)}); raise maxIter or restart, or precondition`,
  );
}
